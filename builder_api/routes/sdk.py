"""The storefront snippet, `GET /sdk/boomerang.js`: a shop's pages load it with a script tag
(builder_api/sdk/boomerang.js; builder_api/storefront.py says what its key may do)."""

from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)

# Short: a new version reaches the shops' pages within minutes of an upgrade.
CACHE_SECONDS = 300


@cache
def snippet() -> bytes:
    return (files("builder_api") / "sdk" / "boomerang.js").read_bytes()


@router.get("/sdk/boomerang.js")
def storefront_snippet() -> Response:
    """The script, for any page to load (CORS `*`: it holds no secret)."""
    return Response(
        snippet(),
        media_type="application/javascript",
        headers={
            "Cache-Control": f"public, max-age={CACHE_SECONDS}",
            "Access-Control-Allow-Origin": "*",
            "X-Content-Type-Options": "nosniff",
        },
    )
