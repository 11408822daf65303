"""The automation lifecycle on a real database: drafts, publishing, rollback, archive,
duplicates, presets, the 30-day numbers, and the problems a definition is refused with."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session, select

from engine.language.definition import Automation, walk
from engine.language.presets import INSTALLED_ON_FIRST_START, PRESETS, seconds
from engine.service import automation_stats, automation_versions, automations
from engine.service.errors import Conflict, InvalidInput, NotFound
from engine.store import models
from engine.store.db import session_scope
from engine.store.types import utcnow
from tests.support import automation


def _definition(**changes: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {**automation(wait="1h")["definition"], "name": "Reminder"}
    definition.update(changes)
    return definition


def _created(session: Session, name: str = "Reminder", *, active: bool = False) -> str:
    row, _ = automations.create_published(session, name, _definition(), active=active)
    return row.id


# -- problems -----------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_each_with_its_step(url: str) -> None:
    definition = _definition(
        steps=[
            {"id": "wait-1", "type": "wait", "duration": "soon"},
            {"id": "email-1", "type": "action", "action": "send_email",
             "params": {"template": "no-such-template"}},
            {"id": "vip?", "type": "condition",
             "if": {"field": "customer.segment", "op": "is", "value": "vip"},
             "then": [{"id": "bad id", "type": "exit"}]},
            {"type": "wait", "duration": "1h"},
        ]
    )  # fmt: skip

    with session_scope(url) as session:
        found = automations.problems(session, definition)

    assert [(p.field, p.step_id, p.message) for p in found] == [
        ("steps.0.wait.duration", "wait-1",
         "step 'wait-1': 'soon' is not a duration such as 90s, 30m, 2h, 7d, 1h30m or ISO 8601 "
         "(PT2H)"),
        ("steps.2.condition.if.op", "vip?",
         "step 'vip?': 'is' is not allowed for 'op': use 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', "
         "'in', 'not_in', 'contains' or 'exists'"),
        ("steps.2.condition.then.0.exit.id", "bad id",
         "step 'bad id': 'bad id' does not fit: a step id uses letters, digits, -, _ and ? only "
         "(no spaces or dots)"),
        ("steps.3.wait.id", None, "every step needs an id"),
        # The action step parses on its own, so its params are checked too.
        ("params.template", "email-1",
         "step 'email-1': no template named 'no-such-template' (it must exist and have a "
         "published version)"),
    ]  # fmt: skip


def test_steps_that_can_never_run_and_conditions_on_missing_steps_are_problems(url: str) -> None:
    definition = _definition(
        steps=[
            {"id": "code?", "type": "condition",
             "if": {"field": "steps.code.code", "op": "exists"},
             "then": [{"id": "stop", "type": "exit", "outcome": "lost"},
                      {"id": "never", "type": "wait", "duration": "1h"}]},
        ]
    )  # fmt: skip

    with session_scope(url) as session:
        found = automations.problems(session, definition)

    assert {(p.step_id, p.message) for p in found} == {
        ("never", "step 'never' can never run: it comes after the exit step 'stop'"),
        ("code?", "step 'code?': tests steps.code.code, but there is no action step 'code' "
                  "whose result it could read"),
    }  # fmt: skip


# -- drafts, publishing, rollback ---------------------------------------------------------


def test_a_draft_may_be_invalid_and_publishing_it_is_refused_with_every_problem(
    url: str,
) -> None:
    broken = _definition(steps=[{"id": "w", "type": "wait", "duration": "soon"},
                                {"id": "e", "type": "action", "action": "send_fax"}])  # fmt: skip
    with session_scope(url) as session:
        automation_id = _created(session)
        automations.save_draft(session, automation_id, broken)

    with session_scope(url) as session, pytest.raises(InvalidInput) as refused:
        automation_versions.publish(session, automation_id)

    assert refused.value.code == "invalid_definition"
    assert [p.step_id for p in refused.value.problems] == ["w", "e"]
    with session_scope(url) as session:
        kept = automations.get(session, automation_id)
        assert (kept.current_version, kept.draft) == (1, broken), "nothing half-written"


def test_publishing_the_draft_makes_the_next_version_with_its_diff(url: str) -> None:
    with session_scope(url) as session:
        automation_id = _created(session)
        automations.save_draft(session, automation_id, _definition(steps=[
            {"id": "wait-1", "type": "wait", "duration": "2h"},
            *_definition()["steps"][1:],
        ]))  # fmt: skip
        published = automation_versions.publish(session, automation_id)
        after = automations.get(session, automation_id)

        assert (published.version.version, after.current_version, after.draft) == (2, 2, None)
        assert published.diff.summary() == ["Step 'wait-1' (wait) changed: duration '1h' → '2h'"]
        assert automation_versions.versions(session, automation_id)[0].definition["steps"][0] == {
            "id": "wait-1", "type": "wait", "duration": "2h"
        }  # fmt: skip


def test_publishing_nothing_or_the_same_definition_is_a_conflict(url: str) -> None:
    with session_scope(url) as session:
        automation_id = _created(session)
        with pytest.raises(Conflict) as no_draft:
            automation_versions.publish(session, automation_id)
        automations.save_draft(session, automation_id, _definition())
        with pytest.raises(Conflict) as unchanged:
            automation_versions.publish(session, automation_id)

    assert (no_draft.value.code, unchanged.value.code) == ("no_draft", "unchanged")


def test_rollback_publishes_a_copy_of_the_old_version(url: str) -> None:
    with session_scope(url) as session:
        automation_id = _created(session)
        automation_versions.publish_version(
            session, automation_id, _definition(exit_on=["unsubscribed"])
        )
        rolled = automation_versions.rollback(session, automation_id, 1)
        history = automation_versions.history(session, automation_id)

    assert (rolled.version.version, rolled.version.source_version) == (3, 1)
    assert [(row.version, row.source_version) for row, _ in history] == [(3, 1), (2, None),
                                                                         (1, None)]  # fmt: skip
    assert history[0][0].definition == history[2][0].definition
    assert rolled.diff.exit_on is not None
    assert rolled.diff.exit_on.after == ["order_placed", "cart_recovered", "unsubscribed"]


def test_a_published_definition_with_a_new_name_renames_the_automation(url: str) -> None:
    with session_scope(url) as session:
        automation_id = _created(session)
        renaming = {**automation(wait="2h")["definition"], "name": "Gentle reminder"}
        automations.save_draft(session, automation_id, renaming)
        checked = automation_versions.check(session, automation_id)
        published = automation_versions.publish(session, automation_id)
        renamed = automations.get(session, automation_id).name
        rolled_back = automation_versions.rollback(session, automation_id, 1)

    assert checked.diff is not None
    assert "Renamed from 'Reminder' to 'Gentle reminder'" in checked.diff.summary()
    assert (published.version.definition["name"], renamed) == ("Gentle reminder", "Gentle reminder")
    assert rolled_back.version.definition["name"] == "Gentle reminder", "rollback keeps the name"


def test_unknown_automations_and_versions_are_not_found(url: str) -> None:
    with session_scope(url) as session:
        automation_id = _created(session)
        with pytest.raises(NotFound, match="no automation 'aut_nope'"):
            automations.version(session, "aut_nope", 1)
        with pytest.raises(NotFound, match="has no version 7"):
            automation_versions.rollback(session, automation_id, 7)


# -- status, archive, duplicate -----------------------------------------------------------


def test_archive_only_inactive_automations_which_leave_the_list_and_cannot_change(
    url: str,
) -> None:
    with session_scope(url) as session:
        active = _created(session, "Live", active=True)
        inactive = _created(session, "Old")
        with pytest.raises(Conflict) as refused:
            automations.archive(session, active)
        automations.archive(session, inactive)
        automations.archive(session, inactive)  # again: nothing more happens
        listed = {a.name for a, _ in automations.list_with_definitions(
            session, include_archived=False)}  # fmt: skip
        everything = {a.name for a, _ in automations.list_with_definitions(session)}
        with pytest.raises(Conflict) as editing:
            automations.save_draft(session, inactive, _definition())

    assert refused.value.code == "active"
    assert "Old" not in listed and {"Live", "Old"} <= everything
    assert editing.value.code == "archived"


def test_a_duplicate_is_inactive_with_the_current_definition_as_version_1(url: str) -> None:
    with session_scope(url) as session:
        original = _created(session, "Reminder", active=True)
        automation_versions.publish_version(
            session, original, _definition(exit_on=["unsubscribed"])
        )
        copy, first = automations.duplicate(session, original)

        assert (copy.name, copy.status, copy.current_version) == ("Reminder (copy)", "inactive", 1)
        assert first.definition["exit_on"] == ["unsubscribed"]
        assert first.definition["name"] == "Reminder (copy)"


# -- the numbers --------------------------------------------------------------------------


def test_sends_and_recoveries_of_the_last_30_days(url: str) -> None:
    now = utcnow()
    with session_scope(url) as session:
        mine, other = _created(session, "Mine"), _created(session, "Other")
        for n, (automation_id, status, age) in enumerate([
            (mine, "sent", timedelta(days=1)),
            (mine, "sent", timedelta(days=29)),
            (mine, "sent", timedelta(days=31)),  # too old
            (mine, "failed", timedelta(days=1)),
            (other, "sent", timedelta(days=1)),
        ]):  # fmt: skip
            session.add(models.Message(
                idempotency_key=f"k{n}", automation_id=automation_id, to_email="a@x.com",
                subject="s", html="", text="", transport="outbox", status=status,
                sent_at=now - age,
            ))  # fmt: skip
        for cart_id, status, age in [("c1", "recovered", timedelta(days=2)),
                                     ("c2", "recovered", timedelta(days=40)),
                                     ("c3", "lost", None)]:  # fmt: skip
            session.add(models.Cart(id=cart_id, status=status, total=Decimal(10),
                                    recovered_at=now - age if age else None))  # fmt: skip
            session.add(models.Enrolment(
                automation_id=mine, automation_version=1, subject_id=cart_id, cart_id=cart_id,
                enrolled_at=now,
            ))  # fmt: skip
        session.flush()

        found = automation_stats.stats(session, [mine, other])

    assert found == {mine: automation_stats.Stats(2, 1), other: automation_stats.Stats(1, 0)}


# -- presets ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_is_a_valid_definition_in_real_and_test_time(url: str, key: str) -> None:
    preset = PRESETS[key]
    with session_scope(url) as session:
        assert automations.problems(session, preset.definition()) == []
        assert automations.problems(session, preset.definition(seconds(1))) == []
        row, _ = automations.install_preset(session, key)

    assert (row.status, row.preset) == ("inactive", key)
    assert row.name.startswith(preset.name)  # `(2)` for the one installed on first start
    waits = [
        step.duration
        for step in walk(Automation.model_validate(preset.definition(seconds(1))).steps)
        if step.type == "wait"
    ]
    assert all(wait == timedelta(seconds=1) for wait in waits)


def test_a_preset_installed_twice_makes_two_automations_and_first_start_adds_none(
    url: str,
) -> None:
    with session_scope(url) as session:
        first, _ = automations.install_preset(session, "three-step")
        second, _ = automations.install_preset(session, "three-step")
        automations.install_presets(session, INSTALLED_ON_FIRST_START)  # every start does
        single = session.exec(
            select(models.Automation).where(models.Automation.preset == "single-reminder")
        ).all()
        with pytest.raises(NotFound, match="no preset 'nope'"):
            automations.install_preset(session, "nope")
        installed = automations.installed_presets(session)

    assert (first.name, second.name) == (
        "Abandoned cart — three-step sequence",
        "Abandoned cart — three-step sequence (2)",
    )
    assert len(single) == 1, "the first-start preset is installed once"
    assert installed["three-step"] == [first.id, second.id]


def test_the_three_step_preset_promises_its_timing() -> None:
    steps = {step["id"]: step for step in PRESETS["three-step"].definition()["steps"]}

    assert [steps[i]["duration"] for i in ("wait-1", "wait-2", "wait-3")] == ["1h", "1d", "2d"]
    assert steps["code-10"]["params"] == {"percent": 10, "expires_in": "7d"}
    assert steps["code-15"]["params"] == {"percent": 15, "expires_in": "24h"}
    assert [steps[i]["params"]["template"] for i in ("email-1", "email-2", "email-3")] == [
        "cart-reminder", "cart-discount", "cart-last-chance"
    ]  # fmt: skip
    assert (steps["mark-lost"]["action"], steps["lost"]["outcome"]) == ("mark_cart_lost", "lost")
