"""Events a shop sends: what was accepted."""

from pydantic import BaseModel, Field


class EventAccepted(BaseModel):
    id: str
    duplicate: bool = Field(description="True when this event id was accepted before.")


class EventsAccepted(BaseModel):
    events: list[EventAccepted]
