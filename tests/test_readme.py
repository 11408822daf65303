"""The README matches the code: its configuration table, the images it shows."""

import re
from pathlib import Path

from engine.runtime.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_and_every_documented_one_exists() -> None:
    documented = set(re.findall(r"^\| `BOOMERANG_([A-Z_]+)`", README.read_text(), re.MULTILINE))

    assert documented == {name.upper() for name in Settings.model_fields}


def test_every_image_the_readme_shows_exists() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text(encoding="utf-8"))

    assert len(images) >= 6
    assert [path for path in images if not (README.parent / path).is_file()] == []
