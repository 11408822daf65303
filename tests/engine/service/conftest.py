import pytest

from engine.service.bootstrap import prepare
from engine.settings import Settings


@pytest.fixture
def url(settings: Settings) -> str:
    """A migrated database (presets installed), as its URL."""
    prepare(settings)
    return settings.resolved_database_url
