"""Templates are checked at save (with line numbers), compiled once, and rendered sandboxed."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from engine.emails.email_context import Shop, email_context, sample_context
from engine.emails.formatting import format_date, format_money
from engine.emails.rendering import CompiledEmail, RenderFailed
from engine.emails.template_checks import TemplateInvalid, check_template
from engine.store.models import Cart, Customer

# A small valid template; tests put a line of their own at line 5.
MJML = """<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>{line}</mj-text>
        <mj-text>Hi {{{{ customer.first_name }}}}, your {{{{ cart.total }}}} cart</mj-text>
        <mj-button href="{{{{ cart.url }}}}">Back to it</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
"""


def _mjml(line: str) -> str:
    return MJML.format(line=line)


def _problems(subject: str = "Hi", mjml: str = _mjml(""), text: str = "") -> list[tuple]:
    with pytest.raises(TemplateInvalid) as invalid:
        check_template(subject, mjml, text)
    return [(p.part, p.line, p.message) for p in invalid.value.problems]


NBSP, NNBSP = "\u00a0", "\u202f"  # CLDR's no-break spaces: a price never breaks a line


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        ("280.77", "USD", "en", "$280.77"),
        ("280.77", "PLN", "pl", f"280,77{NBSP}zł"),
        ("280.77", "SEK", "sv", f"280,77{NBSP}kr"),
        ("280.77", "KRW", "ko", "₩281"),
        ("280.77", "KRW", "ko-KR", "₩281"),
        ("280.77", "USD", "ko", "US$280.77"),
        ("280.77", "EUR", "de", f"280,77{NBSP}€"),
        ("280.77", "EUR", "de-AT", f"€{NBSP}280,77"),
        ("280.77", "EUR", "en", "€280.77"),
        ("1280.5", "EUR", "fr", f"1{NNBSP}280,50{NBSP}€"),
        ("1280.5", "EUR", "nl", f"€{NBSP}1.280,50"),
        ("1234567.891", "USD", "en_US", "$1,234,567.89"),
        ("1280.4", "JPY", "en", "¥1,280"),
        ("1.2345", "BHD", "en", "BHD1.235"),  # three decimals, rounded half up
        ("280.5", "KRW", "ko", "₩281"),
        ("5", "XYZ", "de", f"5,00{NBSP}XYZ"),
        ("-5", "USD", "en", "-$5.00"),
        ("280.77", "USD", "xx", "$280.77"),  # a locale CLDR does not know reads as English
        ("280.77", "EUR", "pt-XX", f"€{NBSP}280,77"),  # an unknown region: its language
    ],
)
def test_money_is_formatted_by_cldr_for_its_currency_and_the_locale(
    amount: str, currency: str, locale: str, expected: str
) -> None:
    assert format_money(Decimal(amount), currency, locale) == expected


@pytest.mark.parametrize(
    ("locale", "timezone", "expected"),
    [
        ("en", "UTC", f"January 22, 2024, 2:30{NNBSP}PM UTC"),
        ("de", "Europe/Berlin", "22. Januar 2024, 15:30 CET"),
        ("fr", "Europe/Paris", "22 janvier 2024, 15:30 CET"),
        ("ko", "Asia/Seoul", "2024년 1월 22일 오후 11:30 KST"),
        ("pl", "Europe/Warsaw", "22 stycznia 2024 15:30 CET"),
        ("sv", "Europe/Stockholm", "22 januari 2024 15:30 CET"),
    ],
)
def test_dates_read_in_the_locale_and_the_zone(locale: str, timezone: str, expected: str) -> None:
    moment = datetime(2024, 1, 22, 14, 30, tzinfo=UTC)

    assert format_date(moment, locale, timezone) == expected


def test_a_valid_template_compiles_to_html_with_its_placeholders() -> None:
    html = check_template("Hi {{ customer.first_name }}", _mjml("Hello"), "{{ cart.url }}")

    assert "{{ cart.url }}" in html
    assert "<mj-" not in html


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("{{ ''.__class__.__mro__ }}", "'__class__': names starting with _ are private"),
        ("{{ lipsum.__globals__ }}", "unknown variable 'lipsum'"),
        ("{{ cycler.__init__.__globals__.os }}", "unknown variable 'cycler'"),
        ("{{ customer.first_name|safe }}", "`|safe` is not allowed"),
        ("{% filter safe %}{{ customer.first_name }}{% endfilter %}", "`|safe` is not allowed"),
        ("{% autoescape false %}{{ cart.id }}{% endautoescape %}", "autoescape false"),
        ("{{ custmer.first_name }}", "unknown variable 'custmer'"),
        ("{{ cart.totl }}", "cart has no 'totl' (it has: currency, id,"),
        ("{% for item in cart.items %}{{ item.nme }}{% endfor %}", "item has no 'nme'"),
        ("{{ cart.items }}", "cart.items is a list: loop over it"),
        ("{{ cart }}", "cart is a group"),
        ("{{ cart['__class__'] }}", "'__class__': names starting with _ are private"),
        ("{{ cart.items|map(attribute='__class__')|list }}", "names starting with _"),
        ("{{ cart.id|attr('upper') }}", "`|attr` is not allowed"),
        ("{{ '{0:>9999999}'.format(cart.id) }}", "`.format` is not allowed"),
        ('<a href="javascript:alert(1)">x</a>', "href must be an http(s) URL"),
        ('<a href="JavaScript&#58;alert(1)">x</a>', "href must be an http(s) URL"),
        ("<a href='data:text/html,x'>x</a>", "href must be an http(s) URL"),
        ('<a href="{{ customer.first_name }}">x</a>', "href must be an http(s) URL"),
        ('{% set my_url = "javascript:1" %}<a href="{{ my_url }}">x</a>', "href must be"),
        ("{{ 'a' * 1000000000 }}", "numbers above 100,000 are not allowed"),
        ("{{ cart.id|center(999999999) }}", "numbers above 100,000 are not allowed"),
        ("{% macro m() %}x{% endmacro %}", "{% macro %} is not supported"),
        ("{% include 'other.mjml' %}", "{% include %} is not supported"),
        ("{% for cart in cart.items %}{% endfor %}", "'cart' is a template variable"),
        ("{% for i in range(3) %}{% endfor %}", "unknown variable 'range'"),
        ("{{ cart.total|no_such_filter }}", "No filter named 'no_such_filter'"),
        ("{{ cart.total ", "unexpected '/'"),
    ],
)  # fmt: skip
def test_saving_refuses_unsafe_or_unknown_jinja_with_the_line(line: str, words: str) -> None:
    problems = _problems(mjml=_mjml(line))

    assert any(part == "mjml" and number in (5, 6) and words in message
               for part, number, message in problems), problems  # fmt: skip
    assert all(message.startswith(f"line {number}: ") for _, number, message in problems)


def test_problems_of_every_part_are_reported_together() -> None:
    problems = _problems(
        subject="Hi {{ customer.name }}",
        mjml=_mjml("{{ cart.id|safe }}"),
        text="Hello\n\n{{ discount.cod }}",
    )

    assert [(part, line) for part, line, _ in problems] == [
        ("subject", 1), ("mjml", 5), ("text", 3)
    ]  # fmt: skip
    assert "customer has no 'name' (it has: email, first_name, last_name)" in problems[0][2]


def test_a_template_that_fails_with_the_sample_cart_is_refused_with_the_line() -> None:
    [(part, line, message)] = _problems(mjml=_mjml("Code {{ discount.code }}"))

    assert (part, line) == ("mjml", 5)
    assert "{% if discount %}" in message, "says how to fix it"


def test_the_text_part_and_subject_are_rendered_with_the_sample_cart_too() -> None:
    [(part, line, message)] = _problems(text="Hi\n\n{{ order.id }}")

    assert (part, line) == ("text", 3)
    assert message.startswith("line 3: ") and "{% if discount %}" in message


def test_guarded_discount_and_order_variables_are_fine() -> None:
    check_template(
        "{% if discount %}{{ discount.percent }}% off{% else %}Hi{% endif %}",
        _mjml("{% if order %}Order {{ order.id }}, {{ order.placed_at }}{% endif %}"),
        "{% if discount %}{{ discount.code }} until {{ discount.expires_at }}{% endif %}",
    )


def test_links_may_be_literal_or_url_variables_including_the_items() -> None:
    check_template(
        "Hi",
        _mjml(
            '<a href="https://shop.example.com/help">help</a> '
            '<a href="{{ unsubscribe_url }}">unsubscribe</a> '
            '<a href="{{ cart.url }}?utm_source=email">cart</a> '
            "{% for item in cart.items %}"
            '<a href="{{ item.image_url }}">{{ item.name }} {{ loop.index }}</a>'
            "{% endfor %}"
        ),
        "",
    )


def test_broken_mjml_is_refused() -> None:
    mjml = _mjml("").replace("<mj-text></mj-text>", "<mj-sparkle>x</mj-sparkle>")

    [(part, line, message)] = _problems(mjml=mjml)

    assert part == "mjml"
    assert "unknown MJML tag 'mj-sparkle'" in message
    where = next(n for n, text in enumerate(mjml.splitlines(), 1) if "<mj-sparkle" in text)
    assert where > 1  # the line is found, not defaulted
    assert line == where
    assert message.startswith(f"line {where}: ")


@pytest.mark.parametrize(
    ("text", "opened_on", "tag"),
    [
        ("Hi\n{% if discount %}\n{{ discount.code }}\nBye\n", 2, "if"),
        # the for is the one left open, not the if closed inside it
        ("{% set n = 1 %}\n{% for item in cart.items %}\n{% if n %}{{ item.name }}{% endif %}\n",
         2, "for"),
        ("{% if cart %}{% if discount %}\nx{% endif %}\n{% for i in cart.items %}{% endfor %}\n",
         1, "if"),
    ],
)  # fmt: skip
def test_an_unclosed_block_is_reported_where_it_opens(text: str, opened_on: int, tag: str) -> None:
    [(part, line, message)] = _problems(text=text)

    assert (part, line) == ("text", opened_on)
    assert message == f"line {opened_on}: this {{% {tag} %}} is never closed: add {{% end{tag} %}}"


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ lipsum.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ 'a' * 100000 * 100000 }}",
        "{{ 9 ** 99999 }}",
        "{{ cart.id|safe }}",
        "{{ '%999999d' % 1 }}",
    ],
)
def test_what_is_refused_at_save_cannot_render_either(attack: str) -> None:
    """Defence in depth: a version stored by other means still cannot run it."""
    with pytest.raises(RenderFailed):
        CompiledEmail.build(f"<p>{attack}</p>", "", "Hi").render(sample_context())


def test_a_customer_name_cannot_inject_html() -> None:
    compiled = CompiledEmail.build(
        check_template("Hi {{ customer.first_name }}", _mjml(""), "Hi {{ customer.first_name }}"),
        "Hi {{ customer.first_name }}",
        "Hi {{ customer.first_name }}",
    )
    context = sample_context()
    context["customer"]["first_name"] = '<script>alert("x")</script>'

    email = compiled.render(context)

    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in email.html
    assert email.subject == 'Hi <script>alert("x")</script>', "plain text: nothing to escape"


def test_the_context_has_every_documented_variable() -> None:
    cart = Cart(
        id="c1",
        currency="EUR",
        total=Decimal("280.77"),
        recovery_url="https://shop.example.com/cart/c1",
        items=[{"name": "Lamp", "price": 49.5, "quantity": 2, "variant": "Brass",
                "image_url": "https://cdn.example.com/lamp.jpg"}],
    )  # fmt: skip
    customer = Customer(email="jane@example.com", first_name="Jane", last_name="Doe")

    context = email_context(
        cart,
        customer,
        Shop(name="Lamps", url="https://lamps.example.com", locale="de"),
        cart_url="https://boomerang.example.com/r/token",
        unsubscribe_url="https://boomerang.example.com/u/token",
    )

    assert context["cart"] == {
        "id": "c1", "url": "https://boomerang.example.com/r/token", "total": "280,77\u00a0€",
        "currency": "EUR", "item_count": 2,
        "items": [{"name": "Lamp", "variant": "Brass", "quantity": 2, "price": "49,50\u00a0€",
                   "image_url": "https://cdn.example.com/lamp.jpg"}],
    }  # fmt: skip
    assert context["customer"] == {
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane@example.com",
    }
    assert context["shop"] == {"name": "Lamps", "url": "https://lamps.example.com"}
    assert context["unsubscribe_url"] == "https://boomerang.example.com/u/token"
    assert context["discount"] is None and context["order"] is None
    assert context["fulfilment"] is None


def test_urls_that_are_not_http_never_reach_a_template() -> None:
    item = {"name": "x", "price": 1, "quantity": 1, "image_url": "data:x"}
    cart = Cart(id="c1", recovery_url="javascript:alert(1)", items=[item])

    context = email_context(cart, None, Shop(name="s"), unsubscribe_url="vbscript:x")

    assert context["cart"]["url"] == context["unsubscribe_url"] == ""
    assert context["cart"]["items"][0]["image_url"] == ""


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "12,345.5 items"),
        ("de", "12.345,5 items"),
        ("pl", "12\u00a0345,5 items"),
    ],
)
def test_numbers_print_in_the_email_s_locale_with_the_number_filter(
    locale: str, expected: str
) -> None:
    html = check_template(
        "Hi", _mjml("{{ 12345.5 | number }} items"), "{{ 12345.5 | number }} items"
    )
    email = CompiledEmail.build(html, "{{ 12345.5 | number }} items", "Hi")

    rendered = email.render(sample_context("EUR", locale))

    assert expected in rendered.html
    assert rendered.text == expected


def test_a_comparison_inside_mjml_text_survives_the_compiler() -> None:
    """MJML escapes text as HTML: `>` in a Jinja tag would become `&gt;`, a syntax error."""
    line = "{{ cart.item_count }} item{% if cart.item_count > 1 %}s{% endif %}, {{ 'a' < 'b' }}"
    html = check_template("Hi", _mjml(line), "")

    rendered = CompiledEmail.build(html, "", "Hi").render(sample_context())

    assert "4 items, True" in rendered.html
