import datetime

import factory

from kelisim.activities.models import ActivityReport, ActivityType, VenueType
from kelisim.core.models import Region
from kelisim.core.tests.factories import StrandFactory
from kelisim.organisations.tests.factories import MembershipFactory, OrganisationFactory, UserFactory, officer


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityReport

    organisation = factory.SubFactory(OrganisationFactory)
    activity_type = ActivityType.LECTURE
    title = factory.Sequence(lambda n: f"Lecture {n} on media literacy")
    start_date = datetime.date(2026, 3, 12)
    end_date = factory.SelfAttribute("start_date")
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-31"))
    venue_type = VenueType.SCHOOL
    languages = "kk,ru"
    audiences = "school_students"
    strand = factory.LazyFunction(lambda: StrandFactory(code="youth", name_en="Youth"))
    female_14_18 = 12
    male_14_18 = 10
    female_30plus = 2


def staff_officer():
    """An officer with an authenticator, so the second-factor middleware lets their pages through."""
    from allauth.mfa.totp.internal.auth import TOTP

    user = officer()
    TOTP.activate(user, "JBSWY3DPEHPK3PXPACTIVITY")
    return user


def member_of(organisation, **kwargs):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, **kwargs)
    return user


__all__ = ["OrganisationFactory", "ReportFactory", "UserFactory", "member_of", "officer", "staff_officer"]
