import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from kelisim.accounts.models import Role
from kelisim.accounts.permissions import require_officer
from kelisim.accounts.tests.factories import UserFactory, make_staff

pytestmark = pytest.mark.django_db


def test_only_officers_pass_and_the_platform_itself_only_where_a_service_allows_it():
    require_officer(make_staff(Role.OFFICER))
    for outsider in (UserFactory(), AnonymousUser(), None):
        with pytest.raises(PermissionDenied, match="Only programme officers can do this"):
            require_officer(outsider)
    require_officer(None, system=True)  # a demo loader or a management command
    with pytest.raises(PermissionDenied):
        require_officer(AnonymousUser(), system=True)
