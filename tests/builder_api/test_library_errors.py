"""Library errors never reach a user verbatim: what the MJML compiler, Jinja and pydantic say
about their own internals, and an unexpected exception's text, become a 4xx in words a
marketer acts on (or a bare 500), never the library's message."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from builder_api.main import create_app
from engine.runtime.settings import Settings
from tests.builder_api.conftest import Api
from tests.builder_api.test_templates import MJML, _template

# How a library's own words look when they reach a caller.
LIBRARY_WORDS = [
    "Traceback", "Error:", "object has no attribute", "_io.", "StringIO", "jinja2", "mjml.",
    "pydantic", "Value error,", "input_type=", "[type=", "For further information",
]  # fmt: skip
# MJML the compiler fails on in its own words, each with what the marketer should read.
BROKEN_MJML = {
    "not an <mjml> document": ("Hello {{ customer.first_name }}", "start with <mjml>"),
    "blank": ("   ", "start with <mjml>"),
    "only a fragment": ("<mj-text>Hi</mj-text>", "start with <mjml>"),
    "no body": ("<mjml></mjml>", "<mj-body>"),
}


def _leaks(text: str) -> list[str]:
    return [words for words in LIBRARY_WORDS if words in text]


@pytest.mark.parametrize(("mjml", "advice"), BROKEN_MJML.values(), ids=BROKEN_MJML.keys())
async def test_mjml_the_compiler_cannot_read_is_refused_in_our_words(
    api: Api, mjml: str, advice: str
) -> None:
    content = {"subject": "Hi", "mjml": mjml, "text": "Hi"}
    answers = [
        await api.http.post("/api/v1/templates", json=_template(**content)),
        await api.http.put("/api/v1/templates/cart-reminder/draft", json=content),
        await api.http.post("/api/v1/templates/cart-reminder/preview", json={"content": content}),
    ]

    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert advice in answer.json()["message"], answer.text
        assert _leaks(answer.text) == [], answer.text


@pytest.mark.parametrize(
    "change",
    [
        {"mjml": MJML.replace("{{ cart.total }}", "{{ cart.total ")},  # unclosed
        {"mjml": MJML.replace("{{ cart.total }}", "{% for x in %}")},  # no sequence
        {"subject": "Hi {{ customer.first_name | no_such_filter }}"},
        {"text": "{{ cart.total.__class__ }}"},  # the sandbox refuses it
        {"text": "{{ customer.first_name(1) }}"},  # calling text
    ],
    ids=["unclosed tag", "for without a sequence", "unknown filter", "sandbox", "call"],
)
async def test_jinja_mistakes_are_refused_with_a_line_and_no_library_internals(
    api: Api, change: dict[str, str]
) -> None:
    answer = await api.http.post("/api/v1/templates", json=_template(**change))

    assert answer.status_code == 422, answer.text
    [problem, *_] = answer.json()["problems"]
    assert problem["field"] in ("subject", "mjml", "text") and problem["message"]
    assert _leaks(answer.text) == [], answer.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/settings", {"inactivity_threshold": "soon"}),
        ("/api/v1/settings", {"retention_events": "many"}),
        ("/api/v1/automations", {"name": "x", "definition": {"steps": [{"type": "wait"}]}}),
        ("/api/v1/automations", {"name": "x", "definition": [1, 2]}),
        ("/api/v1/events", {"event": "cart_abandoned", "timestamp": "now", "data": {}}),
    ],
    ids=["duration", "number", "definition", "definition not an object", "event"],
)
async def test_validation_errors_name_the_field_without_pydantic_internals(
    api: Api, path: str, body: dict[str, Any]
) -> None:
    method = "PUT" if path.endswith("/settings") else "POST"
    answer = await api.http.request(method, path, json=body)

    assert answer.status_code == 422, answer.text
    assert answer.json()["message"]
    assert all(problem["field"] for problem in answer.json().get("problems", [])), answer.text
    assert _leaks(answer.text) == [], answer.text


async def test_an_unexpected_exception_answers_a_bare_500_without_its_text(
    settings: Settings,
) -> None:
    app: FastAPI = create_app(settings)

    def boom() -> None:
        raise RuntimeError("password=hunter2 in /srv/boomerang/engine/secret.py")

    app.add_api_route("/api/v1/boom", boom)
    app.router.routes.insert(0, app.router.routes.pop())  # before the UI, mounted at /

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://boomerang.test") as http:
        answer = await http.get("/api/v1/boom")

    assert answer.status_code == 500
    assert "hunter2" not in answer.text and "secret.py" not in answer.text
    assert _leaks(answer.text) == [], answer.text
