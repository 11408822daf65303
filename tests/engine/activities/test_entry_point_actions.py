"""An action from a package outside the repo, registered through the `boomerang.actions` group.

The example package in tests/fixtures/example_actions is installed for real (built by its
setuptools backend into a fresh folder); then the registry, the worker, the catalog and a
journey see its action like a built-in one.
"""

import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from temporalio.testing import ActivityEnvironment

from engine.activities.runner import build_activities
from engine.language import actions as registry
from engine.language.actions import ENTRY_POINT_GROUP, load_actions
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from tests.builder_api import conftest as builder_api
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, cart_event, eventually

REPO = Path(__file__).resolve().parents[3]
EXAMPLE_PACKAGE = REPO / "tests" / "fixtures" / "example_actions"
MODULE = "boomerang_example_actions"
ACTION = "add_loyalty_points"

api = builder_api.api  # the API fixture (real Temporal and database) for this module too


def _install(source: Path, target: Path) -> None:
    """`uv pip install --target` (uv is what `make` uses), else pip; no network if it can."""
    uv = shutil.which("uv") or REPO / ".tools" / "bin" / "uv"
    if Path(uv).is_file():
        command = [str(uv), "pip", "install", "--python", sys.executable]
        attempts = [[*command, "--offline"], command]  # setuptools from uv's cache if it is there
    elif importlib.util.find_spec("pip"):
        attempts = [[sys.executable, "-m", "pip", "install", "--quiet"]]
    else:
        pytest.skip("installing the example package needs uv (`make` provides it) or pip")
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    for attempt in attempts:
        done = subprocess.run(
            [*attempt, "--no-deps", "--target", str(target), str(source)],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        if done.returncode == 0:
            return
    raise AssertionError(f"installing the example package failed:\n{done.stderr}")


@pytest.fixture(scope="module", autouse=True)
def example_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example installed on sys.path before any worker is built; gone again afterwards."""
    work = tmp_path_factory.mktemp("example-actions")
    # Build a copy: setuptools writes build/ and *.egg-info next to the sources.
    source = shutil.copytree(EXAMPLE_PACKAGE, work / "source")
    target = work / "site-packages"
    _install(source, target)
    assert (target / MODULE).is_dir() and list(target.glob("*.dist-info/entry_points.txt"))
    with pytest.MonkeyPatch.context() as patch:
        # Also invalidates the import caches, so importlib.metadata sees the new dist-info.
        patch.syspath_prepend(str(target))
        yield target
    # Other modules' tests know the built-in actions only.
    registry._registry.pop(ACTION, None)
    for name in [name for name in sys.modules if name.split(".")[0] == MODULE]:
        del sys.modules[name]


def test_load_actions_finds_the_installed_action(example_package: Path) -> None:
    found = load_actions()[ACTION]

    assert ACTION in {point.name for point in entry_points(group=ENTRY_POINT_GROUP)}
    assert Path(inspect.getfile(found.function)).is_relative_to(example_package)
    assert (found.label, found.category) == ("Add loyalty points", "Loyalty")
    assert found.description == "Credit the cart's customer with loyalty points."
    assert found.json_schema()["properties"]["points"]["title"] == "Points"
    assert found.messages_customer is False


async def test_the_worker_runs_it_once_per_step(tmp_path: Path) -> None:
    [run] = [a for a in build_activities(Settings(data_dir=tmp_path)) if a.__name__ == ACTION]
    request = ActionRequest(
        workflow_id="journey:aut_1:cart_1",
        step_id="points",
        automation_id="aut_1",
        automation_version=1,
        cart_id="cart_1",
        customer_id="cus_1",
        params={"points": 50},
    )
    env = ActivityEnvironment()

    first = await env.run(run, request)
    retry = await env.run(run, request)

    assert first.model_dump() == {"status": "added", "points": 50}
    assert retry.model_dump() == {"status": "added", "points": 50, "repeated": True}
    [credit] = (tmp_path / "loyalty-points").iterdir()
    assert json.loads(credit.read_text()) == {
        "idempotency_key": "journey:aut_1:cart_1:points",
        "customer_id": "cus_1",
        "points": 50,
    }


def _loyalty_automation(points: Any) -> dict[str, Any]:
    return {
        "name": "Loyalty points for abandoners",
        "active": True,
        "definition": {
            "trigger": {"event": "cart_abandoned"},
            "steps": [
                {"id": "points", "type": "action", "action": ACTION, "params": {"points": points}}
            ],
        },
    }


async def test_the_catalog_lists_it_and_a_journey_runs_it(api: Api) -> None:
    catalog = (await api.http.get("/api/v1/catalog")).json()
    refused = await api.http.post("/api/v1/automations", json=_loyalty_automation(0))
    created = await api.http.post("/api/v1/automations", json=_loyalty_automation(50))
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_loyal"))

    async def journeys() -> list[dict[str, Any]]:
        params = {"cart_id": "cart_loyal", "automation_id": created.json()["id"]}
        found: list[dict[str, Any]] = (await api.http.get("/api/v1/journeys", params=params)).json()
        return found

    def finished(found: list[dict[str, Any]]) -> bool:
        return [journey["status"] for journey in found] == ["completed"]

    [journey] = await eventually(journeys, finished)
    detail = (await api.http.get(f"/api/v1/journeys/{journey['id']}")).json()

    [listed] = [entry for entry in catalog["actions"] if entry["name"] == ACTION]
    assert (listed["label"], listed["category"]) == ("Add loyalty points", "Loyalty")
    assert listed["params_schema"]["properties"]["points"]["type"] == "integer"
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "params.points"
    assert created.status_code == 201, created.text
    assert detail["outcome"] == "completed"
    [step] = [step for step in detail["steps"] if step["step_id"] == "points"]
    assert step["detail"] == {"status": "added", "points": 50}
    [credit] = (api.settings.data_dir / "loyalty-points").iterdir()
    assert json.loads(credit.read_text())["idempotency_key"] == f"{journey['id']}:points"
