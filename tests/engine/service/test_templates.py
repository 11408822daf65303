"""Templates as data: seeded once, versioned, checked at save, rendered from the compiled HTML."""

from pathlib import Path

import pytest
from sqlmodel import select

from engine.emails import mjml_compile, rendering
from engine.emails.email_context import sample_context
from engine.emails.rendering import RenderFailed, TemplateNotFound
from engine.runtime.settings import Settings
from engine.service import automations, template_seeding, template_test_sends, templates
from engine.service.errors import Conflict, InvalidInput, NotFound
from engine.service.templates import TemplateContent
from engine.store.db import session_scope
from engine.store.models import Message, Suppression, Template, TemplateVersion
from tests.support import automation

SEEDED = sorted(path.stem for path in (Path(__file__).parents[3] / "templates").glob("*.mjml"))
# After the purchase, these show what was bought without the prices.
NO_PRICES = {"shipping-update", "review-request", "post-purchase-upsell"}
CONTENT = TemplateContent(
    subject="Hi {{ customer.first_name }}",
    mjml="<mjml><mj-body><mj-section><mj-column>\n"
    "<mj-text>Version one: {{ cart.total }}</mj-text>\n"
    "</mj-column></mj-section></mj-body></mjml>",
    text="Version one: {{ cart.total }}",
)


def _edited(content: TemplateContent, words: str) -> TemplateContent:
    return TemplateContent(
        content.subject,
        content.mjml.replace("Version one", words),
        content.text.replace("Version one", words),
    )


def test_the_default_templates_are_seeded_and_published(url: str) -> None:
    with session_scope(url) as session:
        names = templates.template_names(session)

    assert names == SEEDED
    assert {"cart-reminder", "cart-discount", "cart-last-chance", "owner-notification",
            "order-confirmation", "shipping-update", "review-request",
            "post-purchase-upsell"} <= set(names)  # fmt: skip


@pytest.mark.parametrize("name", SEEDED)
@pytest.mark.parametrize(
    ("currency", "locale", "total"), [("USD", "en", "$280.77"), ("EUR", "de", "280,77\u00a0€")]
)
def test_each_seeded_template_renders_a_3_item_cart_with_images_code_and_expiry(
    url: str, name: str, currency: str, locale: str, total: str
) -> None:
    context = sample_context(currency, locale)

    with session_scope(url) as session:
        email = templates.render_published(session, name, context)

    for image in ("headphones.jpg", "case.jpg", "cable.jpg"):
        assert f"https://cdn.example.com/{image}" in email.html, image
    for part in (email.html, email.text):
        assert "Premium Headphones" in part and "USB-C Cable" in part
        assert "SAVE10-ABC123" in part
        assert context["discount"]["expires_at"] in part
    if name not in NO_PRICES:
        assert total in email.html and total in email.text
    if currency == "EUR":
        assert "$" not in email.html + email.text
    assert email.subject and "{{" not in email.subject


def test_seeding_again_keeps_what_a_marketer_published(settings: Settings, url: str) -> None:
    with session_scope(url) as session:
        reminder = templates.find(session, "cart-reminder")
        seeded = templates.versions(session, reminder)[0]
        mine = TemplateContent(seeded.subject, seeded.mjml.replace("left something", "forgot"),
                               seeded.text)  # fmt: skip
        templates.save_draft(session, "cart-reminder", mine)
        templates.publish(session, "cart-reminder")

    with session_scope(url) as session:
        assert template_seeding.seed_templates(session, settings.templates_dir) == []
        reminder = templates.find(session, "cart-reminder")
        assert reminder.current_version == 2
        assert len(session.exec(select(Template)).all()) == len(SEEDED)
        email = templates.render_published(session, "cart-reminder", sample_context())
    assert "you forgot behind" in email.html


def test_a_draft_is_not_sent_until_it_is_published(url: str) -> None:
    with session_scope(url) as session:
        template, version = templates.create(session, "spring-sale", CONTENT)
        assert (version.version, version.status, template.current_version) == (1, "draft", None)
        assert "spring-sale" not in templates.template_names(session)
        with pytest.raises(TemplateNotFound):
            templates.render_published(session, "spring-sale", sample_context())

        templates.publish(session, "spring-sale")
        templates.save_draft(session, template.id, _edited(CONTENT, "Version two"))
        sent = templates.render_published(session, "spring-sale", sample_context())
        assert "Version one: $280.77" in sent.html
        assert template.current_version == 1

        published = templates.publish(session, "spring-sale")
        sent = templates.render_published(session, "spring-sale", sample_context())
        assert (published.version, published.status) == (2, "published")
        assert "Version two: $280.77" in sent.html
        assert [(v.version, v.status) for v in templates.versions(session, template)] == [
            (2, "published"), (1, "published")
        ]  # fmt: skip


def test_saving_a_draft_twice_keeps_one_draft(url: str) -> None:
    with session_scope(url) as session:
        template, _ = templates.create(session, "spring-sale", CONTENT)
        templates.save_draft(session, template.id, _edited(CONTENT, "Take two"))
        draft = templates.save_draft(session, template.id, _edited(CONTENT, "Take three"))

        assert [v.version for v in templates.versions(session, template)] == [1]
        assert "Take three" in draft.mjml and "Take three" in draft.compiled_html


def test_publishing_without_a_draft_and_reusing_a_name_conflict(url: str) -> None:
    with session_scope(url) as session:
        with pytest.raises(Conflict, match="no draft"):
            templates.publish(session, "cart-reminder")
        with pytest.raises(Conflict, match="names are never reused"):
            templates.create(session, "cart-reminder", CONTENT)


