"""Demo organisations: the programme office, the NGOs named in the scenario, a few hundred
synthetic NGOs spread over every region, and a roster of experts. All BINs are made up but
valid in form (date of registration, legal-entity digits, serial, check digit)."""

import random
from datetime import date

from django.utils import timezone

from kelisim.accounts.models import User
from kelisim.core.models import Region, Strand
from kelisim.organisations.models import Expert, ExpertiseField, Membership, Organisation
from kelisim.organisations.validators import make_bin

SYNTHETIC_COUNT = 300


def demo_bin(registered: date, serial: int) -> str:
    """A valid-format BIN: YYMM, 4 (resident legal entity), 0 (head office), 5-digit serial, check digit."""
    while True:
        candidate = make_bin(f"{registered:%y%m}40{serial:05d}")
        if candidate:
            return candidate
        serial += 1


EXPERTISE = [
    ("theology", "Теология", "Теология", "Theology"),
    ("religious-studies", "Дінтану", "Религиоведение", "Religious studies"),
    ("psychology", "Психология", "Психология", "Psychology"),
    ("law", "Құқық", "Право", "Law"),
    ("public-speaking", "Шешендік өнер", "Ораторское искусство", "Public speaking"),
    ("pedagogy", "Педагогика", "Педагогика", "Pedagogy"),
    ("media", "Медиа және коммуникация", "Медиа и коммуникации", "Media and communication"),
    ("social-work", "Әлеуметтік жұмыс", "Социальная работа", "Social work"),
    ("rehabilitation", "Оңалту", "Реабилитация", "Rehabilitation"),
]

NAMED = [
    {
        "key": "office",
        "kind": Organisation.Kind.GOVERNMENT,
        "legal_form": Organisation.LegalForm.STATE_BODY,
        "name_en": "Programme Office for the Prevention of Religious Extremism",
        "name_ru": "Офис программы по профилактике религиозного экстремизма",
        "name_kk": "Діни экстремизмнің алдын алу бағдарламасының кеңсесі",
        "region": "KZ-71",
        "registered": date(2016, 3, 1),
        "serial": 1,
        "strands": ["zero-tolerance", "prisons", "youth"],
        "languages": "en,kk,ru",
        "verified": True,
        "description_en": "Publishes the programme drafts, answers suggestions, runs roundtables and manages calls.",
        "description_ru": "Публикует проекты программы, отвечает на предложения, проводит круглые столы и конкурсы.",
        "description_kk": "Бағдарлама жобаларын жариялайды, ұсыныстарға жауап береді, дөңгелек үстелдер мен конкурстар өткізеді.",
    },
    {
        "key": "acsr",
        "legal_form": Organisation.LegalForm.ASSOCIATION,
        "name_en": "Association of Centres for the Study of Religions",
        "name_ru": "Ассоциация центров исследования религий",
        "name_kk": "Дінтану орталықтарының қауымдастығы",
        "region": "KZ-71",
        "registered": date(2012, 5, 14),
        "serial": 2,
        "strands": ["youth", "zero-tolerance"],
        "languages": "en,kk,ru",
        "verified": True,
        "description_en": "Research and outreach on religion; launched the youth prevention project behind KazakhStan for Peace.",
        "description_ru": "Исследования и просвещение в сфере религии; запустила молодёжный проект, из которого вырос «Казахстан за мир».",
        "description_kk": "Дін саласындағы зерттеу және ағарту; «Бейбітшілік үшін Қазақстан» қозғалысын тудырған жастар жобасын бастады.",
    },
    {
        "key": "kfp",
        "legal_form": Organisation.LegalForm.PUBLIC_ASSOCIATION,
        "name_en": "KazakhStan for Peace youth movement",
        "name_ru": "Молодёжное движение «Казахстан за мир»",
        "name_kk": "«Бейбітшілік үшін Қазақстан» жастар қозғалысы",
        "region": "KZ-71",
        "registered": date(2016, 2, 22),
        "serial": 3,
        "strands": ["youth"],
        "languages": "kk,ru",
        "verified": True,
        "description_en": "Trained volunteers hold lectures and meetings with young people across the country.",
        "description_ru": "Подготовленные волонтёры проводят лекции и встречи с молодёжью по всей стране.",
        "description_kk": "Дайындалған еріктілер ел бойынша жастармен дәрістер мен кездесулер өткізеді.",
    },
    {
        "key": "accord",
        "legal_form": Organisation.LegalForm.PUBLIC_ASSOCIATION,
        "name_en": "Accord",
        "name_ru": "«Согласие»",
        "name_kk": "«Келісім»",
        "region": "KZ-31",
        "registered": date(2009, 9, 7),
        "serial": 4,
        "strands": ["zero-tolerance", "prisons"],
        "languages": "kk,ru",
        "verified": True,
        "description_en": "A Taraz-based NGO working on interfaith dialogue and on prevention in Zhambyl Region.",
        "description_ru": "НПО из Тараза: межконфессиональный диалог и профилактика в Жамбылской области.",
        "description_kk": "Тараздағы ҮЕҰ: конфессияаралық диалог және Жамбыл облысындағы алдын алу жұмысы.",
    },
    {
        "key": "almaty-centre",
        "legal_form": Organisation.LegalForm.PRIVATE_INSTITUTION,
        "name_en": "Almaty Region Centre for the Study of Religious Issues",
        "name_ru": "Центр изучения религиозных вопросов Алматинской области",
        "name_kk": "Алматы облысының дін мәселелерін зерттеу орталығы",
        "region": "KZ-33",
        "registered": date(2013, 1, 21),
        "serial": 5,
        "strands": ["youth", "prisons"],
        "languages": "kk,ru",
        "verified": False,
        "verification_note": "Registration certificate requested on the phone; waiting for the scan before verifying.",
        "description_en": "Religious scholars in Taldykorgan who lecture to young people and advise local bodies.",
        "description_ru": "Религиоведы из Талдыкоргана читают лекции молодёжи и консультируют местные органы.",
        "description_kk": "Талдықорғандағы дінтанушылар жастарға дәріс оқиды және жергілікті органдарға кеңес береді.",
    },
]

