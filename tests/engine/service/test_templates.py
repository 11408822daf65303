"""Templates as data: seeded once, versioned, checked at save, rendered from the compiled HTML."""

import shutil
import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from engine.emails import mjml_compile, rendering
from engine.emails.email_context import sample_context
from engine.emails.formatting import format_money
from engine.emails.rendering import RenderFailed, TemplateNotFound
from engine.runtime.settings import Settings
from engine.service import automations, template_seeding, template_test_sends, templates
from engine.service.errors import Conflict, InvalidInput, NotFound
from engine.service.templates import LocaleContent, TemplateContent
from engine.store.db import session_scope
from engine.store.models import Customer, Message, Suppression, Template, TemplateVersion
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


TEMPLATES = Path(__file__).parents[3] / "templates"
# The repository's translations (`templates/<locale>/`), whichever languages it has.
TRANSLATED = sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir() and any(p.glob("*.mjml")))


@pytest.mark.skipif(not TRANSLATED, reason="the templates folder has no translations")
@pytest.mark.parametrize("locale", TRANSLATED)
@pytest.mark.parametrize("name", SEEDED)
def test_each_seeded_translation_reaches_its_readers_with_their_prices(
    url: str, name: str, locale: str
) -> None:
    region = {"de": "de-AT", "ko": "ko-KR", "pl": "pl-PL", "fr": "fr-CA"}.get(locale, locale)

    with session_scope(url) as session:
        english = templates.render_published(session, name, sample_context("EUR", "en"))
        translated = templates.render_published(
            session,
            name,
            lambda formatting: sample_context("EUR", formatting),
            customer_locale=region,
            shop_locale="en",
        )

    assert (english.locale, translated.locale) == ("en", locale)
    assert translated.subject and translated.subject != english.subject
    if name not in NO_PRICES:
        total = format_money(Decimal("280.77"), "EUR", region)  # CLDR, in the reader's region
        assert total in translated.html and total in translated.text, total
        if total != "€280.77":  # Korean writes euros as English does
            assert "€280.77" not in translated.html


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


# -- languages ---------------------------------------------------------------------------

LOCALISED = Path(__file__).parents[2] / "fixtures" / "localised_templates"
KOREAN = LocaleContent(
    subject="{{ customer.first_name }}님, 안녕하세요",
    mjml=CONTENT.mjml.replace("Version one", "버전 하나"),
    text="버전 하나: {{ cart.total }}",
)
POLISH = LocaleContent(
    subject="Cześć {{ customer.first_name }}",
    mjml=CONTENT.mjml.replace("Version one", "Wersja pierwsza"),
    text="Wersja pierwsza: {{ cart.total }}",
)


def _in_languages(**translations: LocaleContent) -> TemplateContent:
    return replace(CONTENT, translations=translations)


def test_a_version_keeps_its_content_per_locale_and_sends_choose_by_the_chain(url: str) -> None:
    with session_scope(url) as session:
        _, version = templates.create(
            session, "spring-sale", _in_languages(ko_kr=KOREAN, PL=POLISH), published=True
        )
        assert (version.locale, sorted(version.translations or {})) == ("en", ["ko-KR", "pl"])
        assert "버전 하나" in (version.translations or {})["ko-KR"]["compiled_html"]

        def sent(customer: str | None, shop: str = "en") -> tuple[str | None, str]:
            email = templates.render_published(
                session,
                "spring-sale",
                lambda locale: sample_context("KRW", locale),
                customer_locale=customer,
                shop_locale=shop,
            )
            return email.locale, email.text

        assert sent("ko-KR") == ("ko-KR", "버전 하나: ₩281")
        assert sent("pl-PL") == ("pl", "Wersja pierwsza: 281\u00a0KRW")
        assert sent("pt-BR") == ("en", "Version one: ₩281")
        assert sent(None, shop="pl") == ("pl", "Wersja pierwsza: 281\u00a0KRW")
        assert sent("ko") == ("en", "Version one: ₩281"), "ko-KR content is not for all of ko"


def test_the_compiled_cache_keeps_each_locale_apart(url: str) -> None:
    rendering.compiled_versions.clear()
    with session_scope(url) as session:
        templates.create(session, "spring-sale", _in_languages(pl=POLISH), published=True)
        english = templates.published_email(session, "spring-sale", "en-GB", "en")
        polish = templates.published_email(session, "spring-sale", "pl-PL", "en")
        again = templates.published_email(session, "spring-sale", "pl", "en")

    assert (english.locale, polish.locale, polish.formatting) == ("en", "pl", "pl-PL")
    assert again.email is polish.email and english.email is not polish.email
    assert polish.render(sample_context()).subject == "Cześć Jane"


