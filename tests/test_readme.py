"""The README's configuration table matches the settings the code reads."""

import re
from pathlib import Path

from engine.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_and_every_documented_one_exists() -> None:
    documented = set(re.findall(r"^\| `BOOMERANG_([A-Z_]+)`", README.read_text(), re.MULTILINE))

    assert documented == {name.upper() for name in Settings.model_fields}
