"""Roundtables for tests, made through the services so that they hold the same invariants."""

from datetime import time, timedelta

from django.utils import timezone

from kelisim.accounts.tests.factories import UserFactory
from kelisim.meetings import services
from kelisim.meetings.models import Roundtable
from kelisim.organisations.models import Membership
from kelisim.organisations.tests.factories import OrganisationFactory


def roundtable(
    *, capacity: int = 10, access: str = Roundtable.Access.PUBLIC, days: int = 7, invited=(), **fields
) -> Roundtable:
    """``title=`` is the English title (tests write in English); ``title_kk``/``title_ru`` may be given beside it."""
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    if "title" in fields:
        fields["title_en"] = fields.pop("title")
    values = {
        "title_en": "Prevention of radicalism: the NGOs' view",
        "topic": "What the draft action plan should say about young people.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "place": "Astana, House of Friendship",
        "organiser": "Programme office",
        "capacity": capacity,
        "access": access,
        **fields,
    }
    return services.save_roundtable(actor=None, invited_organisations=list(invited), **values)


def member(organisation=None, **user_fields):
    """An active member of ``organisation`` (a new verified one by default); returns (user, organisation)."""
    organisation = organisation or OrganisationFactory(verification_status="verified")
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organisation=organisation, status=Membership.Status.ACTIVE)
    return user, organisation


def agenda_item(roundtable: Roundtable, *, suggestions=(), title: str = "Youth strand", at=time(10, 0), **fields):
    return services.save_agenda_item(
        actor=None, roundtable=roundtable, suggestions=list(suggestions), title_en=title, starts_at=at, **fields
    )