def test_a_bad_template_is_refused_with_each_problem_and_its_line(url: str) -> None:
    bad = TemplateContent(
        subject="{{ customer.first_name|safe }}",
        mjml=CONTENT.mjml.replace("Version one", "{{ ''.__class__.__mro__ }}"),
        text="Hi\n{{ lipsum.__globals__ }}",
    )

    with session_scope(url) as session, pytest.raises(InvalidInput) as refused:
        templates.create(session, "sneaky", bad)

    assert refused.value.code == "invalid_template"
    where = [(p.field, p.line) for p in refused.value.problems]
    assert where == [("subject", 1), ("mjml", 2), ("mjml", 2), ("text", 2), ("text", 2)]
    with session_scope(url) as session, pytest.raises(NotFound):
        templates.find(session, "sneaky")


def test_a_stored_version_that_escaped_the_checks_still_cannot_run(url: str) -> None:
    """Say a row was written by hand: the sandbox refuses it at send time."""
    with session_scope(url) as session:
        template = Template(name="hand-made", current_version=1)
        session.add(template)
        session.flush()
        session.add(
            TemplateVersion(template_id=template.id, version=1, status="published",
                            subject="Hi", mjml="", text="",
                            compiled_html="{{ ''.__class__.__mro__[1].__subclasses__() }}")
        )  # fmt: skip

    with session_scope(url) as session, pytest.raises(RenderFailed, match="unsafe"):
        templates.render_published(session, "hand-made", sample_context())


def test_a_send_only_runs_jinja_over_the_compiled_html(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendering.compiled_versions.clear()

    def no_mjml(_source: str) -> None:
        raise AssertionError("MJML compiled at send time")

    monkeypatch.setattr(mjml_compile, "mjml_to_html", no_mjml)
    mjml_compile._compile_mjml.cache_clear()

    with session_scope(url) as session:
        first = templates.render_published(session, "cart-discount", sample_context())
        second = templates.render_published(
            session, "cart-discount", sample_context(), subject="Still {{ cart.total }}?"
        )

    assert first.html == second.html
    assert second.subject == "Still $280.77?"


def test_preview_lays_the_given_variables_over_the_sample(settings: Settings, url: str) -> None:
    given = {"customer": {"first_name": "Ann"}, "discount": None,
             "cart": {"items": [{"name": "Mug", "price": "€9.00", "quantity": 3}]}}  # fmt: skip

    with session_scope(url) as session:
        version, email = templates.preview(session, settings, "cart-discount", context=given)

    assert version.version == 1
    assert "Ann, your cart is still waiting" in email.text
    assert "- Mug × 3: €9.00" in email.text
    assert "Headphones" not in email.text and "SAVE10" not in email.text


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"custom": {}}, "context.custom"),
        ({"customer": {"phone": "X"}}, "context.customer.phone"),
        ({"cart": {"url": "javascript:alert(1)"}}, "context.cart.url"),
        ({"cart": {"items": {"name": "x"}}}, "context.cart.items"),
        ({"shop": None}, "context.shop"),
    ],
)
def test_preview_refuses_variables_a_send_never_has(
    settings: Settings, url: str, given: dict[str, object], field: str
) -> None:
    with session_scope(url) as session, pytest.raises(InvalidInput) as refused:
        templates.preview(session, settings, "cart-reminder", context=given)

    assert refused.value.code == "invalid_context"
    assert [p.field for p in refused.value.problems] == [field]


def test_a_test_send_is_marked_and_counts_as_no_journey_email(settings: Settings, url: str) -> None:
    with session_scope(url) as session:
        version, message = templates.test_send(
            session, settings, "cart-reminder", " Marketer@Example.com ", currency="EUR"
        )

    with session_scope(url) as session:
        [stored] = session.exec(select(Message)).all()
    assert version.version == 1
    assert stored.id == message.id
    assert stored.to_email == "marketer@example.com"
    assert stored.automation_id is None and stored.step_id is None
    assert stored.idempotency_key.startswith(template_test_sends.TEST_SEND_KEY_PREFIX)
    assert stored.headers[template_test_sends.TEST_SEND_HEADER] == "true"
    assert stored.subject == "[Test] Jane, your cart is waiting"
    assert "280,77\u00a0€" in stored.html or "€280.77" in stored.html


def test_a_test_send_respects_the_suppression_list(settings: Settings, url: str) -> None:
    with session_scope(url) as session:
        session.add(Suppression(email="gone@example.com"))

    with session_scope(url) as session, pytest.raises(Conflict, match="unsubscribed"):
        templates.test_send(session, settings, "cart-reminder", "gone@example.com")


def _email_step(template: str) -> dict[str, object]:
    body = {**automation()["definition"], "name": "Reminder"}
    body["steps"][1]["params"]["template"] = template
    return body


def test_automations_may_name_published_templates_only(url: str) -> None:
    with session_scope(url) as session:
        templates.create(session, "spring-sale", CONTENT)

        for name in ("no-such-template", "spring-sale"):
            with pytest.raises(InvalidInput) as refused:
                automations.validate_definition(session, _email_step(name))
            [problem] = refused.value.problems
            assert (problem.field, problem.step_id) == ("params.template", "email-1")
            assert f"no template named {name!r}" in problem.message

        templates.publish(session, "spring-sale")
        automations.validate_definition(session, _email_step("spring-sale"))
