"""The builder's typed API client is generated from a committed copy of the OpenAPI
document: that copy must be the API's current one."""

import json

from builder_api.export_openapi import UI_COPY, document


def test_the_builders_copy_of_the_openapi_document_is_current() -> None:
    committed = json.loads(UI_COPY.read_text(encoding="utf-8"))

    assert committed == document(), "run `make api-client` and commit the result"
