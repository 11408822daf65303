"""docs/security.md names real tests: each `file::test` (or `::test` after a file in the same
row) is a test function of that file, so the table cannot point at a test that was renamed
or removed."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"
REFERENCE = re.compile(r"`((?:tests/[\w/]+\.py)?)::(\w+)`")


def _references() -> list[tuple[str, str]]:
    """(file, test) pairs, `::test` taking the last file named before it in its row."""
    found = []
    for row in DOC.read_text(encoding="utf-8").splitlines():
        last_file = ""
        for file, test in REFERENCE.findall(row):
            last_file = file or last_file
            assert last_file, f"`::{test}` with no file before it: {row[:80]}"
            found.append((last_file, test))
    return found


def test_every_test_the_security_doc_names_exists() -> None:
    references = _references()
    missing = [
        f"{file}::{test}"
        for file, test in references
        if not (ROOT / file).is_file()
        or not re.search(rf"^(async )?def {test}\(", (ROOT / file).read_text(), re.MULTILINE)
    ]

    assert len(references) >= 40
    assert missing == []
