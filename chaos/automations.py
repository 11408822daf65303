"""The automations a chaos run keeps busy, created active through the API: short waits
(seconds to a minute) so the kills find journeys at every step, emails (outbox transport),
discount codes, and a post-purchase flow on paid orders. One long wait at the end of the
slow one leaves journeys waiting when the run is checked."""

from typing import Any

import httpx

from chaos.plan import Automations


def _email(step_id: str, template: str) -> dict[str, Any]:
    return {"id": step_id, "type": "action", "action": "send_email",
            "params": {"template": template}}  # fmt: skip


def _wait(step_id: str, duration: str) -> dict[str, Any]:
    return {"id": step_id, "type": "wait", "duration": duration}


def _code(step_id: str, percent: int) -> dict[str, Any]:
    return {"id": step_id, "type": "action", "action": "create_discount",
            "params": {"percent": percent}}  # fmt: skip


def _total(op: str) -> dict[str, Any]:
    return {"field": "cart.total", "op": op, "value": 100}


QUICK: dict[str, Any] = {
    "name": "Chaos quick",
    "trigger": {"event": "cart_abandoned", "filters": _total("lt")},
    "steps": [
        _wait("wait-1", "2s"), _email("email-1", "cart-reminder"),
        _wait("wait-2", "6s"), _code("code-1", 10), _email("email-2", "cart-discount"),
        _wait("wait-3", "15s"), _email("email-3", "cart-last-chance"),
    ],
}  # fmt: skip
SLOW: dict[str, Any] = {
    "name": "Chaos slow",
    "trigger": {"event": "cart_abandoned", "filters": _total("gte")},
    "steps": [
        _wait("wait-1", "12s"), _email("email-1", "cart-reminder"),
        _wait("wait-2", "40s"), _code("code-1", 15), _email("email-2", "cart-discount"),
        _wait("wait-3", "2h"), _email("email-3", "cart-last-chance"),
    ],
}  # fmt: skip
THANKS: dict[str, Any] = {
    "name": "Chaos thanks",
    "trigger": {"event": "order_paid"},
    "exit_on": ["order_cancelled", "unsubscribed"],
    "steps": [
        _email("confirmation", "order-confirmation"),
        _wait("wait-1", "10s"), _email("review", "review-request"),
    ],
}  # fmt: skip
DEFINITIONS = (QUICK, SLOW, THANKS)
assert Automations.cheap_total < 100 <= Automations.dear_total


def create_all(api: str, admin_token: str) -> dict[str, str]:
    """Each automation, active; their ids by name."""
    ids = {}
    headers = {"Authorization": f"Bearer {admin_token}"}
    with httpx.Client(base_url=api, headers=headers, timeout=60) as http:
        for definition in DEFINITIONS:
            body = {"name": definition["name"], "definition": definition, "active": True}
            response = http.post("/api/v1/automations", json=body)
            response.raise_for_status()
            created = response.json()
            if created.get("status") != "active":
                http.post(f"/api/v1/automations/{created['id']}/activate").raise_for_status()
            ids[definition["name"]] = created["id"]
    return ids
