"""Shop platform integrations: what a webhook call became."""

from typing import Literal

from pydantic import BaseModel, Field


class WebhookReceived(BaseModel):
    result: Literal["applied", "duplicate", "ignored", "failed", "ping"] = Field(
        description="applied; duplicate (this delivery id was applied before); ignored (a "
        "topic we do not map); failed (the payload does not map: see `detail`); ping "
        "(WooCommerce's test call when a webhook is created)"
    )
    events: list[str] = Field(description="The ids of the events it became")
    detail: str = ""
