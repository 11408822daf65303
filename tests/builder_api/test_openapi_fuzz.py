"""Fuzzing the live API against its own OpenAPI document with schemathesis: whatever a caller
of any role sends, no answer is a 5xx, and every answer (status, content type, body, headers,
unsupported methods) is one the document describes.

Run as outside clients run it, the `st` command against a real server. (Its pytest plugin's
lazy schemas, needed for a server started by a fixture, break on pytest 9: `_nodeid`.)
Deterministic: derandomized generation (no seed, no example database) and a fixed number
of fuzzed examples per operation; the examples and coverage phases follow from the document.
"""

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from engine.runtime.settings import Settings
from engine.service.auth import Role
from engine.service.bootstrap import prepare
from tests.builder_api.live_server import LiveApi, serve
from tests.conftest import ADMIN_TOKEN
from tests.support import token_headers

# Fuzzed examples per operation. The admin reaches every route's logic, and its run adds the
# coverage phase (boundary values, wrong types, missing fields, undeclared methods such as
# TRACE: about 4,000 requests). Other roles are refused most routes, before any validation.
ADMIN_EXAMPLES = 5
ROLE_EXAMPLES = 3
ROLES = [Role.admin, Role.marketer, Role.support, Role.developer, Role.ingest]
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "unsupported_method",
]
# Far beyond a run's minute or so idle; a hung request fails the run instead of the session.
RUN_TIMEOUT_S = 900


@pytest.fixture(scope="module")
def live_api(
    dev_server_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApi]:
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    settings = Settings(
        database_url=f"sqlite:///{data_dir / 'boomerang.db'}",
        data_dir=data_dir,
        api_token=ADMIN_TOKEN,
        task_queue=f"fuzz-{uuid.uuid4()}",
        temporal_address=dev_server_env.client.service_client.config.target_host,
    )
    prepare(settings)
    with serve(settings) as api:
        yield api


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_every_answer_is_one_the_document_describes(
    live_api: LiveApi, role: Role, tmp_path: Path
) -> None:
    if role is Role.admin:
        authorization = f"Bearer {ADMIN_TOKEN}"
        # No token routes: the run could revoke its own token, and every answer after is 401.
        run_options = [
            "--phases",
            "examples,coverage,fuzzing",
            "--exclude-path-regex",
            "^/api/v1/tokens",
        ]
        examples = ADMIN_EXAMPLES
    else:
        [authorization] = token_headers(live_api.settings, role).values()
        run_options = ["--phases", "examples,fuzzing"]
        examples = ROLE_EXAMPLES
    run = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "run",
            f"{live_api.url}/api/v1/openapi.json",
            "--header", f"Authorization: {authorization}",
            "--checks", ",".join(CHECKS),
            "--max-examples", str(examples),
            "--generation-deterministic",
            "--continue-on-failure",  # every disagreement of an operation, not its first only
            "--workers", "1",
            "--no-color",
            *run_options,
        ],
        cwd=tmp_path,  # no schemathesis.toml of ours or anyone's applies
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
