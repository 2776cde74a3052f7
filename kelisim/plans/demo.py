"""The action plan of the 2017–2020 programme: draft 1, the February roundtable's decisions, draft 2,
adoption, and a year of progress updates. All text is written for the demo. Idempotent."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kelisim.accounts.models import User
from kelisim.consultations.models import Programme
from kelisim.core.models import Region, Strand
from kelisim.meetings import services as meeting_services
from kelisim.meetings.demo import FEBRUARY_TITLES
from kelisim.meetings.models import Roundtable
from kelisim.organisations.models import Organisation
from kelisim.plans import services
from kelisim.plans.models import ActionPlan, PlanVersion, ProgressUpdate

ALMATY = ZoneInfo("Asia/Almaty")

# strand code -> objectives -> items: (en, ru, kk), responsible body, partners (English names), regions,
# deadline, form of completion, budget KZT, source, indicator (name and unit as (en, ru, kk), baseline, {year: target}).
PEOPLE = ("people", "человек", "адам")
PLAN = {
    "zero-tolerance": [
        (
            (
                "Public immunity to radical ideology online",
                "Иммунитет общества к радикальной идеологии в интернете",
                "Интернеттегі радикалды идеологияға қоғамның иммунитеті",
            ),
            [
                (
                    (
                        "Produce short counter-messaging videos in Kazakh and Russian with popular bloggers.",
                        "Создать короткие видеоролики контрпропаганды на казахском и русском языках с участием популярных блогеров.",
                        "Танымал блогерлердің қатысуымен қазақ және орыс тілдерінде қысқа қарсы үгіт бейнероликтерін жасау.",
                    ),
                    "Ministry of Information and Communications",
                    ["KazakhStan for Peace youth movement"],
                    [],
                    date(2017, 12, 31),
                    "Videos published; report to the programme office",
                    45_000_000,
                    "republican budget",
                    (
                        ("Videos published", "Опубликовано видеороликов", "Жарияланған бейнероликтер"),
                        "videos",
                        0,
                        {2017: 40, 2018: 60, 2019: 60, 2020: 60},
                    ),
                ),
                (
                    (
                        "Train opinion leaders and religious scholars to answer radical content on social networks.",
                        "Обучить лидеров мнений и религиоведов отвечать на радикальный контент в социальных сетях.",
                        "Пікір көшбасшылары мен дінтанушыларды әлеуметтік желілердегі радикалды контентке жауап беруге үйрету.",
                    ),
                    "Ministry of Religious Affairs and Civil Society",
                    ["Association of Centres for the Study of Religions"],
                    [],
                    date(2018, 6, 30),
                    "Training courses held",
                    12_000_000,
                    "state social order",
                    (("People trained", "Обучено человек", "Оқытылған адамдар"), PEOPLE, 0, {2017: 150, 2018: 300}),
                ),
            ],
        ),
    ],
    "prisons": [
        (
            (
                "No radicalisation behind bars",
                "Недопущение радикализации в местах лишения свободы",
                "Бас бостандығынан айыру орындарында радикалдануға жол бермеу",
            ),
            [
                (
                    (
                        "Theologians and psychologists visit institutions to talk with inmates convicted of extremist crimes.",
                        "Теологи и психологи посещают учреждения для бесед с осуждёнными за преступления экстремистского характера.",
                        "Теологтар мен психологтар экстремистік қылмыс үшін сотталғандармен әңгімелесу үшін мекемелерге барады.",
                    ),
                    "Committee of the Penal System, Ministry of Internal Affairs",
                    ["Almaty Region Centre for the Study of Religious Issues"],
                    ["KZ-19", "KZ-71"],
                    date(2020, 12, 31),
                    "Quarterly reports",
                    30_000_000,
                    "republican budget",
                    (
                        ("Inmates who took part", "Осуждённые, принявшие участие", "Қатысқан сотталғандар"),
                        PEOPLE,
                        120,
                        {2017: 200, 2018: 300, 2019: 350, 2020: 400},
                    ),
                ),
                (
                    (
                        "Support after release: help with work, housing and family contact.",
                        "Сопровождение после освобождения: помощь с работой, жильём и связью с семьёй.",
                        "Босатылғаннан кейінгі сүйемелдеу: жұмыс, тұрғын үй және отбасымен байланыс бойынша көмек.",
                    ),
                    "Local executive bodies (akimats)",
                    ["Accord"],
                    ["KZ-31"],
                    date(2019, 12, 31),
                    "Cases followed up; annual report",
                    8_000_000,
                    "local budgets",
                    (
                        (
                            "People supported after release",
                            "Получили сопровождение после освобождения",
                            "Босатылғаннан кейін сүйемелдеу алғандар",
                        ),
                        PEOPLE,
                        0,
                        {2018: 50, 2019: 80},
                    ),
                ),
            ],
        ),
    ],
    "youth": [
        (
            (
                "Spiritual and moral education of young people",
                "Духовно-нравственное воспитание молодёжи",
                "Жастарды рухани-адамгершілікке тәрбиелеу",
            ),
            [
                (
                    (
                        "Peer-to-peer lectures and meetings with school and university students in every region.",
                        "Лекции и встречи «равный — равному» со школьниками и студентами во всех регионах.",
                        "Барлық өңірлерде оқушылармен және студенттермен «теңдес — теңдеске» дәрістері мен кездесулері.",
                    ),
                    "Ministry of Education and Science",
                    ["KazakhStan for Peace youth movement", "Association of Centres for the Study of Religions"],
                    [],
                    date(2020, 12, 31),
                    "Meetings reported on the platform",
                    60_000_000,
                    "state social order",
                    (
                        ("Meetings held", "Проведено встреч", "Өткізілген кездесулер"),
                        "meetings",
                        150,
                        {2017: 200, 2018: 250, 2019: 300, 2020: 300},
                    ),
                ),
                (
                    (
                        "A course on religious literacy for teachers of secondary schools.",
                        "Курс религиозной грамотности для учителей средних школ.",
                        "Орта мектеп мұғалімдеріне арналған діни сауаттылық курсы.",
                    ),
                    "Ministry of Education and Science",
                    [],
                    ["KZ-75", "KZ-71"],
                    date(2018, 9, 1),
                    "Course approved and taught",
                    15_000_000,
                    "republican budget",
                    (
                        ("Teachers trained", "Обучено педагогов", "Оқытылған педагогтер"),
                        PEOPLE,
                        0,
                        {2017: 500, 2018: 1500},
                    ),
                ),
            ],
        ),
    ],
}

# What the February roundtable took into the plan: (strand, index of the suggestion on the agenda item,
# acceptance, decision text as (en, ru, kk), new item or None for "into the strand's first item").
INCORPORATIONS = [
    (
        "zero-tolerance",
        0,
        "accepted",
        (
            "Taken into the plan as a new measure: a school of bloggers run with NGOs.",
            "Включено в план как новое мероприятие: школа блогеров при участии НПО.",
            "Жоспарға жаңа іс-шара ретінде енгізілді: ҮЕҰ-лардың қатысуымен блогерлер мектебі.",
        ),
        (
            "A school of young bloggers, run with NGOs, that makes counter-messaging content for its peers.",
            "Школа молодых блогеров при участии НПО, создающая контрпропагандистский контент для сверстников.",
            "ҮЕҰ-лардың қатысуымен құрдастарына арналған қарсы үгіт контентін жасайтын жас блогерлер мектебі.",
        ),
    ),
    (
        "prisons",
        0,
        "partly_accepted",
        (
            "Visits become regular (monthly) in the two pilot regions.",
            "В двух пилотных регионах посещения становятся регулярными (ежемесячными).",
            "Екі пилоттық өңірде бару тұрақты (ай сайын) болады.",
        ),
        None,
    ),
    (
        "youth",
        0,
        "accepted",
        (
            "Taken into the plan as a new measure: experts in theology and public speaking for youth NGOs.",
            "Включено в план как новое мероприятие: эксперты по теологии и ораторскому искусству для молодёжных НПО.",
            "Жоспарға жаңа іс-шара ретінде енгізілді: жастар ҮЕҰ-лары үшін теология және шешендік өнер сарапшылары.",
        ),
        (
            "A roster of experts in theology and public speaking whom youth NGOs can invite to their events.",
            "Реестр экспертов по теологии и ораторскому искусству, которых молодёжные НПО могут приглашать на мероприятия.",
            "Жастар ҮЕҰ-лары іс-шараларына шақыра алатын теология және шешендік өнер сарапшыларының тізілімі.",
        ),
    ),
    (
        "youth",
        1,
        "partly_accepted",
        (
            "Meetings will also be held in colleges, as suggested.",
            "Как и предлагалось, встречи будут проводиться и в колледжах.",
            "Ұсынылғандай, кездесулер колледждерде де өткізіледі.",
        ),
        None,
    ),
]


def _strands() -> dict[str, Strand]:
    return {strand.code: strand for strand in Strand.objects.all()}


def _draft_one(officer, plan: ActionPlan) -> PlanVersion:
    version = services.start_version(actor=officer, plan=plan, kind=PlanVersion.Kind.DRAFT, note="First draft")
    organisations = {o.name_en: o for o in Organisation.objects.all().only("pk", "name_en")}
    regions = {region.code: region for region in Region.objects.all()}
    strands = _strands()
    for strand_code, objectives in PLAN.items():
        for titles, items in objectives:
            objective = services.save_objective(
                actor=officer,
                version=version,
                strand=strands[strand_code],
                title_en=titles[0],
                title_ru=titles[1],
                title_kk=titles[2],
            )
            for texts, body, partners, region_codes, deadline, form, budget, source, indicator in items:
                item = services.save_item(
                    actor=officer,
                    version=version,
                    objective=objective,
                    text_en=texts[0],
                    text_ru=texts[1],
                    text_kk=texts[2],
                    responsible_body=body,
                    partners=[organisations[name] for name in partners if name in organisations],
                    regions=[regions[code] for code in region_codes if code in regions],
                    deadline=deadline,
                    completion_form=form,
                    budget_kzt=budget,
                    budget_source=source,
                )
                names, units, baseline, targets = indicator
                services.save_indicator(
                    actor=officer,
                    item=item,
                    name_en=names[0],
                    name_ru=names[1],
                    name_kk=names[2],
                    unit_en=units[0],
                    unit_ru=units[1],
                    unit_kk=units[2],
                    baseline=baseline,
                    targets=[(year, None, value) for year, value in targets.items()],
                )
    return services.publish_version(actor=officer, version=version)


def _roundtable_decisions(officer, plan: ActionPlan, roundtable: Roundtable) -> int:
    items = {item.title_en: item for item in roundtable.agenda_items.prefetch_related("suggestions")}
    by_strand = {
        "zero-tolerance": items.get("Zero tolerance of radicalism online: bloggers and opinion leaders"),
        "prisons": items.get("Work with prison inmates and support after release"),
        "youth": items.get("Spiritual and moral education of young people"),
    }
    recorded = 0
    for strand_code, index, acceptance, text, new_texts in INCORPORATIONS:
        agenda_item = by_strand.get(strand_code)
        suggestions = list(agenda_item.suggestions.order_by("pk")) if agenda_item else []
        if len(suggestions) <= index:
            continue
        working = services.working_copy_for_changes(actor=officer, plan=plan)
        objective = working.objectives.filter(strand__code=strand_code).first()
        if new_texts:
            new_item = {
                "objective": objective,
                "text_en": new_texts[0],
                "text_ru": new_texts[1],
                "text_kk": new_texts[2],
                "responsible_body": "Ministry of Religious Affairs and Civil Society",
            }
            services.incorporate_suggestion(
                actor=officer,
                plan=plan,
                agenda_item=agenda_item,
                suggestion=suggestions[index],
                text_en=text[0],
                text_ru=text[1],
                text_kk=text[2],
                acceptance=acceptance,
                new_item=new_item,
            )
        else:
            existing = working.items.filter(objective=objective).order_by("position").first()
            services.incorporate_suggestion(
                actor=officer,
                plan=plan,
                agenda_item=agenda_item,
                suggestion=suggestions[index],
                text_en=text[0],
                text_ru=text[1],
                text_kk=text[2],
                acceptance=acceptance,
                tracked=existing.tracked,
            )
            # The agreed change, in the item's own words.
            if strand_code == "prisons":
                services.save_item(
                    actor=officer,
                    version=working,
                    objective=objective,
                    item=existing,
                    text_en="Theologians and psychologists visit institutions every month to talk with inmates "
                    "convicted of extremist crimes, starting in two pilot regions.",
                    text_ru="Теологи и психологи ежемесячно посещают учреждения для бесед с осуждёнными за "
                    "преступления экстремистского характера, начиная с двух пилотных регионов.",
                    text_kk="Теологтар мен психологтар экстремистік қылмыс үшін сотталғандармен әңгімелесу үшін "
                    "екі пилоттық өңірден бастап мекемелерге ай сайын барады.",
                )
            else:
                services.save_item(
                    actor=officer,
                    version=working,
                    objective=objective,
                    item=existing,
                    text_en="Peer-to-peer lectures and meetings with school, college and university students in "
                    "every region.",
                    text_ru="Лекции и встречи «равный — равному» со школьниками, студентами колледжей и вузов "
                    "во всех регионах.",
                    text_kk="Барлық өңірлерде мектеп оқушыларымен, колледж және жоғары оқу орны студенттерімен "
                    "«теңдес — теңдеске» дәрістері мен кездесулері.",
                )
        recorded += 1
    agenda_opening = items.get("Opening: the 2017–2020 programme and the draft action plan")
    if agenda_opening is not None:
        first_codes = " ".join(plan.tracked_items.order_by("code").values_list("code", flat=True)[:6])
        meeting_services.save_agenda_item(
            actor=officer,
            roundtable=roundtable,
            agenda_item=agenda_opening,
            suggestions=[],
            plan_item_codes=first_codes,
        )
    return recorded


PROGRESS = [
    # (strand, item index in draft order, [(date, status, %, note)])
    (
        "youth",
        0,
        [
            (date(2017, 6, 30), "in_progress", 35, "94 meetings held in 11 regions in the first half of the year."),
            (date(2017, 12, 20), "in_progress", 70, "213 meetings in 2017; the 2017 target is met."),
        ],
    ),
    (
        "zero-tolerance",
        0,
        [
            (date(2017, 9, 1), "in_progress", 40, "16 videos published; three passed 100,000 views."),
            (date(2018, 1, 15), "delayed", 45, "The second series waits for the 2018 funding."),
        ],
    ),
    ("prisons", 0, [(date(2017, 10, 1), "in_progress", 25, "Monthly visits started in both pilot regions.")]),
    ("youth", 1, [(date(2018, 9, 1), "completed", 100, "The course is approved and taught in 40 schools.")]),
]


def _progress(officer, adopted: PlanVersion) -> int:
    count = 0
    for strand_code, index, steps in PROGRESS:
        items = list(adopted.items.filter(objective__strand__code=strand_code).order_by("position", "pk"))
        if len(items) <= index:
            continue
        for when, status, percent, note in steps:
            update = services.record_progress(
                actor=officer, tracked=items[index].tracked, status=status, progress=percent, note=note
            )
            moment = datetime(when.year, when.month, when.day, 12, tzinfo=ALMATY)
            ProgressUpdate.objects.filter(pk=update.pk).update(created_at=moment)
            count += 1
    return count


def load(stdout=None) -> str:
    if ActionPlan.objects.exists():
        return f"{PlanVersion.objects.count()} plan versions (already loaded)"
    programme = Programme.objects.filter(slug="prevention-2017-2020").first()
    if programme is None:
        return "no programme: the consultations demo did not run"
    officer = User.objects.filter(email="officer@demo.kelisim.kz").first()
    administrator = User.objects.filter(email="admin@demo.kelisim.kz").first()
    plan = services.save_plan(
        actor=officer,
        programme=programme,
        slug="action-plan-2017-2020",
        title_en="Action plan of the 2017–2020 programme",
        title_ru="План мероприятий по реализации Программы на 2017–2020 годы",
        title_kk="2017–2020 жылдарға арналған бағдарламаны іске асыру жөніндегі іс-шаралар жоспары",
    )
    draft_one = _draft_one(officer, plan)
    roundtable = Roundtable.objects.filter(title_en=FEBRUARY_TITLES[2]).first()
    decisions = 0
    if roundtable is not None:
        decisions = _roundtable_decisions(officer, plan, roundtable)
        meeting_services.close_roundtable(actor=officer, roundtable=roundtable)
        Roundtable.objects.filter(pk=roundtable.pk).update(closed_at=datetime(2017, 2, 10, 16, tzinfo=ALMATY))
    working = services.working_version(plan)
    draft_two = services.publish_version(actor=officer, version=working) if working else draft_one
    adopted = services.adopt_plan(actor=administrator, plan=plan, adopted_on=date(2017, 3, 15), note="Adopted")
    for version, when in ((draft_one, date(2017, 2, 1)), (draft_two, date(2017, 2, 24)), (adopted, date(2017, 3, 15))):
        PlanVersion.objects.filter(pk=version.pk).update(
            published_at=datetime(when.year, when.month, when.day, 12, tzinfo=ALMATY)
            + timedelta(minutes=version.number)
        )
    updates = _progress(officer, adopted)
    return (
        f"{PlanVersion.objects.filter(plan=plan).count()} plan versions, {adopted.items.count()} items, "
        f"{decisions} roundtable decisions into the plan, {updates} progress updates"
    )
