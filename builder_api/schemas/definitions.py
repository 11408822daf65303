"""Automation definitions: what checking one found, and what changed between two."""

from dataclasses import asdict
from typing import Any

from pydantic import BaseModel, Field

from engine.language.definition_diff import DefinitionDiff


class DefinitionToCheck(BaseModel):
    definition: dict[str, Any] | None = Field(
        None, description="Default: the draft, else the current version"
    )


class FieldChangePublic(BaseModel):
    field: str = Field(description="Dotted path: `duration`, `params.subject`, `filters.op`")
    before: Any
    after: Any


class StepRefPublic(BaseModel):
    step_id: str
    type: str
    branch: str = Field(description="Where it sits: `steps`, `vip?.then`, `ab.variants.a`")


class StepChangePublic(BaseModel):
    step_id: str
    type: str
    fields: list[FieldChangePublic]


class StepMovePublic(BaseModel):
    step_id: str
    before: str
    after: str


class DefinitionDiffPublic(BaseModel):
    """What changed, by step id; `summary` says it in sentences."""

    added: list[StepRefPublic]
    removed: list[StepRefPublic]
    changed: list[StepChangePublic]
    moved: list[StepMovePublic]
    trigger: list[FieldChangePublic]
    settings: list[FieldChangePublic]
    exit_on: FieldChangePublic | None
    name: FieldChangePublic | None
    summary: list[str]


class DefinitionProblem(BaseModel):
    field: str
    message: str
    step_id: str | None = None


class DefinitionChecked(BaseModel):
    valid: bool
    problems: list[DefinitionProblem] = Field(description="Every problem, each with its step")
    diff: DefinitionDiffPublic | None = Field(
        description="Against the current version, when the definition is valid"
    )


def diff_public(diff: DefinitionDiff) -> DefinitionDiffPublic:
    return DefinitionDiffPublic.model_validate({**asdict(diff), "summary": diff.summary()})
