"""What a command over many journeys did (pause, resume or cancel an automation's journeys,
or move them to its current version): the use case returns these and the API answers them
as they are (its OpenAPI components `JourneyNotChanged`, `JourneysChanged`, `JourneysMoved`).

Pure, so that whoever reads the API's answers (the `boomerang` client) needs nothing of
the services, the store or Temporal to parse them.
"""

from pydantic import BaseModel, Field


class JourneyNotChanged(BaseModel):
    journey_id: str
    reason: str


class JourneysChanged(BaseModel):
    command: str = Field(description="pause, resume or cancel")
    changed: int
    unchanged: int = Field(description="Already in that state")
    failed: list[JourneyNotChanged]


class JourneysMoved(BaseModel):
    version: int = Field(description="The version they were moved to (the current one)")
    moved: int
    already: int = Field(description="Were on that version already")
    refused: list[JourneyNotChanged] = Field(
        description="Left on their version: their current step is not in the new one"
    )
