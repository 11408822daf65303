"""`boomerang simulate`: an automation tried on past or sample carts from the command line,
against the database directly (no Temporal, nothing sent), so CI can gate a change on it.

Exit codes: 0 fine; 1 when a send would land after a purchase or an unsubscribe, or a step
would fail; 2 for bad input (the message names the option, the field or the step).
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.language.simulations import SimulatedDefinition, SimulationStatus, SimulationTotals
from engine.runtime.settings import Settings

BAD_INPUT, FLAGGED = 2, 1
# A request field, as the option that sets it.
OPTIONS = {
    "definition": "--definition",
    "version": "--version",
    "compare_to": "--compare-to",
    "carts.last": "--last",
    "carts.abandoned_from": "--from",
    "carts.abandoned_to": "--to",
    "carts.sample": "--samples",
    "carts": "--last, --from/--to or --samples",
}


class BadInput(Exception):
    """What the caller gave is wrong; the message names what."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("automation_id", metavar="AUTOMATION_ID")
    tried = parser.add_mutually_exclusive_group()
    tried.add_argument("--version", type=int, metavar="N", help="a published version to try")
    tried.add_argument(
        "--definition",
        type=Path,
        metavar="FILE.json",
        help="a definition to try, as it would be saved (default: the draft, else the live one)",
    )
    carts = parser.add_mutually_exclusive_group()
    carts.add_argument("--last", type=int, metavar="N", help="the newest N abandoned carts")
    carts.add_argument("--samples", type=Path, metavar="FILE.json", help="sample carts (a list)")
    since = "carts abandoned at or after (ISO date or datetime, UTC)"
    parser.add_argument("--from", dest="abandoned_from", metavar="DATE", help=since)
    until = "carts abandoned before this datetime, or up to this date"
    parser.add_argument("--to", dest="abandoned_to", metavar="DATE", help=until)
    compared = "run the same carts through the live version, or version N"
    parser.add_argument("--compare-to", metavar="live|N", help=compared)
    parser.add_argument("--json", action="store_true", help="print the whole answer as JSON")


def simulate(settings: Settings, arguments: argparse.Namespace) -> int:
    """Try an automation on past or sample carts, nothing sent; exit 1 on a late send or failure.

    Late: a send that would land after a purchase or an unsubscribe."""
    from engine.service import simulation
    from engine.service.errors import InvalidInput, NotFound
    from engine.store.db import session_scope

    try:
        request = _request(arguments)
        with session_scope(settings.resolved_database_url) as session:
            started = simulation.start(session, arguments.automation_id, request)
            progress = _progress if started.carts > simulation.BACKGROUND_ABOVE else None
            done = simulation.run(session, settings, started.id, progress=progress)
            answer = simulation.status(done)
    except BadInput as error:
        return _refuse(str(error))
    except InvalidInput as error:
        lines = [f"  {_problem(p.step_id, p.field, p.message)}" for p in error.problems]
        return _refuse(error.message, *(lines if len(lines) > 1 else []))
    except NotFound as error:
        return _refuse(str(error.args[0] if error.args else error))
    if arguments.json:
        _out(answer.model_dump_json(indent=2))
    else:
        for line in readable(answer):
            _out(line)
    totals = answer.totals
    return FLAGGED if totals is not None and (totals.late_sends or totals.failures) else 0


def _request(arguments: argparse.Namespace) -> Any:
    from engine.language.simulations import SimulationRequest

    body: dict[str, Any] = {}
    if arguments.version is not None:
        body["version"] = arguments.version
    if arguments.definition is not None:
        definition = _json_file("--definition", arguments.definition)
        if (
            isinstance(definition, dict)
            and "steps" not in definition
            and "definition" in definition
        ):
            definition = definition["definition"]  # an automation as the API shows it
        body["definition"] = definition
    carts: dict[str, Any] = {}
    if arguments.last is not None:
        carts["last"] = arguments.last
    if arguments.abandoned_from is not None:
        carts["abandoned_from"] = arguments.abandoned_from
    if arguments.abandoned_to is not None:
        carts["abandoned_to"] = arguments.abandoned_to
    if arguments.samples is not None:
        samples = _json_file("--samples", arguments.samples)
        if not isinstance(samples, list):
            raise BadInput(f"--samples: {arguments.samples} must hold a JSON list of carts")
        carts["sample"] = samples
    if carts:
        body["carts"] = carts
    if arguments.compare_to is not None:
        compare_to = arguments.compare_to
        if compare_to != "live":
            try:
                compare_to = int(compare_to)
            except ValueError:
                raise BadInput(
                    f"--compare-to: {compare_to!r} is not `live` nor a version number"
                ) from None
        body["compare_to"] = compare_to
    try:
        return SimulationRequest.model_validate(body)
    except ValidationError as error:
        raise BadInput(_validation_message(error)) from None


