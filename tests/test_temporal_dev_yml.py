"""temporal-dev.yml (the Docker Compose stack) parses and only uses settings that exist."""

import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.runtime.settings import Settings

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "temporal-dev.yml"
SERVICES = {"postgresql", "temporal", "temporal-ui", "api", "worker", "boomerang-migrate"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def environment_names(block: dict[str, Any]) -> set[str]:
    """Variable names of an `environment` in the mapping or the `KEY=VALUE` list form."""
    environment = block.get("environment") or {}
    if isinstance(environment, dict):
        return set(environment)
    return {item.split("=", 1)[0] for item in environment}


def run_command(service: dict[str, Any]) -> list[str]:
    words: list[str] = []
    for key in ("entrypoint", "command"):
        value = service.get(key) or []
        words += shlex.split(value) if isinstance(value, str) else [str(word) for word in value]
    return words


def test_the_file_has_no_version_key_and_the_services(compose: dict[str, Any]) -> None:
    assert "version" not in compose
    assert set(compose["services"]) >= SERVICES


def test_every_boomerang_variable_is_a_setting(compose: dict[str, Any]) -> None:
    # The services (with anchors merged by the loader) and the x- blocks that hold the anchors.
    blocks = list(compose["services"].values())
    blocks += [value for key, value in compose.items() if key.startswith("x-")]
    names = set().union(*(environment_names(block) for block in blocks))
    boomerang = {name for name in names if name.startswith("BOOMERANG_")}
    assert "BOOMERANG_DATABASE_URL" in boomerang
    unknown = {
        name
        for name in boomerang
        if name.removeprefix("BOOMERANG_").lower() not in Settings.model_fields
    }
    assert not unknown, f"not fields of engine.runtime.settings.Settings: {sorted(unknown)}"


@pytest.mark.parametrize("name", ["api", "worker", "boomerang-migrate"])
def test_boomerang_services_share_the_image_and_settings(
    compose: dict[str, Any], name: str
) -> None:
    service = compose["services"][name]
    assert service["build"] == "."
    assert {
        "BOOMERANG_DATABASE_URL",
        "BOOMERANG_TEMPORAL_ADDRESS",
        "BOOMERANG_API_TOKEN",
    } <= environment_names(service)


@pytest.mark.parametrize(
    ("name", "command"), [("api", "api"), ("worker", "worker"), ("boomerang-migrate", "migrate")]
)
def test_services_run_the_boomerang_command(
    compose: dict[str, Any], name: str, command: str
) -> None:
    assert run_command(compose["services"][name]) == ["boomerang", command]


def test_the_api_listens_on_all_interfaces_after_the_migration(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["environment"]["BOOMERANG_HOST"] == "0.0.0.0"
    assert any(str(port).endswith("8000") for port in api["ports"])
    migrate = api["depends_on"]["boomerang-migrate"]
    assert migrate["condition"] == "service_completed_successfully"


def test_the_worker_can_scale(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    assert not worker.get("ports")
    assert "container_name" not in worker
