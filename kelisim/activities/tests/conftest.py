import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Pages are requested under /en/ so that assertions can read English text."""
    with translation.override("en"):
        yield
