"""The catalog: what the builder may offer, so it renders every form generically."""

from dataclasses import asdict

from fastapi import APIRouter

from builder_api.deps import SessionDep, require
from builder_api.schemas.catalog import CatalogPublic
from engine.service.auth import Role
from engine.service.catalog import build_catalog

router = APIRouter(prefix="/catalog", tags=["catalog"])


# Marketers build with it (the builder's palette and forms); developers add the actions in it.
@router.get("", dependencies=[require(Role.marketer, Role.developer)])
def get_catalog(session: SessionDep) -> CatalogPublic:
    """List the actions with their params' JSON Schema, the step types, events and templates."""
    return CatalogPublic.model_validate(asdict(build_catalog(session)))
