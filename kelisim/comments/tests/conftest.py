import pytest

from kelisim.comments.tests.hosts import register_test_host


@pytest.fixture
def host(db):
    """An organisation page that takes comments (comments' own tests need no later app)."""
    from kelisim.organisations.tests.factories import OrganisationFactory

    register_test_host()
    return OrganisationFactory()


@pytest.fixture(autouse=True)
def _english_addresses():
    """Tests reverse addresses under /en/, so that pages answer in the language the assertions use."""
    from django.utils import translation

    with translation.override("en"):
        yield
