"""send_email renders the newest published version of its template from the database."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from engine.activities.runner import build_activities
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.service import templates
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Cart, Customer, Message
from tests.engine.activities.support import seed_carts

ITEM = {"id": "p1", "name": "Lamp", "price": "280.77", "quantity": 1}


def _send_email(settings: Settings) -> Any:
    [activity] = [a for a in build_activities(settings) if a.__name__ == "send_email"]
    return activity


@pytest.fixture
def carts(settings: Settings) -> None:
    prepare(settings)
    seed_carts(settings)


def _request(step_id: str, **params: str) -> ActionRequest:
    return ActionRequest(
        workflow_id="journey:aut_1:cart_1",
        step_id=step_id,
        automation_id="aut_1",
        automation_version=1,
        cart_id="cart_1",
        customer_id="cus_1",
        params={"template": "cart-reminder", **params},
    )


def _messages(settings: Settings) -> dict[str, Message]:
    with session_scope(settings.resolved_database_url) as session:
        return {m.step_id or "": m for m in session.exec(select(Message)).all()}


@pytest.mark.usefixtures("carts")
async def test_without_a_subject_the_template_s_own_is_used(settings: Settings) -> None:
    env = ActivityEnvironment()

    await env.run(_send_email(settings), _request("email-1"))
    await env.run(_send_email(settings), _request("email-2", subject="Psst, {{ cart.total }}"))

    sent = _messages(settings)
    assert sent["email-1"].subject == "Jane, your cart is waiting"
    assert sent["email-2"].subject == "Psst, €99.00"


@pytest.mark.usefixtures("carts")
async def test_a_newly_published_version_reaches_the_next_send(settings: Settings) -> None:
    with session_scope(settings.resolved_database_url) as session:
        seeded = templates.versions(session, templates.find(session, "cart-reminder"))[0]
        edited = templates.TemplateContent(
            "New: {{ customer.first_name }}", seeded.mjml.replace("Return to", "Back to"),
            seeded.text,
        )  # fmt: skip
        templates.save_draft(session, "cart-reminder", edited)
    await ActivityEnvironment().run(_send_email(settings), _request("email-1"))

    with session_scope(settings.resolved_database_url) as session:
        templates.publish(session, "cart-reminder")
    await ActivityEnvironment().run(_send_email(settings), _request("email-2"))

    sent = _messages(settings)
    assert "Return to your cart" in sent["email-1"].html, "a draft is never sent"
    assert (sent["email-2"].subject, "Back to your cart" in sent["email-2"].html) == (
        "New: Jane",
        True,
    )


@pytest.mark.usefixtures("carts")
async def test_a_shop_s_own_language_and_prices_reach_customers_whose_locale_is_unknown(
    settings: Settings,
) -> None:
    german = settings.model_copy(update={"shop_locale": "de"})
    with session_scope(settings.resolved_database_url) as session:
        seeded = templates.versions(session, templates.find(session, "cart-reminder"))[0]
        in_german = templates.LocaleContent(
            "{{ customer.first_name }}, Ihr Warenkorb wartet",
            seeded.mjml.replace("Return to your cart", "Zurück zum Warenkorb"),
            seeded.text,
        )
        content = templates.TemplateContent(
            seeded.subject, seeded.mjml, seeded.text, translations={"de": in_german}
        )
        templates.save_draft(session, "cart-reminder", content)
        templates.publish(session, "cart-reminder")

    await ActivityEnvironment().run(_send_email(german), _request("email-1"))
    await ActivityEnvironment().run(_send_email(settings), _request("email-2"))

    sent = _messages(settings)
    assert (sent["email-1"].subject, sent["email-1"].locale) == ("Jane, Ihr Warenkorb wartet", "de")
    assert "Zurück zum Warenkorb" in sent["email-1"].html
    assert "99,00\u00a0€" in sent["email-1"].html
    assert "Lamp (Brass) × 2: 49,50\u00a0€" in sent["email-1"].text
    # An English shop sends the main content, its prices in English.
    assert (sent["email-2"].locale, "€99.00" in sent["email-2"].html) == ("en", True)


@pytest.mark.usefixtures("carts")
async def test_a_template_saved_before_languages_keeps_the_shop_s_prices(
    settings: Settings,
) -> None:
    """Versions saved before templates had languages say `en`, even a German shop's German
    ones: customers of unknown locale still read prices as the shop always printed them."""
    german = settings.model_copy(update={"shop_locale": "de"})
    with session_scope(settings.resolved_database_url) as session:
        seeded = templates.versions(session, templates.find(session, "cart-reminder"))[0]
        own = templates.TemplateContent(
            "{{ customer.first_name }}, Ihr Warenkorb wartet", seeded.mjml, seeded.text,
            locale="en", translations={},
        )  # fmt: skip
        templates.save_draft(session, "cart-reminder", own)
        templates.publish(session, "cart-reminder")

    await ActivityEnvironment().run(_send_email(german), _request("email-1"))

    [message] = _messages(settings).values()
    assert (message.subject, message.locale) == ("Jane, Ihr Warenkorb wartet", "en")
    assert "99,00\u00a0€" in message.html
    assert "Lamp (Brass) × 2: 49,50\u00a0€" in message.text


# -- a customer's language ---------------------------------------------------------------

LOCALISED = Path(__file__).parents[2] / "fixtures" / "localised_templates"
CUSTOMERS = [  # id, locale, currency
    ("cus_ko", "ko-KR", "KRW"),
    ("cus_pl", "pl-PL", "PLN"),
    ("cus_pt", "pt-BR", "USD"),  # no Portuguese in the folder: the shop's default
    ("cus_none", None, "USD"),
]


@pytest.fixture
def customers_of_many_languages(settings: Settings) -> Settings:
    """The fixture folder (cart-reminder in English, Korean and Polish) seeded, and one
    customer with a 280.77 cart per locale of CUSTOMERS."""
    localised = settings.model_copy(update={"templates_dir": LOCALISED})
    prepare(localised)
    with session_scope(settings.resolved_database_url) as session:
        for customer_id, locale, currency in CUSTOMERS:
            session.add(Customer(id=customer_id, email=f"{customer_id}@example.com",
                                 first_name="Min", locale=locale))  # fmt: skip
            session.flush()
            session.add(Cart(id=f"cart_{customer_id}", customer_id=customer_id, items=[ITEM],
                             total=Decimal("280.77"), currency=currency))  # fmt: skip
    return localised


def _customer_request(customer_id: str) -> ActionRequest:
    return ActionRequest(
        workflow_id=f"journey:aut_1:cart_{customer_id}",
        step_id="email",
        automation_id="aut_1",
        automation_version=1,
        cart_id=f"cart_{customer_id}",
        customer_id=customer_id,
        params={"template": "cart-reminder"},
    )


async def test_each_customer_gets_the_reminder_in_their_language(
    customers_of_many_languages: Settings,
) -> None:
    settings = customers_of_many_languages
    for customer_id, _, _ in CUSTOMERS:
        await ActivityEnvironment().run(_send_email(settings), _customer_request(customer_id))

    with session_scope(settings.resolved_database_url) as session:
        sent = {m.cart_id: m for m in session.exec(select(Message)).all()}
    korean, polish, brazilian, unknown = (sent[f"cart_{c}"] for c, _, _ in CUSTOMERS)
    assert (korean.locale, korean.subject) == ("ko", "Min님, 장바구니가 기다리고 있어요")
    assert "장바구니로 돌아가기" in korean.html and "합계: ₩281" in korean.html
    assert "합계: ₩281" in korean.text
    assert (polish.locale, polish.subject) == ("pl", "Min, Twój koszyk czeka")
    assert "Wróć do koszyka" in polish.html and "Razem: 280,77\u00a0zł" in polish.text
    assert (brazilian.locale, brazilian.subject) == ("en", "Min, your cart is waiting")
    assert "Return to your cart" in brazilian.html and "Total: $280.77" in brazilian.text
    assert (unknown.locale, unknown.subject) == ("en", "Min, your cart is waiting")


async def test_a_step_s_subject_replaces_the_subject_in_every_language(
    customers_of_many_languages: Settings,
) -> None:
    settings = customers_of_many_languages
    request = _customer_request("cus_ko")
    request = request.model_copy(
        update={"params": {**request.params, "subject": "{{ cart.total }}!"}}
    )

    await ActivityEnvironment().run(_send_email(settings), request)

    [message] = _messages(settings).values()
    assert (message.subject, message.locale) == ("₩281!", "ko")
    assert "장바구니로 돌아가기" in message.html
