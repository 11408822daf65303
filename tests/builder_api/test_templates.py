"""The template routes: list, create, save drafts, publish, preview, test send; roles; errors."""

from typing import Any

import pytest

from engine.service.auth import Role
from engine.store.db import session_scope
from engine.store.models import Customer
from tests.builder_api.conftest import Api

MJML = """<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Hi {{ customer.first_name }}, {{ cart.total }}</mj-text>
        <mj-button href="{{ cart.url }}">Back to your cart</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
"""


def _template(name: str = "spring-sale", **changes: Any) -> dict[str, Any]:
    return {"name": name, "subject": "Hi {{ customer.first_name }}", "mjml": MJML,
            "text": "{{ cart.total }}: {{ cart.url }}", **changes}  # fmt: skip


async def test_the_seeded_templates_are_listed_published(api: Api) -> None:
    response = await api.http.get("/api/v1/templates")

    assert response.status_code == 200, response.text
    listed = {t["name"]: t for t in response.json()}
    assert {"cart-reminder", "cart-discount", "cart-last-chance", "owner-notification",
            "order-confirmation", "shipping-update", "review-request",
            "post-purchase-upsell"} <= set(listed)  # fmt: skip
    assert {(t["current_version"], t["draft_version"]) for t in listed.values()} == {(1, None)}


async def test_create_save_publish_and_read_the_versions(api: Api) -> None:
    created = await api.http.post("/api/v1/templates", json=_template())
    assert created.status_code == 201, created.text
    template_id = created.json()["id"]
    assert (created.json()["current_version"], created.json()["draft_version"]) == (None, 1)

    published = await api.http.post(f"/api/v1/templates/{template_id}/publish")
    draft = _template(mjml=MJML.replace("Back to", "Return to"))
    saved = await api.http.put("/api/v1/templates/spring-sale/draft", json=draft)
    shown = await api.http.get(f"/api/v1/templates/{template_id}")

    assert published.json()["current_version"] == 1
    assert saved.status_code == 200, saved.text
    assert (saved.json()["current_version"], saved.json()["draft_version"]) == (1, 2)
    versions = shown.json()["versions"]
    assert [(v["version"], v["status"]) for v in versions] == [(2, "draft"), (1, "published")]
    assert "Return to" in versions[0]["mjml"] and versions[1]["published_at"]
    catalog = (await api.http.get("/api/v1/catalog")).json()
    assert "spring-sale" in catalog["templates"]


async def test_a_template_with_problems_is_refused_with_their_lines(api: Api) -> None:
    attack = MJML.replace("{{ cart.total }}", "{{ ''.__class__.__mro__ }}").replace(
        "{{ cart.url }}", "javascript:alert(1)"
    )

    response = await api.http.post(
        "/api/v1/templates", json=_template(mjml=attack, text="ok\n{{ cart.id|safe }}")
    )

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_template"
    problems = [(p["field"], p["line"]) for p in body["problems"]]
    assert problems == [("mjml", 5), ("mjml", 5), ("mjml", 6), ("text", 2)]
    assert "`|safe` is not allowed" in body["problems"][-1]["message"]
    assert (await api.http.get("/api/v1/templates/spring-sale")).status_code == 404


async def test_a_bad_draft_is_refused_and_the_published_version_stays(api: Api) -> None:
    response = await api.http.put(
        "/api/v1/templates/cart-reminder/draft",
        json=_template(mjml=MJML.replace("{{ cart.total }}", "{{ lipsum.__globals__ }}")),
    )
    shown = (await api.http.get("/api/v1/templates/cart-reminder")).json()

    assert response.status_code == 422
    assert response.json()["problems"][0]["line"] == 5
    assert [v["version"] for v in shown["versions"]] == [1]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("post", "/api/v1/templates", _template("cart-reminder"), 409, "conflict"),
        ("post", "/api/v1/templates", _template("Not A Name"), 422, "invalid_request"),
        ("post", "/api/v1/templates/cart-reminder/publish", None, 409, "conflict"),
        ("get", "/api/v1/templates/no-such", None, 404, "not_found"),
        ("post", "/api/v1/templates/no-such/preview", None, 404, "not_found"),
        ("post", "/api/v1/templates/cart-reminder/preview", {"version": 7}, 404, "not_found"),
        ("post", "/api/v1/templates/cart-reminder/test-send", {"to": "nope"}, 422,
         "invalid_request"),
    ],
)  # fmt: skip
async def test_mistakes_answer_4xx_with_a_stable_code(
    api: Api, method: str, path: str, body: dict[str, Any] | None, status: int, code: str
) -> None:
    response = await api.http.request(method.upper(), path, json=body)

    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert response.json()["message"]


