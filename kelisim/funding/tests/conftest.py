import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Tests read English messages and addresses (/en/…); the kk and ru catalogues are checked by makemessages."""
    with translation.override("en"):
        yield
