"""Webhooks providers call: what a delivery report call recorded."""

from pydantic import BaseModel, Field


class BrevoWebhookResult(BaseModel):
    recorded: int = Field(description="New delivery reports of our messages.")
    repeated: int = Field(description="Reports recorded before (Brevo sends some twice).")
    ignored: int = Field(description="Events Boomerang does not track.")
    unknown: int = Field(description="Events of messages Boomerang did not send.")