def test_each_locale_is_checked_at_save_and_its_problems_name_it(url: str) -> None:
    broken_korean = replace(KOREAN, text="{{ cart.totl }}")
    broken_polish = replace(POLISH, subject="{{ discount.code }}")  # no discount: fails

    with session_scope(url) as session, pytest.raises(InvalidInput) as refused:
        templates.create(session, "spring-sale", _in_languages(ko=broken_korean, pl=broken_polish))

    fields = [p.field for p in refused.value.problems]
    assert fields == ["translations.ko.text", "translations.pl.subject"]
    assert refused.value.message.startswith("translations.ko.text: ")
    with session_scope(url) as session, pytest.raises(NotFound):
        templates.find(session, "spring-sale")  # nothing half-written


def test_a_translation_is_checked_with_sample_carts_in_its_own_locale(url: str) -> None:
    # Fails where the sample without a discount prints euros German-style (`280,77 €`): the
    # main content's checks (English, German); not a Korean translation's (`€280.77`).
    german_only = "{% if ',' in cart.total %}{{ discount.code }}{% endif %}"

    with session_scope(url) as session:
        templates.create(session, "in-korean", _in_languages(ko=replace(KOREAN, text=german_only)))
        with pytest.raises(InvalidInput) as refused:
            templates.create(session, "in-english", replace(CONTENT, text=german_only))

    assert [p.field for p in refused.value.problems] == ["text"]


@pytest.mark.parametrize(
    ("locale", "translations", "field"),
    [
        ("xx", {}, "locale"),
        ("en", {"qq-ZZ": KOREAN}, "translations.qq-ZZ"),
        ("en", {"EN": KOREAN}, "translations.EN"),  # the main content's locale
        ("en", {"ko": KOREAN, "KO": POLISH}, "translations.KO"),  # the same locale twice
    ],
)
def test_locales_must_be_known_and_distinct(
    url: str, locale: str, translations: dict[str, LocaleContent], field: str
) -> None:
    content = replace(CONTENT, locale=locale, translations=translations)

    with session_scope(url) as session, pytest.raises(InvalidInput) as refused:
        templates.create(session, "spring-sale", content)

    assert [p.field for p in refused.value.problems] == [field]


def test_too_many_translations_are_refused(url: str) -> None:
    many = dict.fromkeys(["ko", "pl", "de", "fr", "es", "sv", "it", "ja"] * 1, KOREAN)
    many |= {f"en-{region}": KOREAN for region in ["GB", "AU", "CA", "IE", "NZ", "ZA", "IN"]}
    many |= {f"es-{region}": KOREAN for region in ["MX", "AR", "CO", "CL", "PE", "VE", "UY"]}
    many |= {f"fr-{region}": KOREAN for region in ["CA", "BE", "CH", "LU", "SN", "MA", "CI"]}
    many |= {f"de-{region}": KOREAN for region in ["AT", "CH", "LU", "LI", "BE", "IT", "DK"]}
    many |= {f"pt-{region}": KOREAN for region in ["BR", "PT", "AO", "MZ", "CV", "GW", "TL"]}
    assert len(many) > templates.MAX_TRANSLATIONS

    with session_scope(url) as session, pytest.raises(InvalidInput) as refused:
        templates.create(session, "spring-sale", _in_languages(**many))

    assert [p.field for p in refused.value.problems] == ["translations"]


def test_a_save_that_says_nothing_of_languages_keeps_them(url: str) -> None:
    with session_scope(url) as session:
        template, _ = templates.create(
            session, "spring-sale", replace(_in_languages(ko=KOREAN), locale="pl")
        )
        draft = templates.save_draft(session, template.id, _edited(CONTENT, "Take two"))
        assert (draft.locale, list(draft.translations or {})) == ("pl", ["ko"])

        templates.publish(session, template.id)
        emptied = templates.save_draft(session, template.id, _in_languages())
        assert (emptied.version, emptied.locale, emptied.translations) == (2, "pl", None)


def test_publish_checks_every_locale_again(url: str) -> None:
    with session_scope(url) as session:
        template, version = templates.create(session, "spring-sale", _in_languages(ko=KOREAN))
        # Say the rules changed since the draft was saved.
        version.translations = {
            "ko": {**(version.translations or {})["ko"], "text": "{{ cart.nope }}"}
        }
        session.add(version)
        with pytest.raises(InvalidInput) as refused:
            templates.publish(session, template.id)

    assert [p.field for p in refused.value.problems] == ["translations.ko.text"]


