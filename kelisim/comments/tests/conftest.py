import pytest

from kelisim.comments.tests.hosts import register_test_host


@pytest.fixture
def host(db):
    """An organisation page that takes comments (comments' own tests need no later app)."""
    from kelisim.organisations.tests.factories import OrganisationFactory

    register_test_host()
    return OrganisationFactory()