# Parts of synthetic names: (English, Russian, Kazakh).
TOPICS = [
    ("Youth Initiative", "Молодёжная инициатива", "Жастар бастамасы"),
    ("Civic Dialogue", "Гражданский диалог", "Азаматтық диалог"),
    ("Family and Society", "Семья и общество", "Отбасы және қоғам"),
    ("Open Heart", "Открытое сердце", "Ашық жүрек"),
    ("Light of Knowledge", "Свет знаний", "Білім нұры"),
    ("Harmony", "Гармония", "Үйлесім"),
    ("New Generation", "Новое поколение", "Жаңа буын"),
    ("Second Chance", "Второй шанс", "Екінші мүмкіндік"),
    ("Media Literacy Centre", "Центр медиаграмотности", "Медиасауаттылық орталығы"),
    ("Women's Council", "Женский совет", "Әйелдер кеңесі"),
    ("Mentors", "Наставники", "Тәлімгерлер"),
    ("Steppe Volunteers", "Волонтёры степи", "Дала еріктілері"),
]
FORMS = [
    Organisation.LegalForm.PUBLIC_ASSOCIATION,
    Organisation.LegalForm.PUBLIC_FOUNDATION,
    Organisation.LegalForm.PRIVATE_INSTITUTION,
    Organisation.LegalForm.ASSOCIATION,
]

EXPERTS = [
    (
        "Aliya Nurpeisova",
        ["theology", "public-speaking"],
        "kk,ru",
        ["KZ-71", "KZ-11", "KZ-35"],
        "acsr",
        "Religious scholar and lecturer",
        "Религиовед, лектор",
        "Дінтанушы, лектор",
    ),
    (
        "Serik Abenov",
        ["psychology", "rehabilitation"],
        "kk,ru",
        ["KZ-75", "KZ-19", "KZ-33"],
        None,
        "Clinical psychologist working with inmates",
        "Клинический психолог, работает с осуждёнными",
        "Сотталғандармен жұмыс істейтін клиникалық психолог",
    ),
    (
        "Gulnara Seitkali",
        ["law", "social-work"],
        "kk,ru,en",
        ["KZ-71"],
        "office",
        "Lawyer, specialist in freedom of belief legislation",
        "Юрист, специалист по законодательству о свободе вероисповедания",
        "Заңгер, діни сенім бостандығы туралы заңнама маманы",
    ),
    (
        "Timur Zhaksylykov",
        ["media", "public-speaking"],
        "kk,ru,en",
        ["KZ-75", "KZ-79", "KZ-61"],
        "kfp",
        "Blogger and media trainer",
        "Блогер и медиатренер",
        "Блогер және медиатренер",
    ),
    (
        "Saule Omarova",
        ["pedagogy", "psychology"],
        "kk,ru",
        ["KZ-31", "KZ-61", "KZ-79"],
        "accord",
        "Teacher trainer for school prevention programmes",
        "Тренер учителей по школьной профилактике",
        "Мектептегі алдын алу бағдарламалары бойынша мұғалімдер тренері",
    ),
    (
        "Yerlan Bekturov",
        ["theology", "rehabilitation"],
        "kk,ru",
        ["KZ-15", "KZ-23", "KZ-47", "KZ-27"],
        None,
        "Theologian, counsellor in correctional facilities",
        "Теолог, консультант в исправительных учреждениях",
        "Теолог, түзеу мекемелеріндегі кеңесші",
    ),
]