def test_preview_renders_what_a_customer_with_the_locale_gets(settings: Settings, url: str) -> None:
    with session_scope(url) as session:
        templates.create(session, "spring-sale", _in_languages(ko=KOREAN))
        _, korean = templates.preview(
            session, settings, "spring-sale", locale="ko-KR", currency="KRW"
        )
        _, unknown = templates.preview(session, settings, "spring-sale", locale="pt-BR")
        _, unsaved = templates.preview(
            session,
            settings,
            "spring-sale",
            content=_in_languages(pl=POLISH),
            locale="pl",
            currency="PLN",
        )
        with pytest.raises(InvalidInput) as refused:
            templates.preview(
                session,
                settings,
                "spring-sale",
                content=_in_languages(pl=replace(POLISH, text="{{ discount.code }}")),
                locale="pl",
                context={"discount": None},
            )

    assert (korean.locale, korean.subject, korean.text) == (
        "ko",
        "Jane님, 안녕하세요",
        "버전 하나: ₩281",
    )
    assert (unknown.locale, unknown.text) == ("en", "Version one: $280.77")
    assert (unsaved.locale, unsaved.text) == ("pl", "Wersja pierwsza: 280,77\u00a0zł")
    assert [p.field for p in refused.value.problems] == ["translations.pl.text"]


def test_a_test_send_records_the_language_it_was_written_in(settings: Settings, url: str) -> None:
    with session_scope(url) as session:
        templates.create(session, "spring-sale", _in_languages(ko=KOREAN))
        _, message = templates.test_send(
            session, settings, "spring-sale", "marketer@example.com", locale="ko-KR"
        )

    assert (message.locale, message.subject) == ("ko", "[Test] Jane님, 안녕하세요")


def test_missing_locales_count_the_customers_who_get_the_fallback(
    settings: Settings, url: str
) -> None:
    with session_scope(url) as session:
        template, _ = templates.create(session, "spring-sale", _in_languages(ko=KOREAN))
        for index, locale in enumerate(["pl-PL", "pl", "ko-KR", "ko", "sv", "en-GB", None, "PL"]):
            session.add(Customer(id=f"cus_{index}", email=f"c{index}@example.com", locale=locale))
        session.flush()

        missing = templates.missing_locales(session, settings, template)

    assert [(m.locale, m.customers, m.fallback) for m in missing] == [
        ("pl", 3, "en"), ("sv", 1, "en")
    ]  # fmt: skip


# -- seeding languages -------------------------------------------------------------------


def _folder(tmp_path: Path, *, locales: bool = True) -> Path:
    """The fixture folder (cart-reminder in English, Korean, Polish) as `greeting`, a name the
    database has no template of; without its locale folders unless `locales`."""
    folder = tmp_path / "templates"
    shutil.copytree(LOCALISED, folder)
    for path in sorted(folder.rglob("cart-reminder.*")):
        path.rename(path.with_name(path.name.replace("cart-reminder", "greeting")))
    for manifest in folder.rglob("templates.toml"):
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text.replace("[cart-reminder]", "[greeting]"), encoding="utf-8")
    if not locales:
        for child in ("ko", "pl"):
            shutil.rmtree(folder / child)
    return folder


def test_a_folder_s_translations_are_seeded_with_its_templates(url: str, tmp_path: Path) -> None:
    with session_scope(url) as session:
        assert template_seeding.seed_templates(session, _folder(tmp_path)) == ["greeting"]

    with session_scope(url) as session:
        [version] = templates.versions(session, templates.find(session, "greeting"))
        korean = templates.render_published(
            session, "greeting", sample_context(), customer_locale="ko-KR"
        )
    assert (version.status, version.locale, sorted(version.translations or {})) == (
        "published", "en", ["ko", "pl"]
    )  # fmt: skip
    assert version.subject == "{{ customer.first_name or 'Hi' }}, your cart is waiting"
    assert korean.subject == "Jane님, 장바구니가 기다리고 있어요"
    assert "장바구니로 돌아가기" in korean.html and "수신 거부" in korean.text


