"""What changed between two versions of an automation definition, by step id. Pure.

Steps are matched by their stable `id`, wherever they sit in the tree: a step is added,
removed, changed (the fields that differ, nested branches left out: their steps are
compared on their own), or moved (to another branch, or to another place among the
steps it shares a branch with). The trigger, `exit_on`, settings and name are compared
field by field. Both definitions are compared in their normal form (`2h` and `PT2H`
are the same wait).
"""

from dataclasses import dataclass, field
from typing import Any

from engine.language.definition import Automation

_BRANCH_FIELDS = {
    "condition": ("then", "else"),
    "wait_for_event": ("on_event", "on_timeout"),
}
ROOT = "steps"


@dataclass(frozen=True)
class FieldChange:
    field: str  # dotted path inside the step, trigger or settings: `params.subject`
    before: Any  # None when the field was not set
    after: Any


@dataclass(frozen=True)
class StepRef:
    step_id: str
    type: str
    branch: str  # where it sits: `steps`, `vip?.then`, `subject-test.variants.urgency`


@dataclass(frozen=True)
class StepChange:
    step_id: str
    type: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class StepMove:
    step_id: str
    before: str  # the branch, with the step it followed: `steps after wait-1`
    after: str


@dataclass
class DefinitionDiff:
    added: list[StepRef] = field(default_factory=list)
    removed: list[StepRef] = field(default_factory=list)
    changed: list[StepChange] = field(default_factory=list)
    moved: list[StepMove] = field(default_factory=list)
    trigger: list[FieldChange] = field(default_factory=list)
    settings: list[FieldChange] = field(default_factory=list)
    exit_on: FieldChange | None = None
    name: FieldChange | None = None

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.moved
            or self.trigger
            or self.exit_on
            or self.settings
            or self.name
        )

    def summary(self) -> list[str]:
        """One sentence per change, as the version history shows them."""
        lines = []
        if self.name:
            lines.append(f"Renamed from {_show(self.name.before)} to {_show(self.name.after)}")
        lines += [f"Trigger: {_change(c)}" for c in self.trigger]
        if self.exit_on:
            lines.append(f"Exits on {_show(self.exit_on.after)} (was {_show(self.exit_on.before)})")
        lines += [f"Settings: {_change(c)}" for c in self.settings]
        lines += [f"Step {s.step_id!r} ({s.type}) added in {s.branch}" for s in self.added]
        lines += [f"Step {s.step_id!r} ({s.type}) removed from {s.branch}" for s in self.removed]
        for step in self.changed:
            changes = "; ".join(_change(c) for c in step.fields)
            lines.append(f"Step {step.step_id!r} ({step.type}) changed: {changes}")
        lines += [f"Step {m.step_id!r} moved from {m.before} to {m.after}" for m in self.moved]
        return lines


def diff_definitions(before: Automation | None, after: Automation) -> DefinitionDiff:
    """The changes that turn `before` into `after`; everything is added when `before` is None."""
    new = after.model_dump(mode="json", by_alias=True)
    old = before.model_dump(mode="json", by_alias=True) if before is not None else None
    if old is None:
        return DefinitionDiff(added=[_ref(s, p) for s, p in _steps(new).values()])
    result = DefinitionDiff(
        trigger=_fields(old["trigger"], new["trigger"]),
        settings=_fields(old["settings"], new["settings"]),
    )
    if old["exit_on"] != new["exit_on"]:
        result.exit_on = FieldChange("exit_on", old["exit_on"], new["exit_on"])
    if old["name"] != new["name"]:
        result.name = FieldChange("name", old["name"], new["name"])
    old_steps, new_steps = _steps(old), _steps(new)
    kept = old_steps.keys() & new_steps.keys()
    result.removed = [_ref(*old_steps[i]) for i in old_steps if i not in kept]
    result.added = [_ref(*new_steps[i]) for i in new_steps if i not in kept]
    moved = _moved(old_steps, new_steps, kept)
    for step_id in (i for i in new_steps if i in kept):  # in the new version's order
        (was, was_at), (step, now_at) = old_steps[step_id], new_steps[step_id]
        if fields := _fields(_own(was), _own(step)):
            result.changed.append(StepChange(step_id, step["type"], fields))
        if step_id in moved:
            result.moved.append(StepMove(step_id, was_at.where(kept), now_at.where(kept)))
    return result


# -- where steps sit ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    branch: str
    siblings_before: tuple[str, ...]  # ids of the steps before it in its branch

    def where(self, kept: set[str]) -> str:
        """The branch and the kept step it follows: added or removed neighbours do not make
        a step count as moved."""
        previous = [s for s in self.siblings_before if s in kept]
        return f"{self.branch} after {previous[-1]!r}" if previous else f"{self.branch} (first)"


_Tree = dict[str, tuple[dict[str, Any], _Place]]  # step id → the step and where it sits


def _steps(definition: dict[str, Any]) -> _Tree:
    """Every step by id, in document order (depth first)."""
    found: _Tree = {}

    def visit(steps: list[dict[str, Any]], branch: str) -> None:
        for index, step in enumerate(steps):
            before = tuple(s["id"] for s in steps[:index])
            found[step["id"]] = (step, _Place(branch, before))
            for name, children in _branches(step):
                visit(children, f"{step['id']}.{name}")

    visit(definition["steps"], ROOT)
    return found


def _moved(old: _Tree, new: _Tree, kept: set[str]) -> set[str]:
    """Steps in another branch, and the fewest steps whose moving explains a new order within
    a branch (those outside the longest common subsequence)."""
    moved = {i for i in kept if old[i][1].branch != new[i][1].branch}
    for branch in {new[i][1].branch for i in kept - moved}:
        before = [i for i in old if i in kept and i not in moved and old[i][1].branch == branch]
        after = [i for i in new if i in kept and i not in moved and new[i][1].branch == branch]
        moved |= set(after) - _common_order(before, after)
    return moved


def _common_order(a: list[str], b: list[str]) -> set[str]:
    """The ids of a longest common subsequence of two orders of the same ids."""
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    common, i, j = set(), 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            common.add(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return common


def _branches(step: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    if step["type"] == "ab_split":
        return [(f"variants.{v['name']}", v["steps"]) for v in step["variants"]]
    return [(name, step.get(name) or []) for name in _BRANCH_FIELDS.get(step["type"], ())]


def _own(step: dict[str, Any]) -> dict[str, Any]:
    """A step without the steps nested in it (compared on their own)."""
    own = {k: v for k, v in step.items() if k not in _BRANCH_FIELDS.get(step["type"], ())}
    if step["type"] == "ab_split":
        own["variants"] = {v["name"]: {"weight": v["weight"]} for v in step["variants"]}
    return own


def _ref(step: dict[str, Any], place: _Place) -> StepRef:
    return StepRef(step["id"], step["type"], place.branch)


# -- fields -------------------------------------------------------------------------------


def _fields(before: Any, after: Any, path: str = "") -> list[FieldChange]:
    """The leaves that differ, as dotted paths; an object set or unset is one change."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in sorted(before.keys() | after.keys()):
            inner = f"{path}.{key}" if path else str(key)
            changes += _fields(before.get(key), after.get(key), inner)
        return changes
    return [] if before == after else [FieldChange(path, before, after)]


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _change(change: FieldChange) -> str:
    return f"{change.field} {_show(change.before)} → {_show(change.after)}"
