"""The fallback chain: the customer's locale, its language, the shop's, else the main content."""

import pytest

from engine.emails.formatting import format_money
from engine.emails.locales import choose_locale, fallback_chain, formatting_locale, normalise


@pytest.mark.parametrize(
    ("tag", "shaped"),
    [("ko_kr", "ko-KR"), ("KO-KR", "ko-KR"), ("zh-hant-tw", "zh-Hant-TW"), (" pl ", "pl"),
     ("", "")],
)  # fmt: skip
def test_tags_are_normalised(tag: str, shaped: str) -> None:
    assert normalise(tag) == shaped


def test_the_chain_is_the_customer_s_locale_its_language_then_the_shop_s() -> None:
    assert fallback_chain("ko-KR", "en-US") == ["ko-KR", "ko", "en-US", "en"]
    assert fallback_chain("ko", "ko-KR") == ["ko", "ko-KR"]
    assert fallback_chain(None, "de") == ["de"]
    assert fallback_chain("", "en") == ["en"]


@pytest.mark.parametrize(
    ("customer", "shop", "chosen"),
    [
        ("ko-KR", "en", "ko"),  # the language when the region has no content of its own
        ("pt-BR", "en", "pt-BR"),  # the region's own content first
        ("pt-PT", "en", "en"),  # pt-BR is not Portuguese for Portugal: the shop's
        ("pl", "en", "pl"),
        ("sv-SE", "de", "de"),  # no Swedish: the shop's locale
        ("sv-SE", "fr", "en"),  # neither the customer's nor the shop's: the main content
        (None, "pl-PL", "pl"),  # unknown customer: the shop's language
        (None, "it", "en"),
    ],
)
def test_a_customer_gets_the_first_locale_of_the_chain_the_version_has(
    customer: str | None, shop: str, chosen: str
) -> None:
    assert choose_locale(["ko", "pt-BR", "pl", "de"], "en", customer, shop) == chosen


def test_money_prints_in_the_customer_s_locale_only_when_the_email_is_in_their_language() -> None:
    assert formatting_locale("ko", "ko-KR", "en") == "ko-KR"
    assert formatting_locale("en", "pl-PL", "en") == "en"  # no Polish prices in English text
    assert format_money(280.77, "KRW", formatting_locale("ko", "ko-KR", "en")) == "₩281"
    assert format_money(280.77, "PLN", formatting_locale("pl", "pl-PL", "en")) == "280,77\u00a0zł"
    assert format_money(280.77, "PLN", formatting_locale("en", "pl-PL", "en")) == "PLN280.77"


def test_a_customer_of_unknown_locale_reads_prices_as_the_shop_always_printed_them() -> None:
    # A German shop's own template, saved before templates had languages, says `en`.
    assert formatting_locale("en", None, "de-AT") == "de-AT"
    assert format_money(99, "EUR", formatting_locale("en", None, "de")) == "99,00\u00a0€"
    assert formatting_locale("de", None, "de-AT") == "de-AT"
