import pytest

from kelisim.accounts import demo as accounts_demo
from kelisim.core import demo as core_demo
from kelisim.organisations import demo
from kelisim.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_leaves_officers_and_admins_something_to_do():
    core_demo.load()
    accounts_demo.load()
    demo.load()
    counts = (Organisation.objects.count(), Membership.objects.count())
    pending = Membership.objects.get(user__email="citizen@demo.kelisim.kz", status=Membership.Status.PENDING)
    pending.status = Membership.Status.ACTIVE  # an admin approved it in the demo
    pending.save()
    demo.load()
    assert (Organisation.objects.count(), Membership.objects.count()) == counts
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.ACTIVE
    waiting = Organisation.objects.filter(verification_status="unverified").exclude(verification_note="")
    assert waiting.exists()
