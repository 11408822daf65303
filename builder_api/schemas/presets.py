"""Presets: one-click automations, listed and installed."""

from typing import Any

from pydantic import BaseModel, Field


class PresetPublic(BaseModel):
    key: str
    name: str
    category: str = Field(description="`abandoned_cart` or `post_purchase`")
    description: str
    what_it_does: list[str]
    trigger: str = Field(description="The event that starts its journeys")
    templates: list[str] = Field(description="The email templates it sends")
    definition: dict[str, Any]
    installed: list[str] = Field(description="Automations installed from it (not archived)")


class PresetInstall(BaseModel):
    name: str | None = Field(
        None, min_length=1, max_length=200, description="Default: the preset's name"
    )