def test_an_untouched_seed_gets_the_folder_s_translations_once(url: str, tmp_path: Path) -> None:
    english_only = _folder(tmp_path / "before", locales=False)
    with session_scope(url) as session:
        template_seeding.seed_templates(session, english_only)

    with session_scope(url) as session:
        assert template_seeding.seed_templates(session, _folder(tmp_path)) == ["greeting"]
    with session_scope(url) as session:
        assert template_seeding.seed_templates(session, _folder(tmp_path / "again")) == []
        greeting = templates.find(session, "greeting")
        newest, first = templates.versions(session, greeting)
    assert (greeting.current_version, newest.status) == (2, "published")
    assert sorted(newest.translations or {}) == ["ko", "pl"] and first.translations is None
    assert (newest.subject, newest.mjml) == (first.subject, first.mjml)


def test_an_earlier_release_s_seed_gets_the_new_english_and_its_translations(
    url: str, tmp_path: Path
) -> None:
    """An earlier release seeded other English (its digest is in `seeded-before.toml`): a
    template nobody edited since moves to this folder's English and its translations."""
    before = _folder(tmp_path / "before", locales=False)
    old_text = (before / "greeting.txt").read_text(encoding="utf-8")
    with session_scope(url) as session:
        template_seeding.seed_templates(session, before)
        seeded = templates.versions(session, templates.find(session, "greeting"))[0]
        digest = template_seeding.seed_digest(seeded.subject, seeded.mjml, seeded.text)

    now = _folder(tmp_path)
    (now / "greeting.txt").write_text(old_text.replace("Hi", "Hello"), encoding="utf-8")
    with session_scope(url) as session:
        assert template_seeding.seed_templates(session, now) == [], "not known as a seed"
    (now / "seeded-before.toml").write_text(f'[greeting]\nsha256 = ["{digest}"]\n', "utf-8")
    with session_scope(url) as session:
        assert template_seeding.seed_templates(session, now) == ["greeting"]
        newest = templates.versions(session, templates.find(session, "greeting"))[0]
    assert newest.text == old_text.replace("Hi", "Hello")
    assert sorted(newest.translations or {}) == ["ko", "pl"]


def test_the_repository_s_earlier_seeds_are_listed_for_every_default_template() -> None:
    earlier = tomllib.loads((TEMPLATES / "seeded-before.toml").read_text(encoding="utf-8"))
    assert sorted(earlier) == sorted(SEEDED)
    assert all(len(d) == 64 for entry in earlier.values() for d in entry["sha256"])


@pytest.mark.parametrize("edit", ["published", "draft"])
def test_a_template_a_marketer_edited_gets_no_translations(
    url: str, tmp_path: Path, edit: str
) -> None:
    with session_scope(url) as session:
        template_seeding.seed_templates(session, _folder(tmp_path / "before", locales=False))
        seeded = templates.versions(session, templates.find(session, "greeting"))[0]
        mine = TemplateContent("Hey {{ customer.first_name }}", seeded.mjml, seeded.text)
        if edit == "published":
            templates.save_draft(session, "greeting", mine)
            templates.publish(session, "greeting")
        else:  # a draft being written, over the untouched seed
            templates.save_draft(session, "greeting", mine)

    with session_scope(url) as session:
        assert template_seeding.seed_templates(session, _folder(tmp_path)) == []
        newest = templates.versions(session, templates.find(session, "greeting"))[0]
    assert (newest.version, newest.subject, newest.translations) == (
        2, "Hey {{ customer.first_name }}", None
    )  # fmt: skip


@pytest.mark.parametrize(
    ("file", "text", "blamed"),
    [
        ("ko/greeting.mjml", "<mjml><mj-body>{{ cart.nope }}</mj-body></mjml>", "ko/greeting.mjml"),
        ("pl/greeting.txt", "{% if %}", "pl/greeting.txt"),
        ("pl/templates.toml", '[greeting]\ndescription = "no subject"\n', "pl/templates.toml"),
        ("ko/templates.toml", "[greeting\n", "ko/templates.toml"),
        ("ko/farewell.mjml", "<mjml></mjml>", "ko/farewell.mjml"),
        ("xq/greeting.mjml", "<mjml></mjml>", "xq"),  # not a locale CLDR knows
    ],
)
def test_a_broken_translation_fails_seeding_naming_its_file(
    url: str, tmp_path: Path, file: str, text: str, blamed: str
) -> None:
    folder = _folder(tmp_path)
    (folder / file).parent.mkdir(exist_ok=True)
    (folder / file).write_text(text, encoding="utf-8")
    (folder / "img").mkdir()  # a folder of no templates is no translation: left alone

    with session_scope(url) as session, pytest.raises(InvalidInput) as refused:
        template_seeding.seed_templates(session, folder)

    assert f"template {folder / blamed}: " in refused.value.message