def _json_file(option: str, path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BadInput(f"{option}: cannot read {path}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadInput(f"{option}: {path} is not JSON: {error}") from None


def _validation_message(error: ValidationError) -> str:
    """The first problem, named by the option (and the field inside a file) it comes from."""
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    # A check of the whole request (or selection) names its field in the message.
    head, _, rest = message.partition(": ")
    named = f"{location}.{head}" if location else head
    if rest and named in OPTIONS:
        location, message = named, rest
    for field, option in sorted(OPTIONS.items(), key=lambda item: -len(item[0])):
        if location == field:
            return f"{option}: {message}"
        if location.startswith(field + "."):
            return f"{option}: {location.removeprefix(field + '.')}: {message}"
    return f"{location}: {message}" if location else message


def _problem(step_id: str | None, field: str, message: str) -> str:
    where = f"step {step_id}: " if step_id else ""
    return f"{where}{field}: {message}" if field else f"{where}{message}"


def _progress(done: int, total: int) -> None:
    _err(f"boomerang simulate: {done:,} of {total:,} carts")


def _refuse(message: str, *details: str) -> int:
    _err(f"boomerang simulate: {message}")
    for line in details:
        _err(line)
    return BAD_INPUT


def _out(line: str) -> None:
    print(line, flush=True)  # noqa: T201 - a command line speaks on stdout


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)  # noqa: T201 - progress and errors on stderr


# -- the answer, readable -----------------------------------------------------------------


def _definition(described: SimulatedDefinition) -> str:
    if described.kind == "version":
        return f"version {described.version}"
    return "the draft" if described.kind == "draft" else "the given definition"


def readable(answer: SimulationStatus) -> list[str]:
    """The totals as a person reads them (docs/simulation.md defines each figure)."""
    lines = [
        f"Simulation {answer.id}: automation {answer.automation_id}, "
        f"{_definition(answer.tried)}, {answer.carts:,} carts (nothing sent)"
    ]
    if answer.status != "done" or answer.totals is None:
        return [*lines, f"  {answer.status}: {answer.error or ''}".rstrip()]
    lines += _totals(answer.totals)
    if answer.compared_with is not None and answer.difference is not None:
        lines.append(f"Compared with {_definition(answer.compared_with)}:")
        summary = answer.difference.summary or ["no difference"]
        lines += [f"  {line}" for line in summary]
    return lines


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value:,}" for key, value in sorted(counts.items())) or "none"


def _totals(totals: SimulationTotals) -> list[str]:
    lines = [f"  Carts entering  {totals.entered:,} of {totals.carts:,}"]
    if totals.not_entered:
        lines.append(f"  Not entering    {_counts(totals.not_entered)}")
    if totals.held_out:
        lines.append(f"  Held out        {totals.held_out:,}")
    lines.append(f"  Emails          {totals.emails:,}")
    lines += [
        f"    {step_id:<14}{step.emails:,}" for step_id, step in totals.steps.items() if step.emails
    ]
    deferred = {step_id: step.deferred for step_id, step in totals.steps.items() if step.deferred}
    if deferred:
        lines.append(f"  Deferred        {_counts(deferred)} (quiet hours, frequency cap)")
    value = ", ".join(f"{amount.currency} {amount.amount}" for amount in totals.code_value)
    lines.append(
        f"  Codes           {totals.codes:,}" + (f" (face value {value})" if value else "")
    )
    if totals.webhooks:
        lines.append(f"  Webhooks        {totals.webhooks:,}")
    lines.append(f"  Outcomes        {_counts(totals.outcomes)}")
    lines.append(f"  Late sends      {totals.late_sends:,} (after a purchase or an unsubscribe)")
    lines += [
        f"    cart {late.cart_id} step {late.step_id} at {late.at:%Y-%m-%d %H:%M}: "
        f"{late.after} at {late.happened_at:%Y-%m-%d %H:%M}"
        for late in totals.late_send_examples
    ]
    lines.append(f"  Failures        {totals.failures:,}")
    lines += [
        f"    cart {failed.cart_id} step {failed.step_id}: {failed.error}"
        for failed in totals.failure_examples
    ]
    return lines
