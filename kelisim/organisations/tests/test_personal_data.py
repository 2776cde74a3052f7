"""Personal data: what the registry and the roster export for a person and erase with their account."""

import pytest

from kelisim.core import registry
from kelisim.organisations import expert_services
from kelisim.organisations.models import Expert, Membership
from kelisim.organisations.tests.expert_factories import ExpertFactory, MembershipFactory, UserFactory
from kelisim.organisations.tests.test_expert_services import profile

pytestmark = pytest.mark.django_db


def test_personal_data_export_and_erasure_cover_memberships():
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    exported = registry.personal_data_exporters()["organisation_memberships"](membership.user)
    assert exported[0]["organisation_bin"] == membership.organisation.bin and exported[0]["role"] == "admin"
    registry.account_erasers()["organisation_memberships"](membership.user)
    assert not Membership.objects.filter(user=membership.user).exists()


def test_personal_data_export_includes_the_expert_profile():
    user = UserFactory()
    expert_services.create_own_expert_profile(actor=user, profile=profile(), consent=True)
    exporter = registry.personal_data_exporters()["expert_profile"]
    data = exporter(user)
    assert data["full_name"] == "Dana Abenova"
    assert data["contact_email"] == "dana@private.example.kz"
    assert data["fields"] == ["theology"] and data["regions"] == ["KZ-11"]
    assert exporter(UserFactory()) is None


def test_erasing_an_account_removes_its_expert_profile_and_nothing_else():
    user = UserFactory()
    own = ExpertFactory(user=user)
    other = ExpertFactory()
    registry.account_erasers()["expert_profile"](user)
    assert not Expert.objects.filter(pk=own.pk).exists()
    assert Expert.objects.filter(pk=other.pk).exists()
