"""A typed Python client of the Boomerang API, blocking or async, answering with the API's
own models (see `boomerang.client`)."""

from boomerang.client import AsyncBoomerang, Boomerang, BoomerangError

__all__ = ["AsyncBoomerang", "Boomerang", "BoomerangError"]
