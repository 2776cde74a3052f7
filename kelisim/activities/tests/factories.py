import datetime

import factory

from kelisim.activities.models import ActivityReport, ActivityType, ReportStatus, VenueType
from kelisim.core.exports import xlsx_bytes
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


def verified_report(**kwargs) -> ActivityReport:
    """A report submitted and verified by an officer (so that the summaries count it)."""
    from kelisim.activities import services

    report = ReportFactory(status=ReportStatus.SUBMITTED, **kwargs)
    return services.transition_report(actor=officer(), report=report, to=ReportStatus.VERIFIED)


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


def xlsx_of(rows, columns=None) -> bytes:
    """An import file: the header (every column of the template unless ``columns``) and one line per row dict."""
    from kelisim.activities.importing import COLUMN_NAMES

    columns = columns or COLUMN_NAMES
    return xlsx_bytes(columns, ([row.get(name, "") for name in columns] for row in rows))


__all__ = [
    "OrganisationFactory",
    "ReportFactory",
    "UserFactory",
    "member_of",
    "officer",
    "staff_officer",
    "verified_report",
    "xlsx_of",
]
