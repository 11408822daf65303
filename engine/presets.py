"""One-click "quick setup" automations. Installed presets start inactive."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    description: str
    definition: dict[str, Any]


SINGLE_REMINDER = Preset(
    key="single-reminder",
    name="Abandoned cart — single reminder",
    description="One email with the cart's items 2 hours after the cart was abandoned.",
    definition={
        "name": "Abandoned cart — single reminder",
        "trigger": {"event": "cart_abandoned"},
        "exit_on": ["order_placed", "cart_recovered", "unsubscribed"],
        "steps": [
            {"id": "wait-2h", "type": "wait", "duration": "2h"},
            {
                "id": "reminder",
                "type": "action",
                "action": "send_email",
                "params": {
                    "template": "cart-reminder",
                    "subject": "{{ customer.first_name or 'Hi' }}, your cart is waiting",
                },
            },
        ],
    },
)

PRESETS = {preset.key: preset for preset in (SINGLE_REMINDER,)}
INSTALLED_ON_FIRST_START = (SINGLE_REMINDER,)
