"""The 2017 call for youth outreach in the regions: four applications, independent reviews (one
reviewer is caught by the conflict rule), awards to the KazakhStan for Peace youth movement and to
Accord in Taraz, their contracts with milestones, one report accepted and one waiting.

Idempotent: a second run finds the call and changes nothing.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.db.models import Q

from kelisim.accounts.demo import DEMO_PASSWORD
from kelisim.accounts.models import Role, User
from kelisim.accounts.services import grant_role
from kelisim.core.models import Strand
from kelisim.funding import services
from kelisim.funding.models import Application, Call, Contract, Milestone, Question, ReviewAssignment
from kelisim.organisations.models import Membership, Organisation
from kelisim.plans.models import TrackedItem

ALMATY = ZoneInfo("Asia/Almaty")
REFERENCE = "2017-youth-regions"


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


def _published(contract: Contract, when: datetime) -> None:
    """The OCDS release of the step just taken, dated when it happened in the story (the release that the
    funding services publish after commit then finds nothing new)."""
    services.publish_release(contract=contract, at=when)


def _person(email: str, name: str, reviewer: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if reviewer and not user.has_role(Role.REVIEWER):
        grant_role(actor=None, user=user, role=Role.REVIEWER, reason="demo reviewer")
    return user


def _member(user: User, organisation: Organisation) -> None:
    Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={"role": Membership.Role.ADMIN, "status": Membership.Status.ACTIVE},
    )


APPLICATIONS = [
    # (organisation name_en, title, summary, outreach answer, budget lines, scores by reviewer)
    (
        "KazakhStan for Peace youth movement",
        "Peers for peace: 60 meetings with students in six regions",
        "Trained volunteers of the movement hold meetings with college and university students, with a theologian "
        "and a psychologist, and train 120 new peer speakers.",
        "Through student councils and youth resource centres, with the regional akimats' youth departments.",
        [
            ("Lecturers' and trainers' fees", 1_600_000),
            ("Travel to six regions", 900_000),
            ("Printed materials", 300_000),
        ],
        ((9, 8), (8, 8)),
    ),
    (
        "Accord",
        "Dialogue evenings in Taraz and Zhambyl Region",
        "Monthly evenings where young people meet religious scholars and former inmates who turned away from "
        "radical groups; short videos for local social networks.",
        "Through schools, the Taraz youth centre and the district mosques' youth clubs.",
        [("Experts' fees", 900_000), ("Venue and equipment", 400_000), ("Video production", 500_000)],
        ((7, 8), (8, 6)),
    ),
    (
        "Association of Centres for the Study of Religions",
        "Media literacy against radical propaganda",
        "Workshops for teachers on recognising and answering recruitment materials online.",
        "Through the regional teachers' training institutes.",
        [("Workshop fees", 1_000_000), ("Handbook", 600_000)],
        ((6, 5), (3, 4)),
    ),
]


def _plan_items() -> list[TrackedItem]:
    return list(
        TrackedItem.objects.filter(first_published_in__isnull=False, versions__objective__strand__code="youth")
        .distinct()
        .order_by("code")[:2]
    )


def load(stdout=None) -> str:
    if Call.objects.filter(reference=REFERENCE).exists():
        return f"{Call.objects.count()} calls, {Contract.objects.count()} contracts (already loaded)"
    officer = User.objects.filter(email="officer@demo.kelisim.kz").first()
    if officer is None:
        return "no demo officer: the accounts demo did not run"
    organisations = {o.name_en: o for o in Organisation.objects.filter(name_en__in=[row[0] for row in APPLICATIONS])}
    if len(organisations) < len(APPLICATIONS):
        return "the demo organisations are missing: the organisations demo did not run"
    reviewers = [
        _person("reviewer@demo.kelisim.kz", "Rustem Reviewer", reviewer=True),
        _person("reviewer2@demo.kelisim.kz", "Saule Reviewer", reviewer=True),
        _person("reviewer3@demo.kelisim.kz", "Bolat Reviewer", reviewer=True),
    ]
    # Bolat also volunteers for Accord: the conflict rule keeps him away from Accord's application.
    Membership.objects.update_or_create(
        user=reviewers[2],
        organisation=organisations["Accord"],
        defaults={"role": Membership.Role.MEMBER, "status": Membership.Status.ACTIVE},
    )
    applicants = {
        "KazakhStan for Peace youth movement": User.objects.filter(email="ngo-admin@demo.kelisim.kz").first()
        or _person("ngo-admin@demo.kelisim.kz", "Yuliya NGO Admin"),
        "Accord": _person("accord@demo.kelisim.kz", "Accord NGO Admin"),
        "Association of Centres for the Study of Religions": User.objects.filter(
            email="ngo-admin@demo.kelisim.kz"
        ).first(),
    }
    for name, user in applicants.items():
        _member(user, organisations[name])

    opens, closes = _at(date(2017, 3, 20), 9), _at(date(2017, 4, 20), 18)
    during = _at(date(2017, 4, 10))
    call = services.save_call(
        actor=officer,
        reference=REFERENCE,
        title_en="Youth outreach in the regions, 2017",
        title_ru="Работа с молодёжью в регионах, 2017",
        title_kk="Өңірлердегі жастармен жұмыс, 2017",
        description_en="Grants for NGO projects that bring lectures, meetings and peer education on tolerance and "
        "spiritual and moral values to young people outside the capital.",
        description_ru="Гранты на проекты НПО: лекции, встречи и обучение «равный — равному» о толерантности и "
        "духовно-нравственных ценностях для молодёжи за пределами столицы.",
        description_kk="Астанадан тыс жерлердегі жастарға толеранттылық пен рухани-адамгершілік құндылықтар туралы "
        "дәрістер, кездесулер және «тең-теңге» оқыту жобаларына арналған ҮЕҰ гранттары.",
        budget_kzt=Decimal(8_000_000),
        min_award_kzt=Decimal(500_000),
        max_award_kzt=Decimal(3_000_000),
        opens_at=opens,
        closes_at=closes,
        require_verified=True,
        min_years_registered=1,
        scale_max=10,
        strands=list(Strand.objects.filter(code="youth")),
        plan_items=_plan_items(),
        reviewer_pool=reviewers,
    )
    question = services.add_question(
        actor=officer,
        call=call,
        kind=Question.Kind.LONG_TEXT,
        label_en="How will you reach young people in the regions?",
        label_ru="Как вы охватите молодёжь в регионах?",
        label_kk="Өңірлердегі жастарды қалай қамтисыз?",
        max_length=1500,
    )
    services.add_question(
        actor=officer,
        call=call,
        kind=Question.Kind.BUDGET,
        label_en="Budget: what the grant pays for",
        label_ru="Бюджет: на что пойдёт грант",
        label_kk="Бюджет: грант неге жұмсалады",
    )
    services.add_criterion(
        actor=officer,
        call=call,
        weight=40,
        name_en="Relevance to the programme",
        name_ru="Соответствие программе",
        name_kk="Бағдарламаға сәйкестігі",
    )
    services.add_criterion(
        actor=officer,
        call=call,
        weight=60,
        name_en="Reach and value for money",
        name_ru="Охват и экономичность",
        name_kk="Қамту және үнемділік",
    )
    call = services.transition_call(actor=officer, call=call, to=Call.Status.PUBLISHED)
    Call.objects.filter(pk=call.pk).update(published_at=_at(date(2017, 3, 20), 9), created_at=_at(date(2017, 3, 15)))
    criteria = list(call.criteria.all())

    submitted = []
    for name, title, summary, answer, budget, scores in APPLICATIONS:
        applicant = applicants[name]
        application = services.start_application(
            actor=applicant, call=call, organisation=organisations[name], now=during
        )
        services.save_draft(
            actor=applicant,
            application=application,
            title=title,
            summary=summary,
            answers={str(question.pk): answer},
            budget=[services.BudgetRow(item, Decimal(amount)) for item, amount in budget],
        )
        application = services.submit_application(actor=applicant, application=application, now=during)
        submitted.append((application, scores))

    # Independent review: two unconflicted reviewers each; Bolat is flagged on Accord's application.
    for application, scores in submitted:
        if application.organisation.name_en == "Accord":
            services.assign_reviewer(actor=officer, application=application, reviewer=reviewers[2])
            panel = [reviewers[0], reviewers[1]]
        else:
            panel = (
                [reviewers[0], reviewers[2]] if application.organisation.name_en.startswith("Kazakh") else reviewers[:2]
            )
        for person, values in zip(panel, scores, strict=True):
            assignment = services.assign_reviewer(actor=officer, application=application, reviewer=person)
            services.submit_review(
                actor=person,
                assignment=assignment,
                scores={c.pk: (v, "") for c, v in zip(criteria, values, strict=True)},
                comment="Clear plan with measurable reach."
                if sum(values) > 12
                else "Too little on how results are measured.",
            )
    ReviewAssignment.objects.filter(application__call=call).update(
        assigned_at=_at(date(2017, 4, 24)), submitted_at=_at(date(2017, 5, 5))
    )

    # A fourth organisation started a draft and never submitted it.
    late = (
        Organisation.objects.filter(
            kind=Organisation.Kind.NGO,
            verification_status=Organisation.Verification.VERIFIED,
            focus_strands__code="youth",
        )
        .exclude(pk__in=[o.pk for o in organisations.values()])
        .order_by("pk")
        .first()
    )
    if late is not None:
        member = _person("draft-applicant@demo.kelisim.kz", "Draft Applicant")
        _member(member, late)
        draft = services.start_application(actor=member, call=call, organisation=late, now=during)
        services.save_draft(
            actor=member, application=draft, title="Sports and dialogue camp", summary="", answers={}, budget=[]
        )

    decisions = {
        "KazakhStan for Peace youth movement": (
            "approve",
            Decimal(2_800_000),
            "Highest score; wide reach in the regions.",
        ),
        "Accord": ("approve", Decimal(1_700_000), "Strong local partners; video budget reduced to 400,000 KZT."),
        "Association of Centres for the Study of Religions": (
            "reject",
            None,
            "Reviewers found the plan for measuring results too thin; we encourage a new application.",
        ),
    }
    contracts = []
    for application, _scores in submitted:
        decision, amount, reason = decisions[application.organisation.name_en]
        application = services.determine_application(
            actor=officer, application=application, decision=decision, reason=reason, amount_kzt=amount
        )
        Application.objects.filter(pk=application.pk).update(submitted_at=during, determined_at=_at(date(2017, 5, 15)))
        if decision == "approve":
            application.refresh_from_db()
            contract = services.create_contract(
                actor=officer, application=application, period_start=date(2017, 6, 1), period_end=date(2017, 12, 20)
            )
            contracts.append(contract)
    kfp_contract, accord_contract = contracts
    # The organisations wrote in English; the officer gives the public title and summary in Kazakh and Russian.
    for contract, (title_kk, title_ru), (summary_kk, summary_ru) in (
        (
            kfp_contract,
            (
                "Бейбітшілік үшін тең-теңімен: алты өңірдегі студенттермен 60 кездесу",
                "Равный — равному ради мира: 60 встреч со студентами в шести регионах",
            ),
            (
                "Қозғалыстың даярланған еріктілері колледж және университет студенттерімен теолог және психологпен "
                "бірге кездесулер өткізеді және 120 жаңа спикер даярлайды.",
                "Подготовленные волонтёры движения проводят встречи со студентами колледжей и вузов вместе с "
                "теологом и психологом и готовят 120 новых спикеров «равный — равному».",
            ),
        ),
        (
            accord_contract,
            ("Тараз бен Жамбыл облысындағы диалог кештері", "Вечера диалога в Таразе и Жамбылской области"),
            (
                "Жастар дінтанушылармен және радикалды топтардан бас тартқан бұрынғы сотталғандармен кездесетін ай "
                "сайынғы кештер; жергілікті әлеуметтік желілерге арналған қысқа бейнероликтер.",
                "Ежемесячные вечера, на которых молодёжь встречается с религиоведами и бывшими осуждёнными, "
                "отказавшимися от радикальных групп; короткие видеоролики для местных социальных сетей.",
            ),
        ),
    ):
        services.translate_contract(
            actor=officer,
            contract=contract,
            title_kk=title_kk,
            title_ru=title_ru,
            title_en=contract.title_en,
            summary_kk=summary_kk,
            summary_ru=summary_ru,
            summary_en=contract.summary_en,
        )
    # Milestones: title and deliverables as (en, ru, kk), due date, tranche.
    for contract, stages in (
        (
            kfp_contract,
            [
                (
                    ("Trainers trained", "Подготовлены тренеры", "Тренерлер даярланды"),
                    (
                        "120 peer speakers trained in six regions",
                        "Подготовлено 120 спикеров «равный — равному» в шести регионах",
                        "Алты өңірде «тең-теңімен» әдісі бойынша 120 спикер даярланды",
                    ),
                    date(2017, 7, 15),
                    800_000,
                ),
                (
                    ("First 30 meetings", "Первые 30 встреч", "Алғашқы 30 кездесу"),
                    (
                        "30 meetings held, attendance reported by sex and age band",
                        "Проведено 30 встреч, участники учтены по полу и возрастным группам",
                        "30 кездесу өткізілді, қатысушылар жынысы мен жас тобы бойынша есепке алынды",
                    ),
                    date(2017, 9, 30),
                    1_000_000,
                ),
                (
                    ("Last 30 meetings and report", "Последние 30 встреч и отчёт", "Соңғы 30 кездесу және есеп"),
                    (
                        "30 more meetings and the final report",
                        "Ещё 30 встреч и итоговый отчёт",
                        "Тағы 30 кездесу және қорытынды есеп",
                    ),
                    date(2017, 12, 15),
                    1_000_000,
                ),
            ],
        ),
        (
            accord_contract,
            [
                (
                    ("First three evenings", "Первые три вечера", "Алғашқы үш кеш"),
                    (
                        "Three dialogue evenings in Taraz",
                        "Три вечера диалога в Таразе",
                        "Таразда үш диалог кеші",
                    ),
                    date(2017, 8, 31),
                    600_000,
                ),
                (
                    ("Videos published", "Видеоролики опубликованы", "Бейнероликтер жарияланды"),
                    (
                        "Six short videos on local social networks",
                        "Шесть коротких видеороликов в местных социальных сетях",
                        "Жергілікті әлеуметтік желілерде алты қысқа бейнеролик",
                    ),
                    date(2017, 11, 30),
                    1_100_000,
                ),
            ],
        ),
    ):
        for titles, deliverables, due, tranche in stages:
            services.add_milestone(
                actor=officer,
                contract=contract,
                **dict(zip(("title_en", "title_ru", "title_kk"), titles, strict=True)),
                **dict(zip(("deliverables_en", "deliverables_ru", "deliverables_kk"), deliverables, strict=True)),
                due_date=due,
                tranche_kzt=Decimal(tranche),
            )
        services.transition_contract(
            actor=officer, contract=contract, to=Contract.Status.SIGNED, signed_on=date(2017, 5, 29)
        )
        _published(contract, _at(date(2017, 5, 29), 15))
        services.transition_contract(actor=officer, contract=contract, to=Contract.Status.ACTIVE)
        _published(contract, _at(date(2017, 6, 1), 9))

    kfp_admin = applicants["KazakhStan for Peace youth movement"]
    for milestone, accepted in zip(
        kfp_contract.milestones.order_by("due_date")[:2], (date(2017, 7, 20), date(2017, 10, 2)), strict=True
    ):
        report = services.submit_milestone_report(
            actor=kfp_admin,
            milestone=milestone,
            narrative=f"{milestone.deliverables}: done, with photos and sign-in sheets.",
        )
        services.decide_milestone_report(actor=officer, report=report, accept=True)
        report.__class__.objects.filter(pk=report.pk).update(
            submitted_at=_at(accepted - timedelta(days=3)), decided_at=_at(accepted, 15)
        )
        Milestone.objects.filter(pk=milestone.pk).update(accepted_at=_at(accepted, 15))
        _published(kfp_contract, _at(accepted, 15))
    accord_first = accord_contract.milestones.order_by("due_date").first()
    services.submit_milestone_report(
        actor=applicants["Accord"], milestone=accord_first, narrative="Three evenings held, 180 young people attended."
    )
    services.amend_contract(
        actor=officer,
        contract=kfp_contract,
        reason="Two more regions joined; the end date moves to the end of the year.",
        period_end=date(2017, 12, 29),
    )
    kfp_contract.amendments.update(created_at=_at(date(2017, 10, 16)))
    _published(kfp_contract, _at(date(2017, 10, 16)))
    Contract.objects.filter(pk__in=[c.pk for c in contracts]).update(
        created_at=_at(date(2017, 5, 20)), updated_at=_at(date(2017, 10, 16))
    )
    overdue = Milestone.objects.filter(contract__in=contracts, status__in=["pending", "returned"]).filter(
        Q(due_date__lt=date.today())
    )
    return (
        f"1 call, {len(submitted)} submitted applications and 1 draft, {ReviewAssignment.objects.filter(application__call=call).count()} "
        f"review assignments, {len(contracts)} contracts, {overdue.count()} overdue milestones"
    )
