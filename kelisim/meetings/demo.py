"""The scenario's roundtable of 10 February 2017 in Astana, and an upcoming one open for registration.

The February roundtable is loaded as history: its registrations and attendance are written as they
were, its "decline", "defer" and "merge" decisions are recorded here, and the decisions that carry
suggestions into the action plan are recorded by the plans demo, which then closes the roundtable.
All text is written for the demo. Idempotent.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from kelisim.accounts.models import User
from kelisim.consultations.models import Document, Status, Suggestion
from kelisim.meetings import services
from kelisim.meetings.models import Attendance, Registration, Roundtable
from kelisim.organisations.models import Organisation

ALMATY = ZoneInfo("Asia/Almaty")
# Titles as (kk, ru, en): the demo's content is complete in the three languages.
FEBRUARY_TITLES = (
    "Қазақстан Республикасында діни экстремизм мен терроризмнің алдын алудың өзекті мәселелері",
    "Актуальные вопросы профилактики религиозного экстремизма и терроризма в Республике Казахстан",
    "Urgent issues concerning the prevention of religious extremism and terrorism in the Republic of Kazakhstan",
)
UPCOMING_TITLES = (
    "Желідегі алдын алу: блогерлер, пікір көшбасшылары және қарсы насихат",
    "Профилактика в сети: блогеры, лидеры мнений и контрпропаганда",
    "Prevention online: bloggers, opinion leaders and counter-messaging",
)
UPCOMING_AGENDA_TITLES = (
    "Желіде не нәтиже береді: ҮЕҰ-лардың тәжірибесінен мысалдар",
    "Что работает в сети: примеры из практики НПО",
    "What works online: examples from the NGOs",
)


def titles(texts: tuple[str, str, str]) -> dict:
    return dict(zip(("title_kk", "title_ru", "title_en"), texts, strict=True))


NAMED_ATTENDANCE = {
    "Programme Office for the Prevention of Religious Extremism": 4,
    "Association of Centres for the Study of Religions": 3,
    "KazakhStan for Peace youth movement": 5,
    "Accord": 2,
    "Almaty Region Centre for the Study of Religious Issues": 2,
}

MINUTES = """\
## Участники

Представители Антитеррористического центра КНБ, министерств и местных исполнительных органов, а также
неправительственных организаций из Астаны, Алматинской, Жамбылской и Южно-Казахстанской областей.

## Обсуждение

- Обсуждался проект Программы на 2017–2020 годы и проект Плана мероприятий по её реализации.
- Участники согласились, что официальные материалы проигрывают радикальной пропаганде по форме:
  нужны короткие видео, блогеры и лидеры мнений, говорящие на языке молодёжи.
- Представители НПО предложили привлекать теологов и психологов к работе с осуждёнными не эпизодически,
  а по постоянному графику, и начинать сопровождение до освобождения.
- Ассоциация центров исследования религий рассказала о молодёжном движении, проводящем встречи со
  сверстниками по всей стране; НПО нужны эксперты по теологии и ораторскому искусству.

## Решения

