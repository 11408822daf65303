"""Automations: create (published and active) and list."""

from fastapi import APIRouter, status

from builder_api.deps import SessionDep, require
from builder_api.schemas import AutomationCreate, AutomationPublic
from engine.service import automations
from engine.service.auth import Role
from engine.store import models

router = APIRouter(prefix="/automations", tags=["automations"])


def _public(automation: models.Automation, version: models.AutomationVersion) -> AutomationPublic:
    return AutomationPublic(
        id=automation.id,
        name=automation.name,
        status=automation.status,
        version=version.version,
        definition=version.definition,
        created_at=automation.created_at,
    )


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[require(Role.marketer)])
def create_automation(body: AutomationCreate, session: SessionDep) -> AutomationPublic:
    """Create an automation, publish its definition as version 1 and activate it."""
    automation, version = automations.create_published(
        session, body.name, body.definition, active=True
    )
    return _public(automation, version)


@router.get("", dependencies=[require(Role.marketer, Role.support, Role.developer)])
def list_automations(session: SessionDep) -> list[AutomationPublic]:
    """List automations with their current published definition."""
    return [_public(*pair) for pair in automations.list_with_definitions(session)]
