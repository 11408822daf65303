"""No secret or token value reaches a log: a full flow on `boomerang dev` with every secret
set and used, then every line any of its processes wrote is searched for each value."""

import json
import re
import secrets
import signal
import time
from pathlib import Path
from typing import Any

import httpx

from engine.service.signatures import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from tests.e2e.stack import TOKEN, DevStack, wait_for
from tests.loopback_http import Answer, Request, serving
from tests.support import CART_ABANDONED, automation, cart_event

LINK = re.compile(r"/([ru])/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")


def _secret(name: str) -> str:
    """Unmistakable in a log: the name and 24 random characters."""
    return f"{name}-{secrets.token_urlsafe(18)}"


def _flow_with_a_webhook(hook_url: str) -> dict[str, Any]:
    body = automation(wait="1s", name="Reminder and webhook")
    body["definition"]["steps"].append(
        {"id": "hook-1", "type": "action", "action": "send_webhook", "params": {"url": hook_url}}
    )
    return body


def _logs(data_dir: Path) -> str:
    """What every process wrote: `boomerang dev`'s output (the worker's and the API's too)
    and each log file in the data dir (the Temporal server's)."""
    return "\n".join(path.read_text(errors="replace") for path in sorted(data_dir.rglob("*.log")))


def test_no_secret_or_token_value_is_in_any_log_line(stack: DevStack) -> None:
    values = {
        "admin token": TOKEN,
        "link secret": _secret("link"),
        "webhook secret": _secret("webhook"),
        "ingest signing secret": _secret("ingest"),
        "woocommerce secret": _secret("woo"),
        "shopify secret": _secret("shopify"),
        "brevo webhook secret": _secret("brevo"),
    }
    stack.env |= {
        "BOOMERANG_LINK_SECRET": values["link secret"],
        "BOOMERANG_WEBHOOK_SECRET": values["webhook secret"],
        "BOOMERANG_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "BOOMERANG_INGEST_SIGNING_SECRET": values["ingest signing secret"],
        "BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET": values["woocommerce secret"],
        "BOOMERANG_SHOPIFY_WEBHOOK_SECRET": values["shopify secret"],
        "BOOMERANG_BREVO_WEBHOOK_SECRET": values["brevo webhook secret"],
    }
    hooks: list[Request] = []

    def receive(request: Request) -> Answer:
        hooks.append(request)
        return Answer(200, {})

    with serving(receive, "webhook receiver") as port:
        stack.start()
        created = stack.post("/api/v1/tokens", {"name": "log check", "role": "marketer"})
        values["created API token"] = created["token"]
        marketer = {"Authorization": f"Bearer {created['token']}"}
        answer = stack.http.post(
            "/api/v1/automations",
            json=_flow_with_a_webhook(f"http://127.0.0.1:{port}/hook"),
            headers=marketer,
        )
        assert answer.status_code == 201, answer.text

        # The cart arrives signed, not with a token; then a forged signature and a wrong token.
        body = json.dumps(cart_event(CART_ABANDONED, "cart_logs", "logs@example.com")).encode()
        now = str(int(time.time()))
        signed = {SIGNATURE_HEADER: sign(values["ingest signing secret"], now, body),
                  TIMESTAMP_HEADER: now, "Content-Type": "application/json"}  # fmt: skip
        anonymous = httpx.Client(base_url=str(stack.http.base_url), timeout=60)
        accepted = anonymous.post("/api/v1/events", content=body, headers=signed)
        assert accepted.status_code == 202, accepted.text
        forged = {**signed, SIGNATURE_HEADER: sign("not-the-secret", now, body)}
        assert anonymous.post("/api/v1/events", content=body, headers=forged).status_code == 401
        wrong = {"Authorization": f"Bearer {values['created API token']}x"}
        assert anonymous.get("/api/v1/automations", headers=wrong).status_code == 401

        # A platform delivery signed with its secret, and Brevo's webhook with its secret in
        # the URL (as Brevo is configured to call it).
        tested = stack.http.post("/api/v1/integrations/woocommerce/test")
        assert tested.status_code == 200, tested.text
        report = {"event": "delivered", "message-id": "<unknown@example.com>", "ts_event": 1}
        brevo = anonymous.post(
            "/api/v1/webhooks/brevo", params={"secret": values["brevo webhook secret"]},
            json=report,
        )  # fmt: skip
        assert brevo.status_code == 200, brevo.text

        # The email's recovery and unsubscribe links, clicked; the webhook delivered.
        [email] = wait_for(lambda: stack.outbox("logs@example.com"), lambda found: found != [])
        links = dict(LINK.findall(email["html"]))
        values |= {"recovery link token": links["r"], "unsubscribe link token": links["u"]}
        assert anonymous.get(f"/r/{links['r']}").status_code == 302
        assert anonymous.get(f"/u/{links['u']}").status_code == 200
        assert anonymous.post(f"/u/{links['u']}").status_code == 200
        restore = f"/api/v1/carts/cart_logs/restore?token={links['r']}"
        assert anonymous.get(restore).status_code == 200
        wait_for(lambda: len(hooks), lambda count: count >= 1)
        assert hooks[0].headers["x-boomerang-signature"].startswith("sha256=")
        anonymous.close()

        stack.signal_tree(signal.SIGTERM)  # every process flushes and says goodbye
        assert stack.wait_until_gone() == 0

    logs = _logs(stack.data_dir)
    assert "Boomerang is running" in logs, "the logs were captured"
    leaked = {name for name, value in values.items() if value in logs}
    assert leaked == set(), f"in the logs: {sorted(leaked)}"