async def test_preview_renders_the_sample_cart_or_the_given_variables(api: Api) -> None:
    sample = await api.http.post("/api/v1/templates/cart-discount/preview")
    euros = await api.http.post(
        "/api/v1/templates/cart-discount/preview", json={"currency": "EUR", "locale": "de"}
    )
    # No Italian content: an Italian customer gets the English, prices as English prints them.
    italian = await api.http.post(
        "/api/v1/templates/cart-discount/preview", json={"currency": "EUR", "locale": "it-IT"}
    )
    given = await api.http.post(
        "/api/v1/templates/cart-discount/preview",
        json={"context": {"customer": {"first_name": "<img src=x onerror=alert(1)>"}}},
    )

    assert sample.status_code == 200, sample.text
    preview = sample.json()
    assert (preview["version"], preview["subject"]) == (1, "10% off the items in your cart")
    assert "$280.77" in preview["html"] and "SAVE10-ABC123" in preview["text"]
    assert "https://cdn.example.com/headphones.jpg" in preview["html"]
    assert euros.json()["locale"] in ("en", "de")
    assert ("280,77\u00a0€" if euros.json()["locale"] == "de" else "€280.77") in euros.json()[
        "html"
    ]
    assert (italian.json()["locale"], "€280.77" in italian.json()["html"]) == ("en", True)
    assert "<img src=x" not in given.json()["html"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in given.json()["html"]


async def test_preview_refuses_a_context_no_send_has(api: Api) -> None:
    response = await api.http.post(
        "/api/v1/templates/cart-reminder/preview",
        json={"context": {"cart": {"url": "javascript:alert(1)"}}},
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_context"
    assert response.json()["problems"][0]["field"] == "context.cart.url"


async def test_test_send_goes_to_the_outbox_marked_as_a_test(api: Api) -> None:
    response = await api.http.post(
        "/api/v1/templates/cart-last-chance/test-send", json={"to": "me@example.com"}
    )
    outbox = (await api.http.get("/api/v1/outbox", params={"to": "me@example.com"})).json()

    assert response.status_code == 202, response.text
    sent = response.json()
    assert sent["subject"].startswith("[Test] Last chance")
    [message] = outbox
    assert message["id"] == sent["message_id"]
    assert (message["automation_id"], message["step_id"]) == (None, None)
    assert message["headers"]["X-Boomerang-Test"] == "true"
    assert "SAVE10-ABC123" in message["html"]


async def test_templates_are_the_marketers(api: Api) -> None:
    marketer, developer = api.token(Role.marketer), api.token(Role.developer)
    support, ingest = api.token(Role.support), api.token(Role.ingest)
    preview = "/api/v1/templates/cart-reminder/preview"

    created = await api.http.post("/api/v1/templates", json=_template(), headers=marketer)
    refused = [
        (await api.http.post("/api/v1/templates", json=_template("x"), headers=who)).status_code
        for who in (developer, support)
    ]
    previews = [
        (await api.http.post(preview, headers=who)).status_code
        for who in (marketer, developer, support)
    ]
    test_send = await api.http.post(
        "/api/v1/templates/cart-reminder/test-send", json={"to": "a@example.com"}, headers=support
    )
    listing = await api.http.get("/api/v1/templates", headers=ingest)

    assert created.status_code == 201
    assert refused == [403, 403]
    assert previews == [200, 403, 403]
    assert (test_send.status_code, test_send.json()["code"]) == (403, "forbidden")
    assert listing.status_code == 403


async def test_openapi_describes_the_routes(api: Api) -> None:
    paths = (await api.http.get("/api/v1/openapi.json")).json()["paths"]

    assert set(paths["/api/v1/templates"]) == {"get", "post"}
    for path in ("publish", "preview", "test-send"):
        operation = paths[f"/api/v1/templates/{{template}}/{path}"]["post"]
        assert operation["summary"] and operation["description"]
    assert "put" in paths["/api/v1/templates/{template}/draft"]


async def test_preview_renders_unsaved_content_without_saving_it(api: Api) -> None:
    unsaved = _template(mjml=MJML.replace("Back to your cart", "Finish your order"))
    del unsaved["name"]

    response = await api.http.post(
        "/api/v1/templates/cart-reminder/preview", json={"content": unsaved}
    )
    shown = (await api.http.get("/api/v1/templates/cart-reminder")).json()

    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["version"] is None
    assert "Finish your order" in preview["html"] and "$280.77" in preview["html"]
    assert (preview["subject"], preview["text"]) == (
        "Hi Jane",
        "$280.77: https://shop.example.com/cart/recover/sample",
    )
    assert [v["version"] for v in shown["versions"]] == [1]


async def test_preview_of_unsaved_content_answers_the_save_checks_with_lines(api: Api) -> None:
    broken = MJML.replace("<mj-text>", "<mj-text>{% if discount %}", 1)
    opened = next(n for n, line in enumerate(broken.splitlines(), 1) if "{% if" in line)

    response = await api.http.post(
        "/api/v1/templates/cart-reminder/preview",
        json={"content": {"subject": "Hi", "mjml": broken, "text": "{{ cart.nope }}"}},
    )

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_template"
    assert [(p["field"], p["line"]) for p in body["problems"]] == [("mjml", opened), ("text", 1)]
    assert "endif" in body["problems"][0]["message"]


async def test_the_variables_are_listed_with_sample_values_and_each_passes_the_checks(
    api: Api,
) -> None:
    response = await api.http.get("/api/v1/templates/variables")

    assert response.status_code == 200, response.text
    variables = {v["name"]: v for v in response.json()}
    assert variables["customer.first_name"]["example"] == "Jane"
    assert variables["cart.total"] == {
        "name": "cart.total", "kind": "text", "example": "$280.77", "loop": None,
        "optional": None,
    }  # fmt: skip
    assert variables["cart.url"]["kind"] == "url"
    assert (variables["cart.items"]["kind"], variables["cart.items"]["example"]) == (
        "list",
        "3 items",
    )
    assert (variables["item.name"]["loop"], variables["item.name"]["example"]) == (
        "cart.items",
        "Premium Headphones",
    )
    assert variables["discount.code"]["optional"] == "discount"
    assert "unsubscribe_url" in variables
    # Written the way the builder inserts them, every variable passes the save-time checks.
    printed = []
    for variable in response.json():
        if variable["kind"] == "list":
            continue
        snippet = "{{ " + variable["name"] + " }}"
        if variable["loop"]:
            snippet = f"{{% for item in {variable['loop']} %}}{snippet}{{% endfor %}}"
        if variable["optional"]:
            snippet = f"{{% if {variable['optional']} %}}{snippet}{{% endif %}}"
        printed.append(snippet)
    mjml = MJML.replace("{{ cart.total }}", " ".join(printed))
    content = {"subject": "Hi", "mjml": mjml, "text": ""}
    preview = await api.http.post(
        "/api/v1/templates/cart-reminder/preview", json={"content": content}
    )
    assert preview.status_code == 200, preview.text
    assert "SAVE10-ABC123" in preview.json()["html"]


async def test_test_send_of_unsaved_content_says_where_it_went(api: Api) -> None:
    content = _template(mjml=MJML.replace("Back to your cart", "Unsaved words"))
    del content["name"]

    response = await api.http.post(
        "/api/v1/templates/cart-reminder/test-send",
        json={"to": "unsaved@example.com", "content": content},
    )
    outbox = (await api.http.get("/api/v1/outbox", params={"to": "unsaved@example.com"})).json()

    assert response.status_code == 202, response.text
    sent = response.json()
    assert (sent["version"], sent["transport"], sent["subject"]) == (
        None,
        "outbox",
        "[Test] Hi Jane",
    )
    [message] = outbox
    assert "Unsaved words" in message["html"]


async def test_the_name_variables_is_reserved_for_the_route(api: Api) -> None:
    response = await api.http.post("/api/v1/templates", json=_template("variables"))
    paths = (await api.http.get("/api/v1/openapi.json")).json()["paths"]

    assert response.status_code == 422, response.text
    assert response.json()["problems"][0]["field"] == "name"
    assert "get" in paths["/api/v1/templates/variables"]


# -- languages ---------------------------------------------------------------------------

KOREAN = {"subject": "{{ customer.first_name }}님, 안녕하세요",
          "mjml": MJML.replace("Back to your cart", "장바구니로 돌아가기"),
          "text": "합계: {{ cart.total }}"}  # fmt: skip


async def test_a_template_keeps_its_content_per_locale(api: Api) -> None:
    body = _template(locale="en", translations={"ko_kr": KOREAN})
    created = await api.http.post("/api/v1/templates", json=body)
    old_client = await api.http.put(
        "/api/v1/templates/spring-sale/draft", json=_template(subject="Hello {{ shop.name }}")
    )
    emptied = await api.http.put(
        "/api/v1/templates/spring-sale/draft", json=_template(translations={})
    )

    assert created.status_code == 201, created.text
    [version] = created.json()["versions"]
    assert (version["locale"], version["translations"]) == ("en", {"ko-KR": KOREAN})
    assert "compiled_html" not in version["translations"]["ko-KR"]
    [kept] = old_client.json()["versions"]
    assert (kept["subject"], list(kept["translations"])) == ("Hello {{ shop.name }}", ["ko-KR"])
    assert emptied.json()["versions"][0]["translations"] == {}


async def test_a_translation_s_problems_name_its_locale(api: Api) -> None:
    broken = {**KOREAN, "text": "{{ cart.totl }}"}
    response = await api.http.post(
        "/api/v1/templates", json=_template(translations={"ko": broken, "xx": KOREAN})
    )
    unknown = await api.http.post("/api/v1/templates", json=_template(translations={"xx": KOREAN}))

    assert response.status_code == 422, response.text
    assert [p["field"] for p in unknown.json()["problems"]] == ["translations.xx"]
    bad = await api.http.post("/api/v1/templates", json=_template(translations={"ko": broken}))
    assert bad.status_code == 422
    [problem] = bad.json()["problems"]
    assert (problem["field"], problem["line"]) == ("translations.ko.text", 1)
    assert bad.json()["message"].startswith("translations.ko.text: ")


async def test_preview_and_test_send_render_what_a_customer_with_the_locale_gets(
    api: Api,
) -> None:
    await api.http.post("/api/v1/templates", json=_template(translations={"ko": KOREAN}))
    korean = await api.http.post(
        "/api/v1/templates/spring-sale/preview", json={"locale": "ko-KR", "currency": "KRW"}
    )
    brazilian = await api.http.post(
        "/api/v1/templates/spring-sale/preview", json={"locale": "pt-BR"}
    )
    sent = await api.http.post(
        "/api/v1/templates/spring-sale/test-send", json={"locale": "ko", "to": "m@example.com"}
    )

    assert korean.status_code == 200, korean.text
    assert (korean.json()["locale"], korean.json()["subject"]) == ("ko", "Jane님, 안녕하세요")
    assert korean.json()["text"] == "합계: ₩281"
    assert (brazilian.json()["locale"], brazilian.json()["subject"]) == ("en", "Hi Jane")
    assert (sent.json()["locale"], sent.json()["subject"]) == ("ko", "[Test] Jane님, 안녕하세요")


async def test_missing_locales_say_which_customers_get_the_fallback(api: Api) -> None:
    with session_scope(api.settings.resolved_database_url) as session:
        for index, locale in enumerate(["pl-PL", "pl", "ko-KR", "sv-SE"]):
            session.add(Customer(id=f"cus_{index}", email=f"c{index}@example.com", locale=locale))
    await api.http.post("/api/v1/templates", json=_template(translations={"ko": KOREAN}))

    shown = await api.http.get("/api/v1/templates/spring-sale")

    assert shown.json()["missing_locales"] == [
        {"locale": "pl", "customers": 2, "fallback": "en"},
        {"locale": "sv", "customers": 1, "fallback": "en"},
    ]
