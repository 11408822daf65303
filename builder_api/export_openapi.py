"""Write the API's OpenAPI document to the file the builder's typed client is generated from.

`make api-client` runs it, then `openapi-typescript` (builder_ui's `npm run gen:api`);
tests/builder_api/test_ui_api_schema.py fails when the committed copy is out of date.
"""

import json
import sys
from pathlib import Path
from typing import Any

from builder_api.main import create_app
from engine.runtime.settings import Settings

UI_COPY = Path(__file__).resolve().parent.parent / "builder_ui" / "src" / "api" / "openapi.json"


def document() -> dict[str, Any]:
    return create_app(Settings()).openapi()


def render() -> str:
    return json.dumps(document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else UI_COPY
    target.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
