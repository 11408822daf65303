"""Presets: one-click "quick setup" automations, listed and installed."""

from typing import Annotated

from fastapi import APIRouter, Body, Path, status

from builder_api.automation_answers import automation_public
from builder_api.deps import SessionDep, require
from builder_api.schemas.automations import AutomationPublic
from builder_api.schemas.presets import PresetInstall, PresetPublic
from engine.language.definition import Automation, walk
from engine.language.presets import PRESETS, Preset
from engine.service import automations
from engine.service.auth import Role

router = APIRouter(prefix="/presets", tags=["presets"])


def _templates(preset: Preset) -> list[str]:
    steps = walk(Automation.model_validate(preset.definition()).steps)
    names = (getattr(step, "params", {}).get("template") for step in steps)
    return list(dict.fromkeys(name for name in names if isinstance(name, str)))


@router.get("", dependencies=[require(Role.marketer)])
def list_presets(session: SessionDep) -> list[PresetPublic]:
    """List the presets: what each does, its definition and the automations installed from it."""
    installed = automations.installed_presets(session)
    return [
        PresetPublic(
            key=preset.key,
            name=preset.name,
            category=preset.category,
            description=preset.description,
            what_it_does=list(preset.what_it_does),
            trigger=preset.trigger,
            templates=_templates(preset),
            definition=preset.definition(),
            installed=installed.get(preset.key, []),
        )
        for preset in PRESETS.values()
    ]


@router.post(
    "/{key}/install", status_code=status.HTTP_201_CREATED, dependencies=[require(Role.marketer)]
)
def install_preset(
    key: Annotated[str, Path(max_length=100)],
    session: SessionDep,
    body: Annotated[PresetInstall | None, Body()] = None,
) -> AutomationPublic:
    """Create an automation from the preset, inactive (activate it to start sending); installing
    it again makes another one."""
    automation, _ = automations.install_preset(session, key, body.name if body else None)
    return automation_public(session, automation)
