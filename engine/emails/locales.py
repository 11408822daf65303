"""Which language an email is written in: the customer's, else the shop's.

Pure. A template version holds its content per locale (`en`, `ko`, `pt-BR`); a send looks
for the customer's locale, then its language, then the shop's locale and its language, and
takes the version's main content when none of those is there:
`ko-KR` → `ko` → (the shop's) `en-US` → `en` → the main content.
"""

from collections.abc import Collection


def normalise(tag: str) -> str:
    """`ko_kr` and `KO-KR` → `ko-KR`; the language lower-case, a region upper-case, a script
    title-case (`zh-Hant-TW`)."""
    parts = [part for part in tag.strip().replace("_", "-").split("-") if part]
    if not parts:
        return ""
    shaped = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            shaped.append(part.title())
        elif len(part) in (2, 3):
            shaped.append(part.upper())
        else:
            shaped.append(part.lower())
    return "-".join(shaped)


def language(tag: str) -> str:
    return normalise(tag).split("-")[0]


def fallback_chain(customer_locale: str | None, shop_locale: str) -> list[str]:
    """The locales to look for, most wanted first, without repeats."""
    chain: list[str] = []
    for tag in (customer_locale, shop_locale):
        if not tag or not normalise(tag):
            continue
        for candidate in (normalise(tag), language(tag)):
            if candidate not in chain:
                chain.append(candidate)
    return chain


def choose_locale(
    available: Collection[str], main: str, customer_locale: str | None, shop_locale: str
) -> str:
    """The content to send: the first of the fallback chain the version has (`available`,
    its translations' locales, and `main`, the locale of its main content), else `main`."""
    have = {normalise(tag) for tag in available} | {normalise(main)}
    for candidate in fallback_chain(customer_locale, shop_locale):
        if candidate in have:
            return candidate
    return normalise(main)


def formatting_locale(chosen: str, customer_locale: str | None, shop_locale: str) -> str:
    """The locale money and dates print in: the customer's own when the email is in their
    language (`ko-KR` in a `ko` email), the email's when it is not (no Polish prices in English
    text), and the shop's for a customer whose locale is unknown, as every email printed them
    before templates had languages (a version saved then says `en` whatever it is written in).
    """
    if customer_locale is None or not normalise(customer_locale):
        return normalise(shop_locale)
    if language(customer_locale) == language(chosen):
        return normalise(customer_locale)
    return chosen
