import pytest

from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare


@pytest.fixture
def url(settings: Settings) -> str:
    """A migrated database (presets installed), as its URL."""
    prepare(settings)
    return settings.resolved_database_url
