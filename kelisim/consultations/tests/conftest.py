import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Pages are requested under /en/ so that assertions can read English text."""
    with translation.override("en"):
        yield


@pytest.fixture
def version():
    from kelisim.consultations.tests import factories

    return factories.open_version()


@pytest.fixture
def officer():
    from kelisim.accounts.tests.factories import make_staff

    return make_staff()
