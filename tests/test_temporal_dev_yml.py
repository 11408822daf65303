"""temporal-dev.yml (the Docker Compose stack) parses, only uses settings that exist, and has
the layout docs/deploy.md describes: scalable API replicas behind a load balancer, scalable
workers, the Temporal TLS and API key settings shown."""

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.runtime.settings import Settings

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "temporal-dev.yml"
NGINX_CONF = COMPOSE_FILE.parent / "deploy" / "nginx.conf"
SERVICES = {"postgresql", "temporal", "temporal-ui", "api", "worker", "boomerang-migrate", "lb"}
TEMPORAL_SECURITY = {
    "BOOMERANG_TEMPORAL_API_KEY",
    "BOOMERANG_TEMPORAL_TLS_CERT",
    "BOOMERANG_TEMPORAL_TLS_KEY",
    "BOOMERANG_TEMPORAL_TLS_CA",
    "BOOMERANG_TEMPORAL_TLS_SERVER_NAME",
}


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
    assert [str(port) for port in api["expose"]] == ["8000"]
    migrate = api["depends_on"]["boomerang-migrate"]
    assert migrate["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("name", ["api", "worker"])
def test_the_api_and_the_worker_can_scale(compose: dict[str, Any], name: str) -> None:
    # A published port or a fixed container name would stop `--scale NAME=N`.
    service = compose["services"][name]
    assert not service.get("ports")
    assert "container_name" not in service
    assert f"--scale {name}=" in COMPOSE_FILE.read_text()


def test_the_load_balancer_is_the_way_in_and_reaches_every_api_replica(
    compose: dict[str, Any],
) -> None:
    lb = compose["services"]["lb"]
    assert [str(port) for port in lb["ports"]] == ["8000:8000"]
    assert lb["depends_on"]["api"]["condition"] == "service_healthy"
    assert any(volume.startswith("./deploy/nginx.conf:") for volume in lb["volumes"])
    conf = NGINX_CONF.read_text()
    # Resolved at request time through Docker's DNS, so new replicas are reached.
    assert "resolver 127.0.0.11" in conf
    assert re.search(r"set \$api http://api:8000;\s+proxy_pass \$api;", conf)


def test_per_address_limits_see_the_caller_behind_the_balancer(compose: dict[str, Any]) -> None:
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in NGINX_CONF.read_text()
    assert compose["services"]["api"]["environment"]["FORWARDED_ALLOW_IPS"] == "*"


def test_every_boomerang_process_shares_one_link_secret(compose: dict[str, Any]) -> None:
    secrets = {
        name: compose["services"][name]["environment"]["BOOMERANG_LINK_SECRET"]
        for name in ("api", "worker", "boomerang-migrate")
    }
    assert len(set(secrets.values())) == 1


def test_the_temporal_tls_and_api_key_settings_are_shown_and_exist() -> None:
    shown = set(re.findall(r"^\s*# (BOOMERANG_[A-Z_]+):", COMPOSE_FILE.read_text(), re.MULTILINE))

    assert shown >= TEMPORAL_SECURITY
    assert {name.removeprefix("BOOMERANG_").lower() for name in shown} <= set(Settings.model_fields)
