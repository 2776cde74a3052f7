"""Two years (2017-2018) of activity reports from the scenario's organisations: the youth movement's 150-plus
meetings a year, the study-of-religions association's lectures, sessions in prisons, and an online campaign
with bloggers. Most are verified, some wait for an officer, a few were returned.

Idempotent: if the youth movement already has demo reports, nothing changes.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from kelisim.activities import summary
from kelisim.activities.models import (
    ActivityReport,
    IndicatorRule,
    IndicatorSource,
    ManualIndicatorValue,
    ReportStatus,
    StatusChange,
)
from kelisim.core.models import Region, Strand
from kelisim.organisations.models import Expert, Organisation

YOUTH_MOVEMENT = "KazakhStan for Peace youth movement"
ASSOCIATION = "Association of Centres for the Study of Religions"
PRISON_CENTRE = "Almaty Region Centre for the Study of Religious Issues"
ACCORD = "Accord"

MEETING_TITLES = [
    "Peer meeting: how recruiters talk to students",
    "Open dialogue with college students on faith and law",
    "Volunteers' meeting with working youth",
    "Questions and answers with a theologian",
    "Student debate: freedom of belief and its limits",
]
LECTURE_TITLES = [
    "Lecture: the history of religions in Kazakhstan",
    "Lecture: recognising destructive movements",
    "Lecture for parents: signs of radicalisation",
    "Lecture: traditional Islam of the Kazakh steppe",
]
PRISON_TITLES = ["Group session with inmates", "Individual consultations with a theologian", "Film and discussion"]
CAMPAIGN_TITLES = ["#BizBirgemiz: bloggers against hate", "Ask the theologian: a month of short videos"]
INDICATOR_RULES = {
    "Meetings held": IndicatorRule.EVENTS,
    "Inmates who took part": IndicatorRule.INMATES,
    "People trained": IndicatorRule.PARTICIPANTS,
    "Videos published": IndicatorRule.MANUAL,
}


def _day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(0, 360))


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.86:
        return ReportStatus.VERIFIED
    if roll < 0.95:
        return ReportStatus.SUBMITTED
    return ReportStatus.RETURNED


def _attendance(rng: random.Random, *, youth: bool, size: int) -> dict:
    people = dict.fromkeys(("under14", "14_18", "19_29", "30plus"), 0)
    weights = (0.05, 0.35, 0.45, 0.15) if youth else (0.02, 0.1, 0.33, 0.55)
    for band, weight in zip(people, weights, strict=True):
        people[band] = round(size * weight * rng.uniform(0.6, 1.4))
    result = {}
    for band, count in people.items():
        girls = round(count * rng.uniform(0.35, 0.6))
        result[f"female_{band}"], result[f"male_{band}"] = girls, count - girls
    return result


def _indicator_items() -> dict:
    """Plan items by the name of their indicator (the plans demo defines them), for linking reports."""
    from kelisim.plans.models import Indicator

    items = {}
    for indicator in Indicator.objects.filter(
        name_en__in=INDICATOR_RULES, item__version__published_at__isnull=False
    ).select_related("item"):
        items.setdefault(indicator.name_en, indicator.item.tracked_id)
    return items


def load(stdout=None) -> str:
    organisations = {
        organisation.name_en: organisation
        for organisation in Organisation.objects.filter(
            name_en__in=[YOUTH_MOVEMENT, ASSOCIATION, PRISON_CENTRE, ACCORD]
        )
    }
    strands = {strand.code: strand for strand in Strand.objects.all()}
    if len(organisations) < 4 or not {"youth", "prisons", "zero-tolerance"} <= set(strands):
        return "skipped: the organisations and strands demos have not run"
    if ActivityReport.objects.filter(organisation=organisations[YOUTH_MOVEMENT], start_date__year=2017).exists():
        return f"{ActivityReport.objects.count()} activity reports (unchanged)"

    rng = random.Random(2017)
    regions = {region.code: region for region in Region.objects.all()}
    items = _indicator_items()
    milestones = []
    from kelisim.funding.models import Milestone

    milestones = list(
        Milestone.objects.filter(contract__application__organisation=organisations[YOUTH_MOVEMENT]).order_by("due_date")
    )
    now = timezone.now()
    reports: list[ActivityReport] = []

    def add(organisation, *, title, year, region, venue, activity_type, strand, audiences, size, youth, **extra):
        start = _day(rng, year)
        report = ActivityReport(
            organisation=organisation,
            activity_type=activity_type,
            title=title,
            description="",
            start_date=start,
            end_date=start,
            region=regions[region],
            settlement=regions[region].centre_en,
            venue_type=venue,
            languages=rng.choice(["kk", "kk,ru", "ru"]),
            audiences=audiences,
            strand=strands[strand],
            status=_status(rng),
            submitted_at=now,
            created_at=now,
            **(_attendance(rng, youth=youth, size=size) if size else {}),
            **extra,
        )
        report.compute_totals()
        if report.status == ReportStatus.VERIFIED:
            report.verified_at = now
        elif report.status == ReportStatus.RETURNED:
            report.return_comment = "Please split the attendance by age band; the totals do not match the list."
        reports.append(report)
        return report

    youth_regions = ["KZ-71", "KZ-75", "KZ-79", "KZ-31", "KZ-61", "KZ-35", "KZ-10", "KZ-33", "KZ-62", "KZ-43"]
    for year in (2017, 2018):
        for number in range(150 + rng.randrange(5, 30)):
            report = add(
                organisations[YOUTH_MOVEMENT],
                title=rng.choice(MEETING_TITLES),
                year=year,
                region=rng.choice(youth_regions),
                venue=rng.choice(["college", "university", "school", "workplace"]),
                activity_type="meeting",
                strand="youth",
                audiences=rng.choice(["university_students", "school_students", "working_youth,unemployed_youth"]),
                size=rng.randrange(12, 90),
                youth=True,
                plan_item_id=items.get("Meetings held"),
            )
            if year == 2017 and milestones and number < 60:
                report.milestone_id = milestones[min(len(milestones) - 1, number // 30)].pk
        for _ in range(70 + rng.randrange(0, 20)):
            add(
                organisations[ASSOCIATION],
                title=rng.choice(LECTURE_TITLES),
                year=year,
                region=rng.choice(list(regions)),
                venue=rng.choice(["school", "university", "religious_community", "workplace", "other"]),
                activity_type="lecture",
                strand="zero-tolerance",
                audiences=rng.choice(["school_students,parents", "university_students", "general_public"]),
                size=rng.randrange(15, 120),
                youth=rng.random() < 0.5,
                plan_item_id=items.get("People trained"),
            )
        for _ in range(36 + rng.randrange(0, 10)):
            add(
                organisations[PRISON_CENTRE],
                title=rng.choice(PRISON_TITLES),
                year=year,
                region=rng.choice(["KZ-19", "KZ-33", "KZ-75"]),
                venue="prison",
                activity_type="prison_session",
                strand="prisons",
                audiences="inmates",
                size=rng.randrange(3, 25),
                youth=False,
                plan_item_id=items.get("Inmates who took part"),
            )
        for title in CAMPAIGN_TITLES:
            add(
                organisations[ACCORD],
                title=f"{title} ({year})",
                year=year,
                region="KZ-31",
                venue="online",
                activity_type="online_campaign",
                strand="zero-tolerance",
                audiences="general_public",
                size=0,
                youth=False,
                online_posts=rng.randrange(30, 90),
                online_views=rng.randrange(150_000, 900_000),
                online_shares=rng.randrange(2_000, 20_000),
                plan_item_id=items.get("Videos published"),
            )

    created = ActivityReport.objects.bulk_create(reports, batch_size=1000)
    if any(report.pk is None for report in created):
        created = list(ActivityReport.objects.filter(created_at=now))
    changes = []
    for report in created:
        changes.append(StatusChange(report_id=report.pk, from_status="draft", to_status="submitted", created_at=now))
        if report.status != ReportStatus.SUBMITTED:
            changes.append(
                StatusChange(
                    report_id=report.pk,
                    from_status="submitted",
                    to_status=report.status,
                    comment=report.return_comment,
                    created_at=now,
                )
            )
    StatusChange.objects.bulk_create(changes, batch_size=2000)
    _indicators()
    counts = summary.rebuild()
    _progress_follows_indicators()
    return f"{len(created)} activity reports, {counts['activity']} summary rows"


def _progress_follows_indicators() -> None:
    """The training item's progress follows its indicator (people trained against the yearly targets)."""
    from kelisim.accounts.models import User
    from kelisim.plans import services as plan_services
    from kelisim.plans.models import Indicator, ProgressSource

    officer = User.objects.filter(email="officer@demo.kelisim.kz").first()
    indicator = (
        Indicator.objects.filter(name_en="People trained", item__version__published_at__isnull=False)
        .select_related("item__tracked")
        .first()
    )
    if officer is not None and indicator is not None:
        tracked = indicator.item.tracked
        plan_services.set_progress_source(actor=officer, tracked=tracked, source=ProgressSource.INDICATORS)
        if tracked.status == "not_started":
            plan_services.record_progress(
                actor=officer,
                tracked=tracked,
                status="completed",
                note="Training courses for opinion leaders and religious scholars held in 2017 and 2018.",
            )


def _indicators() -> None:
    from kelisim.plans.models import Indicator

    evidence = "https://kelisim.example.kz/evidence/videos"
    for indicator in Indicator.objects.filter(name_en__in=INDICATOR_RULES):
        IndicatorSource.objects.update_or_create(
            indicator=indicator, defaults={"rule": INDICATOR_RULES[indicator.name_en]}
        )
        if INDICATOR_RULES[indicator.name_en] == IndicatorRule.MANUAL:
            for year, value in ((2017, 38), (2018, 64)):
                ManualIndicatorValue.objects.update_or_create(
                    indicator=indicator,
                    year=year,
                    region=None,
                    defaults={"value": value, "evidence_url": evidence, "note": "Count of videos on the channels"},
                )
    # Experts appear as lecturers on a few verified lectures of the association.
    experts = list(Expert.objects.order_by("pk")[:3])
    if experts:
        lectures = ActivityReport.objects.filter(organisation__name_en=ASSOCIATION, status="verified")[:30]
        through = ActivityReport.lecturers.through
        through.objects.bulk_create(
            [
                through(activityreport_id=report.pk, expert_id=experts[i % len(experts)].pk)
                for i, report in enumerate(lectures)
            ],
            ignore_conflicts=True,
        )
