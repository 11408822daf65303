"""Write the catalog the builder's step-form tests run against: the real one, minus templates.

`python -m builder_api.export_catalog_fixture` refreshes it;
tests/builder_api/test_ui_catalog_fixture.py fails when it is out of date, so the vitest
suite always renders the built-in actions' current params schemas.
"""

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlmodel import Session, SQLModel, create_engine

import engine.store.models  # noqa: F401 - registers the tables create_all makes
from builder_api.schemas.catalog import CatalogPublic
from engine.service.catalog import build_catalog

FIXTURE = (
    Path(__file__).resolve().parent.parent
    / "builder_ui"
    / "src"
    / "step-forms"
    / "catalog.fixture.json"
)
REFRESH = "python -m builder_api.export_catalog_fixture"


def catalog_fixture() -> dict[str, Any]:
    """The catalog as `GET /api/v1/catalog` answers it, without the (per-shop) templates."""
    # An empty throwaway database: templates are the only part read from it, and they are left out.
    database = create_engine("sqlite://")
    SQLModel.metadata.create_all(database)
    with Session(database) as session:
        catalog = CatalogPublic.model_validate(asdict(build_catalog(session)))
    database.dispose()
    return catalog.model_dump(mode="json", exclude={"templates"})


def render() -> str:
    return json.dumps(catalog_fixture(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE
    target.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
