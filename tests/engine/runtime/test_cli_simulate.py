"""`boomerang simulate`: the totals on the command line against a prepared SQLite database (no
Temporal), the whole answer as JSON, exit 1 when a send would land after a purchase, exit 2
with the option or step named for bad input."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from engine.language.presets import THREE_STEP
from engine.language.simulations import SimulationStatus
from engine.runtime.cli import main
from engine.runtime.settings import Settings
from engine.service import automations, simulation
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from tests.engine.service.support import record_events
from tests.engine.service.test_simulation import _abandoned, _order

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # a Monday, long past
H = timedelta(hours=1)


@pytest.fixture
def automation_id(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    """The three-email preset over two carts, one bought three hours in; the command line
    finds the database through the environment, as it does in CI."""
    prepare(settings)
    url = settings.resolved_database_url
    monkeypatch.setenv("BOOMERANG_DATABASE_URL", url)
    monkeypatch.setenv("BOOMERANG_DATA_DIR", str(settings.data_dir))
    record_events(
        url,
        settings,
        _abandoned("never", T0, "never@example.com"),
        _abandoned("bought", T0, "bought@example.com"),
        _order("bought", T0 + 3 * H, "bought@example.com"),
    )
    with session_scope(url) as session:
        created, _ = automations.install_preset(session, THREE_STEP.key)
        return created.id


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["simulate", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    code = exited.value.code
    assert isinstance(code, int)
    return code, out, err


def _file(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_the_totals_read_plainly_and_exit_0(
    automation_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, automation_id)

    assert code == 0
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[0].endswith(f"automation {automation_id}, version 1, 2 carts (nothing sent)")
    assert "  Carts entering  2 of 2" in lines
    assert "  Emails          4" in lines
    assert ["    email-1       2", "    email-2       1", "    email-3       1"] == [
        line for line in lines if line.startswith("    email-")
    ]
    assert "  Codes           2 (face value EUR 20.00)" in lines  # 10 % and 15 % of 80 EUR
    assert "  Outcomes        lost 1, purchased 1" in lines
    assert "  Late sends      0 (after a purchase or an unsubscribe)" in lines
    assert "  Failures        0" in lines


def test_compared_with_live_it_prints_the_difference(
    automation_id: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shorter = THREE_STEP.definition()
    shorter["steps"] = [step for step in shorter["steps"] if step["id"] != "email-3"]
    path = _file(tmp_path, "shorter.json", shorter)

    code, out, _ = _run(capsys, automation_id, "--definition", path, "--compare-to", "live")

    assert code == 0
    lines = out.splitlines()
    assert "the given definition" in lines[0]
    compared = lines.index("Compared with version 1:")
    assert "  -1 email at step email-3" in lines[compared + 1 :]


def test_json_is_the_whole_answer(
    automation_id: str, capsys: pytest.CaptureFixture[str], settings: Settings
) -> None:
    code, out, _ = _run(capsys, automation_id, "--json", "--last", "1")

    answer = SimulationStatus.model_validate_json(out)
    assert code == 0 and answer.status == "done" and answer.carts == 1
    assert answer.totals is not None and answer.totals.carts == 1
    with session_scope(settings.resolved_database_url) as session:
        listed = simulation.timelines(session, answer.id)
    assert [cart.cart_id for cart in listed.items] == ["never"]  # the newest: same minute, by id


def test_a_send_after_a_purchase_exits_1(
    automation_id: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    no_exits = {**THREE_STEP.definition(), "exit_on": ["unsubscribed"]}
    path = _file(tmp_path, "no-exits.json", {"name": "as the API shows it", "definition": no_exits})

    code, out, _ = _run(capsys, automation_id, "--definition", path)

    assert code == 1
    assert "  Late sends      2 (after a purchase or an unsubscribe)" in out.splitlines()
    assert "    cart bought step email-2 at 2026-10-06 10:00: purchased at 2026-10-05 12:00" in out


def test_sample_carts_replay_their_own_events(
    automation_id: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sample = {"cart_id": "s1", "customer_email": "s1@example.com", "total": 50,
              "items": [{"id": "p", "name": "Lamp", "price": 50, "quantity": 1}],
              "abandoned_at": T0.isoformat(),
              "events": [{"event": "order_placed", "at": (T0 + 2 * H).isoformat()}]}  # fmt: skip
    path = _file(tmp_path, "samples.json", [sample])

    code, out, _ = _run(capsys, automation_id, "--samples", path)

    assert code == 0
    assert "  Outcomes        purchased 1" in out.splitlines()
    assert "  Emails          1" in out.splitlines()


def test_a_long_run_prints_its_progress_on_stderr(
    automation_id: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(simulation, "BACKGROUND_ABOVE", 1)
    batches_of = simulation.batches_of
    monkeypatch.setattr(simulation, "batches_of", lambda selected: batches_of(selected, size=1))

    code, out, err = _run(capsys, automation_id, "--json")

    assert code == 0 and json.loads(out)["done"] == 2
    assert err.splitlines() == [
        "boomerang simulate: 1 of 2 carts",
        "boomerang simulate: 2 of 2 carts",
    ]


def test_bad_input_exits_2_naming_the_option_field_or_step(
    automation_id: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, settings: Settings
) -> None:
    broken = THREE_STEP.definition()
    broken["steps"][1]["params"]["template"] = "no-such-template"
    orders = {"trigger": {"event": "order_paid"}, "steps": [{"id": "thanks", "type": "action",
              "action": "send_email", "params": {"template": "cart-reminder"}}]}  # fmt: skip
    with session_scope(settings.resolved_database_url) as session:
        on_orders, _ = automations.create_published(session, "Thanks", orders, active=False)
    cases = [
        (["--last", "0"], "--last: Input should be greater than or equal to 1"),
        (["--last", "100001"], "--last: Input should be less than or equal to 100000"),
        (["--from", "last tuesday"], "--from: 'last tuesday' is not an ISO date"),
        (["--definition", str(tmp_path / "missing.json")], "--definition: cannot read"),
        (["--definition", _file(tmp_path, "bad.json", "{nope")], "--definition: "),
        (["--definition", _file(tmp_path, "broken.json", broken)], "email-1"),
        (["--samples", _file(tmp_path, "one.json", {"cart_id": "x"})], "--samples: "),
        (["--samples", _file(tmp_path, "bad-cart.json", [{"cart_id": "x"}])], "--samples: 0."),
        (["--compare-to", "yesterday"], "--compare-to: 'yesterday' is not"),
        (["--compare-to", "0"], "--compare-to: a version number starts at 1"),
        (["--version", "9"], "has no version 9"),
    ]
    for argv, named in cases:
        code, out, err = _run(capsys, automation_id, *argv)
        assert (code, out) == (2, ""), argv
        assert err.startswith("boomerang simulate: ") and named in err, (argv, err)

    code, _, err = _run(capsys, on_orders.id)
    assert code == 2 and "simulation replays abandoned carts" in err
    code, _, err = _run(capsys, "aut_nope")
    assert code == 2 and "aut_nope" in err
    with pytest.raises(SystemExit) as usage:  # argparse: one of --version or --definition
        main(["simulate", automation_id, "--version", "1", "--definition", "x.json"])
    assert usage.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_the_installed_command_runs_in_its_own_process(automation_id: str) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "engine.runtime.cli", "simulate", automation_id],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert "Carts entering  2 of 2" in ran.stdout
