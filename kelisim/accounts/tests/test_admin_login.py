import pytest
from django.urls import reverse
from django.utils import translation

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def test_the_admin_sign_in_goes_through_allauth_and_its_second_factor(client):
    staff = make_staff(Role.ADMINISTRATOR)
    with translation.override("en"):
        admin_login = reverse("admin:login")
        response = client.get(admin_login)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        client.post(admin_login, {"username": staff.email, "password": PASSWORD})
        assert not client.get(reverse("admin:index")).wsgi_request.user.is_authenticated
