"""Work waiting today, on top of the 2017 history, so every role's "My work" and notifications can be tried.

Runs last (worklists comes after every stage): an open call with a draft application for the NGO admin and a
review waiting for each reviewer, a suggestion assigned to the officer, follows whose changes reach the citizen,
the NGO member, the moderator and the administrator. Everything goes through the services (the same rules,
history and notifications as real use). Idempotent: skipped when the open call exists.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kelisim.accounts.models import User
from kelisim.consultations import services as consultations
from kelisim.consultations.models import Document, Status, Suggestion
from kelisim.core.models import Strand
from kelisim.funding import services as funding
from kelisim.funding.models import Call, Question
from kelisim.notifications import services as notifications
from kelisim.organisations.models import Organisation
from kelisim.plans import services as plans
from kelisim.plans.models import ItemStatus, TrackedItem

REFERENCE = "youth-2026"
ANSWER = (
    "Through student councils and youth resource centres in Shymkent and the Turkestan region, with volunteers "
    "trained by the movement."
)


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _open_call(officer: User, reviewers: list[User]) -> tuple[Call, Question]:
    now = timezone.now()
    call = funding.save_call(
        actor=officer,
        reference=REFERENCE,
        title_en="Peer educators in the regions, 2026",
        title_ru="Равные консультанты в регионах, 2026",
        title_kk="Өңірлердегі тең-теңге кеңесшілер, 2026",
        description_en="Grants for NGO projects that train young peer educators to talk about online recruitment "
        "and radical content with their classmates.",
        description_ru="Гранты на проекты НПО, которые готовят молодых «равных консультантов», говорящих со "
        "сверстниками об онлайн-вербовке и радикальном контенте.",
        description_kk="Құрдастарымен онлайн-рекрутинг пен радикалды контент туралы сөйлесетін жас «тең-теңге» "
        "кеңесшілерді даярлайтын ҮЕҰ жобаларына арналған гранттар.",
        budget_kzt=Decimal(6_000_000),
        min_award_kzt=Decimal(500_000),
        max_award_kzt=Decimal(2_500_000),
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=30),
        require_verified=True,
        min_years_registered=1,
        scale_max=10,
        strands=list(Strand.objects.filter(code="youth")),
        plan_items=list(TrackedItem.objects.filter(first_published_in__isnull=False).order_by("code")[:1]),
        reviewer_pool=reviewers,
    )
    question = funding.add_question(
        actor=officer,
        call=call,
        kind=Question.Kind.LONG_TEXT,
        label_en="How will you find and train the peer educators?",
        label_ru="Как вы найдёте и подготовите равных консультантов?",
        label_kk="Тең-теңге кеңесшілерді қалай тауып, даярлайсыз?",
        max_length=1500,
    )
    funding.add_question(
        actor=officer,
        call=call,
        kind=Question.Kind.BUDGET,
        label_en="Budget: what the grant pays for",
        label_ru="Бюджет: на что пойдёт грант",
        label_kk="Бюджет: грант неге жұмсалады",
    )
    for weight, en, ru, kk in (
        (50, "Relevance to the programme", "Соответствие программе", "Бағдарламаға сәйкестігі"),
        (50, "Reach and value for money", "Охват и экономичность", "Қамту және үнемділік"),
    ):
        funding.add_criterion(actor=officer, call=call, weight=weight, name_en=en, name_ru=ru, name_kk=kk)
    return funding.transition_call(actor=officer, call=call, to=Call.Status.PUBLISHED), question


def _application(call, question, applicant, organisation, title, *, submit: bool, budget: int):
    application = funding.start_application(actor=applicant, call=call, organisation=organisation)
    funding.save_draft(
        actor=applicant,
        application=application,
        title=title,
        summary="Twelve volunteers aged 18 to 25 trained over a month, then forty meetings in schools and colleges.",
        answers={str(question.pk): ANSWER},
        budget=[
            funding.BudgetRow("Trainers' fees", Decimal(budget // 2)),
            funding.BudgetRow("Travel and venues", Decimal(budget // 2)),
        ],
    )
    return funding.submit_application(actor=applicant, application=application) if submit else application


def load(stdout=None) -> str:
    if Call.objects.filter(reference=REFERENCE).exists():
        return "open call and waiting work (already loaded)"
    officer, admin = _user("officer@demo.kelisim.kz"), _user("admin@demo.kelisim.kz")
    reviewers = [_user(f"{name}@demo.kelisim.kz") for name in ("reviewer", "reviewer2", "reviewer3")]
    ngo_admin, accord = _user("ngo-admin@demo.kelisim.kz"), _user("accord@demo.kelisim.kz")
    organisations = {
        o.name_en: o
        for o in Organisation.objects.filter(
            name_en__in=[
                "KazakhStan for Peace youth movement",
                "Accord",
                "Association of Centres for the Study of Religions",
            ]
        )
    }
    if None in (officer, admin, ngo_admin, accord, *reviewers) or len(organisations) < 3:
        return "the 2017 demo is missing: nothing added"

    call, question = _open_call(officer, reviewers)
    # The NGO admin's draft, still to finish and submit (My work: "application to finish and submit").
    _application(
        call,
        question,
        ngo_admin,
        organisations["KazakhStan for Peace youth movement"],
        "Peer educators against online recruitment",
        submit=False,
        budget=1_800_000,
    )
    # Two submitted applications: a review waits for each reviewer (Bolat, an Accord volunteer, never reviews Accord).
    accord_application = _application(
        call, question, accord, organisations["Accord"], "Taraz peer educators", submit=True, budget=1_200_000
    )
    centres_application = _application(
        call,
        question,
        ngo_admin,
        organisations["Association of Centres for the Study of Religions"],
        "Young theologians answer online",
        submit=True,
        budget=2_000_000,
    )
    funding.assign_reviewer(actor=officer, application=accord_application, reviewer=reviewers[0])
    funding.assign_reviewer(actor=officer, application=accord_application, reviewer=reviewers[1])
    funding.assign_reviewer(actor=officer, application=centres_application, reviewer=reviewers[2])

    # A suggestion still waiting for an answer, assigned to the officer (a notification of new work).
    waiting = (
        Suggestion.objects.filter(status__in=(Status.RECEIVED, Status.UNDER_REVIEW)).order_by("created_at").first()
    )
    if waiting is not None:
        consultations.assign_suggestions(actor=admin, suggestions=[waiting], assignee=officer)

    # Follows, and a change each follower hears of.
    citizen, member, moderator = (_user(f"{n}@demo.kelisim.kz") for n in ("citizen", "ngo-member", "moderator"))
    item = (
        TrackedItem.objects.filter(first_published_in__isnull=False)
        .exclude(status__in=(ItemStatus.CANCELLED, ItemStatus.COMPLETED))
        .order_by("code")
        .first()
    )
    for person in (citizen, member, moderator, admin):
        if person is None:
            continue
        notifications.follow(actor=person, target=call)
        if item is not None:
            notifications.follow(actor=person, target=item)
        document = Document.objects.order_by("pk").first()
        if document is not None:
            notifications.follow(actor=person, target=document)
    if item is not None:
        plans.record_progress(
            actor=officer,
            tracked=item,
            status=ItemStatus.IN_PROGRESS,
            note="Regional youth centres report the first peer meetings of the year.",
            progress=None if item.follows_indicators else max(item.progress, 10),
        )
    return f"open call {REFERENCE}: 1 draft, 2 submitted applications, 3 reviews waiting; follows for 4 people"