def load(stdout=None) -> str:
    regions = {region.code: region for region in Region.objects.all()}
    strands = {strand.code: strand for strand in Strand.objects.all()}

    for order, (code, kk, ru, en) in enumerate(EXPERTISE):
        ExpertiseField.objects.update_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "sort_order": order}
        )
    fields = {field.code: field for field in ExpertiseField.objects.all()}

    named = {}
    for entry in NAMED:
        bin_number = demo_bin(entry["registered"], entry["serial"])
        organisation, _created = Organisation.objects.update_or_create(
            bin=bin_number,
            defaults={
                "kind": entry.get("kind", Organisation.Kind.NGO),
                "legal_form": entry["legal_form"],
                "name_en": entry["name_en"],
                "name_ru": entry["name_ru"],
                "name_kk": entry["name_kk"],
                "description_en": entry["description_en"],
                "description_ru": entry["description_ru"],
                "description_kk": entry["description_kk"],
                "region": regions[entry["region"]],
                "registration_date": entry["registered"],
                "working_languages": entry["languages"],
                "public_email": f"info@{entry['key']}.example.kz",
                "website": f"https://{entry['key']}.example.kz",
                "verification_status": Organisation.Verification.VERIFIED
                if entry["verified"]
                else Organisation.Verification.UNVERIFIED,
                "verified_at": timezone.now() if entry["verified"] else None,
                "verification_note": entry.get("verification_note", ""),
            },
        )
        organisation.focus_strands.set([strands[code] for code in entry["strands"]])
        named[entry["key"]] = organisation

    existing = set(Organisation.objects.values_list("bin", flat=True))
    region_list = list(regions.values())
    strand_list = list(strands.values())
    new = []
    for serial in range(100, 100 + SYNTHETIC_COUNT):
        rng = random.Random(serial)
        registered = date(2000 + rng.randrange(0, 17), rng.randrange(1, 13), rng.randrange(1, 28))
        bin_number = demo_bin(registered, serial)
        if bin_number in existing:
            continue
        region = region_list[serial % len(region_list)]
        topic = TOPICS[rng.randrange(len(TOPICS))]
        new.append(
            Organisation(
                bin=bin_number,
                legal_form=rng.choice(FORMS),
                registration_date=registered,
                region=region,
                name_en=f"{topic[0]} — {region.name_en} #{serial}",
                name_ru=f"{topic[1]} — {region.name_ru} №{serial}",
                name_kk=f"{topic[2]} — {region.name_kk} №{serial}",
                working_languages=rng.choice(["kk,ru", "ru", "kk", "en,kk,ru"]),
                public_email=f"ngo{serial}@example.kz",
                description_en=f"A local NGO in {region.name_en} working on {topic[0].lower()}.",
                description_ru=f"Местная НПО ({region.name_ru}): {topic[1].lower()}.",
                verification_status=Organisation.Verification.VERIFIED
                if rng.random() < 0.6
                else Organisation.Verification.UNVERIFIED,
            )
        )
    Organisation.objects.bulk_create(new, batch_size=500)
    through = Organisation.focus_strands.through
    through.objects.bulk_create(
        [through(organisation_id=org.pk, strand_id=strand_list[org.pk % len(strand_list)].pk) for org in new],
        batch_size=500,
    )

    memberships = [
        ("ngo-admin@demo.kelisim.kz", "acsr", Membership.Role.ADMIN),
        ("ngo-member@demo.kelisim.kz", "kfp", Membership.Role.MEMBER),
        ("ngo-admin@demo.kelisim.kz", "kfp", Membership.Role.ADMIN),
    ]
    for email, key, role in memberships:
        user = User.objects.filter(email=email).first()
        if user:
            Membership.objects.update_or_create(
                user=user,
                organisation=named[key],
                defaults={"role": role, "status": Membership.Status.ACTIVE},
            )

    # Something for the NGO admin to decide: a citizen asked to join KazakhStan for Peace. Created
    # once and never reset, so that approving it in the demo survives another `make run`.
    citizen = User.objects.filter(email="citizen@demo.kelisim.kz").first()
    if citizen:
        Membership.objects.get_or_create(
            user=citizen, organisation=named["kfp"], defaults={"status": Membership.Status.PENDING}
        )

    for name, field_codes, languages, region_codes, org_key, title_en, title_ru, title_kk in EXPERTS:
        expert, _created = Expert.objects.update_or_create(
            full_name=name,
            defaults={
                "languages": languages,
                "organisation": named.get(org_key) if org_key else None,
                "title_en": title_en,
                "title_ru": title_ru,
                "title_kk": title_kk,
                "contact_email": f"{name.split()[0].lower()}@experts.example.kz",
                "is_listed": True,
            },
        )
        expert.fields.set([fields[code] for code in field_codes])
        expert.regions.set([regions[code] for code in region_codes])

    return f"{Organisation.objects.count()} organisations, {Expert.objects.count()} experts"