Решения по каждому предложению приведены ниже, по пунктам повестки. Конкретные предложения включены
в проект Плана мероприятий (проект 2).
"""

AGENDA = [
    (
        time(10, 0),
        30,
        (
            "Ашылу: 2017–2020 жылдарға арналған бағдарлама және іс-шаралар жоспарының жобасы",
            "Открытие: программа на 2017–2020 годы и проект плана мероприятий",
            "Opening: the 2017–2020 programme and the draft action plan",
        ),
        None,
    ),
    (
        time(10, 30),
        60,
        (
            "Желідегі радикализмге төзбеушілік: блогерлер және пікір көшбасшылары",
            "Нулевая терпимость к радикализму в сети: блогеры и лидеры мнений",
            "Zero tolerance of radicalism online: bloggers and opinion leaders",
        ),
        "zero-tolerance",
    ),
    (
        time(11, 30),
        45,
        (
            "Сотталғандармен жұмыс және босатылғаннан кейінгі сүйемелдеу",
            "Работа с осуждёнными и сопровождение после освобождения",
            "Work with prison inmates and support after release",
        ),
        "prisons",
    ),
    (
        time(12, 15),
        45,
        (
            "Жастарды рухани-адамгершілікке тәрбиелеу",
            "Духовно-нравственное воспитание молодёжи",
            "Spiritual and moral education of young people",
        ),
        "youth",
    ),
]


def _open_suggestions(strand_code: str, count: int) -> list[Suggestion]:
    return list(
        Suggestion.objects.filter(
            strand__code=strand_code,
            status__in=[Status.RECEIVED, Status.UNDER_REVIEW],
            version__document__kind=Document.Kind.ACTION_PLAN,
        ).order_by("pk")[:count]
    ) or list(
        Suggestion.objects.filter(strand__code=strand_code, status__in=[Status.RECEIVED, Status.UNDER_REVIEW]).order_by(
            "pk"
        )[:count]
    )


def _february(officer) -> Roundtable:
    starts = datetime(2017, 2, 10, 10, 0, tzinfo=ALMATY)
    organisations = {o.name_en: o for o in Organisation.objects.filter(name_en__in=list(NAMED_ATTENDANCE))}
    others = list(
        Organisation.objects.filter(verification_status="verified")
        .exclude(pk__in=[o.pk for o in organisations.values()])
        .order_by("pk")[:6]
    )
    roundtable = services.save_roundtable(
        actor=officer,
        **titles(FEBRUARY_TITLES),
        topic="Officials and NGO representatives exchange views on making society resistant to radical ideology "
        "and put concrete suggestions into the draft action plan of the 2017–2020 programme.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="Astana, conference hall of the programme office",
        organiser="National Security Committee, Anti-Terrorism Centre",
        capacity=60,
        access=Roundtable.Access.INVITATION,
        invited_organisations=[*organisations.values(), *others],
        reason="scheduled (demo history)",
    )
    # History, not a live sign-up: the seats were taken in January 2017.
    members = {}
    for user in User.objects.filter(memberships__status="active").prefetch_related("memberships"):
        for membership in user.memberships.all():
            members.setdefault(membership.organisation_id, user)
    seats = 0
    registered = set()
    for organisation in [*organisations.values(), *others]:
        user = members.get(organisation.pk)
        if user is not None and user.pk not in registered:
            registered.add(user.pk)
            Registration.objects.create(
                roundtable=roundtable,
                user=user,
                organisation=organisation,
                status=Registration.Status.CONFIRMED,
                created_at=starts - timedelta(days=10),
            )
            seats += 1
    Roundtable.objects.filter(pk=roundtable.pk).update(seats_taken=seats)
    for name, people in NAMED_ATTENDANCE.items():
        if name in organisations:
            Attendance.objects.create(roundtable=roundtable, organisation=organisations[name], people=people)
    for index, organisation in enumerate(others):
        Attendance.objects.create(roundtable=roundtable, organisation=organisation, people=1 + index % 3)

    for position, (at, minutes, title, strand) in enumerate(AGENDA):
        suggestions = _open_suggestions(strand, 4) if strand else []
        item = services.save_agenda_item(
            actor=officer,
            roundtable=roundtable,
            suggestions=suggestions,
            starts_at=at,
            duration_minutes=minutes,
            **titles(title),
            position=position,
        )
        # The last suggestions of each item get a decline, a deferral or a merge; the first ones are
        # taken into the plan by the plans demo.
        if len(suggestions) >= 4:
            if strand == "zero-tolerance":
                services.record_decision(
                    actor=officer,
                    agenda_item=item,
                    kind="decline",
                    suggestion=suggestions[3],
                    text_en="Blocking whole platforms would cut off the audience the programme needs to reach; "
                    "the roundtable prefers counter-messaging and work with the platforms.",
                    text_ru="Блокировка целых платформ отрезала бы аудиторию, до которой программа должна дойти; "
                    "круглый стол отдаёт предпочтение контрпропаганде и работе с самими платформами.",
                    text_kk="Платформаларды толықтай бұғаттау бағдарлама жетуге тиіс аудиторияны шектеп тастар еді; "
                    "дөңгелек үстел қарсы үгіт жүргізуді және платформалардың өзімен жұмыс істеуді қолдайды.",
                )
            elif strand == "prisons":
                services.record_decision(
                    actor=officer,
                    agenda_item=item,
                    kind="defer",
                    suggestion=suggestions[3],
                    text_en="To be discussed with the penal system committee at the next roundtable.",
                    text_ru="Будет обсуждено с комитетом уголовно-исполнительной системы на следующем круглом столе.",
                    text_kk="Келесі дөңгелек үстелде қылмыстық-атқару жүйесі комитетімен талқыланады.",
                )
            else:
                services.record_decision(
                    actor=officer,
                    agenda_item=item,
                    kind="merge",
                    suggestion=suggestions[3],
                    merge_into=suggestions[2],
                    text_en="The same proposal in other words; discussed together.",
                    text_ru="То же предложение другими словами; рассмотрены вместе.",
                    text_kk="Басқа сөзбен айтылған сол ұсыныс; бірге қаралды.",
                )
    services.save_minutes(actor=officer, roundtable=roundtable, markdown=MINUTES)
    return roundtable


def _upcoming(officer) -> Roundtable:
    starts = timezone.localtime(timezone.now() + timedelta(days=20)).replace(hour=15, minute=0, second=0, microsecond=0)
    roundtable = services.save_roundtable(
        actor=officer,
        **titles(UPCOMING_TITLES),
        topic="How NGOs, bloggers and the programme office can make counter-messaging that young people "
        "actually watch and share.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Almaty, House of Friendship",
        online_url="https://meet.example.kz/prevention-online",
        organiser="Programme office",
        capacity=1,
        access=Roundtable.Access.PUBLIC,
        invited_organisations=[],
    )
    services.save_agenda_item(
        actor=officer,
        roundtable=roundtable,
        suggestions=_open_suggestions("zero-tolerance", 2),
        starts_at=time(15, 0),
        duration_minutes=60,
        **titles(UPCOMING_AGENDA_TITLES),
    )
    for email in ("ngo-member@demo.kelisim.kz", "ngo-admin@demo.kelisim.kz"):
        user = User.objects.filter(email=email).first()
        membership = user and user.memberships.filter(status="active").select_related("organisation").first()
        if membership is not None:
            services.register(user=user, roundtable=roundtable, organisation=membership.organisation)
    return roundtable


def load(stdout=None) -> str:
    if Roundtable.objects.filter(title_en=FEBRUARY_TITLES[2]).exists():
        return f"{Roundtable.objects.count()} roundtables (already loaded)"
    officer = User.objects.filter(email="officer@demo.kelisim.kz").first()
    _february(officer)
    _upcoming(officer)
    return f"{Roundtable.objects.count()} roundtables, {Registration.objects.count()} registrations"
