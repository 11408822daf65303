"""The import rules of docs/architecture.md catch what they forbid.

`make test` runs `lint-imports` on the code as it is; here each contract is shown to break
when a module it governs gains a forbidden import, on a copy of the packages.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# contract id → (a module it governs, a line that module must never hold)
FORBIDDEN = {
    "workflows": ("engine/workflows/journey.py", "import engine.store.models"),
    "language": ("engine/language/definition.py", "import temporalio.client"),
    "core": ("engine/service/ingest.py", "import builder_api.deps"),
    "client": ("boomerang/calls.py", "import engine.store.models"),
    "services": ("engine/service/ingest.py", "import engine.activities.runner"),
    "actions": ("engine/activities/notify_owner.py", "import engine.activities.send_email"),
}


def _lint(root: Path, contract: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--contract", contract],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},  # the copy, not the installed packages
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("imports")
    ignore = shutil.ignore_patterns("__pycache__", "migrations")
    for package in ("engine", "builder_api", "boomerang"):
        shutil.copytree(ROOT / package, root / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", root)
    return root


@pytest.mark.parametrize("contract", FORBIDDEN)
def test_a_forbidden_import_breaks_its_rule(copy: Path, contract: str) -> None:
    module, line = FORBIDDEN[contract]
    target = copy / module
    original = target.read_text()
    assert _lint(copy, contract).returncode == 0, "the rule holds before the import is added"
    try:
        target.write_text(f"{original}\n{line}  # added on purpose\n")
        broken = _lint(copy, contract)
    finally:
        target.write_text(original)

    assert broken.returncode != 0
    assert "BROKEN" in broken.stdout
    importer = module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {line.removeprefix('import ').split('.')[0]}" in broken.stdout
