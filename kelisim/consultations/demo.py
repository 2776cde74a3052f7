"""The scenario's consultation: the 2017–2020 programme draft and its action plan draft, with suggestions.

All text is written for the demo. Idempotent: a second run finds the programme and changes nothing.
"""

import random
from datetime import timedelta

from django.utils import timezone

from kelisim.accounts.models import User
from kelisim.consultations import services
from kelisim.consultations.duplicates import index_suggestion
from kelisim.consultations.models import Document, Programme, Status, Suggestion
from kelisim.core.models import Region, Strand

PROGRAMME_SLUG = "prevention-2017-2020"

PROGRAMME_RU = """
# Общие положения
Программа определяет меры государства и гражданского общества по профилактике религиозного экстремизма и терроризма на 2017–2020 годы.
Программа разработана открыто: проект публикуется по разделам, и любой желающий может направить предложение к любому абзацу.

# Анализ текущей ситуации
Радикальные группы активно используют социальные сети и мессенджеры; их материалы хорошо продуманы с точки зрения маркетинга, а официальные материалы часто проигрывают им по форме.
Сотни граждан страны выехали в зоны вооружённых конфликтов; часть из них вернулась и нуждается в ресоциализации.
В стране зарегистрировано около 23 тысяч неправительственных организаций, многие из которых уже работают с молодёжью и местными сообществами.

# Цели и задачи
Цель программы — сформировать в обществе устойчивый иммунитет к радикальной идеологии.
Задача первая: нетерпимость к радикализму в обществе и в интернете, с участием блогеров и лидеров мнений.
Задача вторая: работа с осуждёнными в местах лишения свободы, чтобы не допустить их радикализации.
Задача третья: духовно-нравственное воспитание молодёжи.

# Участие неправительственных организаций
Государство привлекает НПО к реализации программы через государственный социальный заказ и гранты.
НПО проводят лекции, встречи и информационные кампании по всей стране и отчитываются о проделанной работе публично.

# Ожидаемые результаты
К 2020 году доля молодёжи, охваченной профилактическими мероприятиями, должна вырасти, а число осуждённых, отказавшихся от радикальных взглядов, — увеличиться.
"""

PROGRAMME_KK = """
# Жалпы ережелер
Бағдарлама 2017–2020 жылдарға арналған діни экстремизм мен терроризмнің алдын алу бойынша мемлекет пен азаматтық қоғамның шараларын айқындайды.
Бағдарлама ашық әзірленді: жоба бөлім-бөлімімен жарияланады, кез келген адам кез келген абзацқа ұсыныс жібере алады.

# Ағымдағы жағдайды талдау
Радикалды топтар әлеуметтік желілер мен мессенджерлерді белсенді пайдаланады; олардың материалдары маркетинг тұрғысынан жақсы ойластырылған, ал ресми материалдар көбіне формасы жағынан ұтылады.
Елдің жүздеген азаматы қарулы қақтығыс аймақтарына кетті; олардың бір бөлігі оралып, қоғамға қайта бейімделуді қажет етеді.
Елде 23 мыңға жуық үкіметтік емес ұйым тіркелген, олардың көбі жастармен және жергілікті қауымдастықтармен жұмыс істеп жүр.

# Мақсаттар мен міндеттер
Бағдарламаның мақсаты — қоғамда радикалды идеологияға тұрақты иммунитет қалыптастыру.
Бірінші міндет: блогерлер мен пікір көшбасшыларының қатысуымен қоғамда және интернетте радикализмге төзбеушілік.
Екінші міндет: бас бостандығынан айыру орындарындағы сотталғандармен олардың радикалдануына жол бермеу үшін жұмыс.
Үшінші міндет: жастарды рухани-адамгершілікке тәрбиелеу.

# Үкіметтік емес ұйымдардың қатысуы
Мемлекет ҮЕҰ-ды бағдарламаны іске асыруға мемлекеттік әлеуметтік тапсырыс пен гранттар арқылы тартады.
ҮЕҰ бүкіл ел бойынша дәрістер, кездесулер мен ақпараттық науқандар өткізіп, атқарылған жұмыс туралы ашық есеп береді.

# Күтілетін нәтижелер
2020 жылға қарай алдын алу шараларымен қамтылған жастардың үлесі артып, радикалды көзқарастан бас тартқан сотталғандар саны көбеюі тиіс.
"""

PROGRAMME_EN = """
# General provisions
The programme sets out what the state and civil society will do to prevent religious extremism and terrorism in 2017–2020.
The programme is drafted in the open: the draft is published section by section, and anyone may send a suggestion on any paragraph.

# The present situation
Radical groups make heavy use of social networks and messengers; their material is well thought out as marketing, and official material often loses to it on form.
Hundreds of the country's citizens have left for zones of armed conflict; some have come back and need help to return to ordinary life.
About 23,000 non-governmental organisations are registered in the country, and many already work with young people and local communities.

# Aims and tasks
The programme's aim is lasting public immunity to radical ideology.
First task: zero tolerance of radicalism in society and online, with bloggers and opinion leaders taking part.
Second task: work with prison inmates so that they are not radicalised behind bars.
Third task: the spiritual and moral education of young people.

# The part of non-governmental organisations
The state brings NGOs into the programme through state social contracts and grants.
NGOs hold lectures, meetings and information campaigns across the country and report on their work in public.

# Expected results
By 2020 the share of young people reached by prevention work should grow, and more inmates should have turned away from radical views.
"""

PLAN_RU = """
# Нетерпимость к радикализму в обществе и в интернете
Подготовить вместе с блогерами и лидерами мнений серию коротких видеороликов на казахском и русском языках; ответственный — Министерство информации, партнёры — НПО; срок — 2017–2018 годы.
Проводить ежегодный конкурс контрпропагандистских материалов для молодых авторов; ответственный — акиматы областей; срок — ежегодно.
Открыть горячую линию и онлайн-консультации богословов для тех, кто столкнулся с радикальными материалами; срок — 2017 год.

# Работа с осуждёнными
Организовать регулярные встречи теологов и психологов с осуждёнными в каждом учреждении; ответственный — Комитет уголовно-исполнительной системы, партнёры — НПО; срок — 2017–2020 годы.
Разработать программу поддержки после освобождения: помощь в трудоустройстве, жильё, работа с семьёй; срок — 2018 год.

# Духовно-нравственное воспитание молодёжи
Проводить не менее 150 встреч в год с учащимися школ, колледжей и вузов в каждом регионе; партнёры — молодёжные НПО; срок — ежегодно.
Подготовить лекторов по теологии и ораторскому мастерству из числа представителей НПО; срок — 2017–2019 годы.
Создать в регионах молодёжные клубы по интересам как альтернативу закрытым радикальным сообществам; срок — 2018–2020 годы.
"""

PLAN_KK = """
# Қоғамда және интернетте радикализмге төзбеушілік
Блогерлермен және пікір көшбасшыларымен бірге қазақ және орыс тілдерінде қысқа бейнероликтер сериясын дайындау; жауапты — Ақпарат министрлігі, серіктестер — ҮЕҰ; мерзімі — 2017–2018 жылдар.
Жас авторлар үшін жыл сайын қарсы үгіт материалдарының байқауын өткізу; жауапты — облыс әкімдіктері; мерзімі — жыл сайын.
Радикалды материалдарға тап болғандар үшін сенім телефонын және теологтардың онлайн-кеңестерін ашу; мерзімі — 2017 жыл.

# Сотталғандармен жұмыс
Әр мекемеде теологтар мен психологтардың сотталғандармен тұрақты кездесулерін ұйымдастыру; жауапты — Қылмыстық-атқару жүйесі комитеті, серіктестер — ҮЕҰ; мерзімі — 2017–2020 жылдар.
Босатылғаннан кейінгі қолдау бағдарламасын әзірлеу: жұмысқа орналасуға көмек, баспана, отбасымен жұмыс; мерзімі — 2018 жыл.

# Жастарды рухани-адамгершілікке тәрбиелеу
Әр өңірде мектеп, колледж және жоғары оқу орындарының білім алушыларымен жылына кемінде 150 кездесу өткізу; серіктестер — жастар ҮЕҰ; мерзімі — жыл сайын.
ҮЕҰ өкілдерінің арасынан теология және шешендік өнер бойынша дәріскерлер даярлау; мерзімі — 2017–2019 жылдар.
Өңірлерде жабық радикалды топтарға балама ретінде жастардың қызығушылық клубтарын құру; мерзімі — 2018–2020 жылдар.
"""

PLAN_EN = """
# Zero tolerance of radicalism in society and online
Produce, together with bloggers and opinion leaders, a series of short videos in Kazakh and Russian; responsible: Ministry of Information, partners: NGOs; deadline: 2017–2018.
Hold a yearly competition of counter-messaging material for young authors; responsible: regional akimats; deadline: every year.
Open a helpline and online advice from theologians for people who have come across radical material; deadline: 2017.

# Work with prison inmates
Arrange regular meetings of theologians and psychologists with inmates in every institution; responsible: Penal Correction Committee, partners: NGOs; deadline: 2017–2020.
Draw up a support programme after release: help to find work and housing, work with the family; deadline: 2018.

# Spiritual and moral education of youth
Hold at least 150 meetings a year with school, college and university students in every region; partners: youth NGOs; deadline: every year.
Train lecturers in theology and public speaking from among NGO staff; deadline: 2017–2019.
Set up youth interest clubs in the regions as an alternative to closed radical communities; deadline: 2018–2020.
"""

# Suggestion texts: (language, strand code, text). Several say nearly the same thing, on purpose.
SUGGESTIONS = [
    (
        "ru",
        "youth",
        "Предлагаю проводить встречи с молодёжью не только в школах, но и в колледжах и общежитиях, где студенты живут без родителей.",
    ),
    (
        "ru",
        "youth",
        "Встречи с молодёжью нужно проводить не только в школах, но и в общежитиях колледжей, где студенты живут одни без родителей.",
    ),
    (
        "kk",
        "youth",
        "Жастармен кездесулерді тек мектептерде емес, колледж жатақханаларында да өткізу керек, онда студенттер ата-анасыз тұрады.",
    ),
    (
        "en",
        "youth",
        "Meetings with young people should be held not only in schools but also in college dormitories, where students live away from their parents.",
    ),
    (
        "ru",
        "zero-tolerance",
        "Ролики должны быть короткими, до одной минуты, и сниматься для Instagram и YouTube, иначе молодёжь их не досмотрит.",
    ),
    (
        "ru",
        "zero-tolerance",
        "Видеоролики надо делать короткими, не длиннее минуты, для Instagram и YouTube — длинные молодёжь не досматривает.",
    ),
    (
        "kk",
        "zero-tolerance",
        "Бейнероликтер қысқа болуы керек, бір минуттан аспауы тиіс, әйтпесе жастар оларды соңына дейін көрмейді.",
    ),
    (
        "en",
        "zero-tolerance",
        "The videos must be short, under a minute, made for Instagram and YouTube, or young people will not watch them to the end.",
    ),
    (
        "ru",
        "prisons",
        "Нужно привлекать к работе в колониях бывших осуждённых, которые сами отказались от радикальных взглядов: им доверяют больше, чем чиновникам.",
    ),
    (
        "ru",
        "prisons",
        "Привлекайте к работе в колониях бывших заключённых, отказавшихся от радикальных взглядов, — им доверяют больше, чем чиновникам.",
    ),
    (
        "kk",
        "prisons",
        "Колонияларда радикалды көзқарастан бас тартқан бұрынғы сотталғандарды жұмысқа тарту керек: оларға шенеуніктерге қарағанда көбірек сенеді.",
    ),
    (
        "en",
        "prisons",
        "Bring former inmates who gave up radical views into the work in prisons: inmates trust them more than officials.",
    ),
    (
        "ru",
        "prisons",
        "Программа поддержки после освобождения должна начинаться за полгода до выхода на свободу, а не после.",
    ),
    ("kk", "prisons", "Босатылғаннан кейінгі қолдау бостандыққа шығудан алты ай бұрын басталуы керек."),
    ("en", "prisons", "Support after release should start six months before the inmate leaves prison, not after."),
    (
        "ru",
        "youth",
        "Лекторам нужна подготовка по ораторскому мастерству: хороший теолог не всегда умеет говорить с подростками.",
    ),
    (
        "kk",
        "youth",
        "Дәріскерлерге шешендік өнер бойынша дайындық қажет: жақсы теолог әрқашан жасөспірімдермен сөйлесе бермейді.",
    ),
    ("en", "youth", "Lecturers need training in public speaking: a good theologian cannot always talk to teenagers."),
    (
        "ru",
        "zero-tolerance",
        "Горячая линия должна работать круглосуточно и анонимно, иначе родители побоятся звонить.",
    ),
    (
        "kk",
        "zero-tolerance",
        "Сенім телефоны тәулік бойы және жасырын жұмыс істеуі керек, әйтпесе ата-аналар қоңырау шалудан қорқады.",
    ),
    (
        "en",
        "zero-tolerance",
        "The helpline must work round the clock and anonymously, or parents will be afraid to call.",
    ),
    (
        "ru",
        "youth",
        "Молодёжные клубы нужно открывать в сёлах, а не только в областных центрах: в сёлах молодёжи заняться нечем.",
    ),
    (
        "kk",
        "youth",
        "Жастар клубтарын облыс орталықтарында ғана емес, ауылдарда да ашу керек: ауылда жастардың айналысатын ісі жоқ.",
    ),
    (
        "en",
        "youth",
        "Youth clubs should open in villages too, not only in regional centres: young people in villages have nothing to do.",
    ),
    ("ru", "", "Отчёты НПО о проведённых мероприятиях нужно публиковать открыто, с числом участников по регионам."),
    ("en", "", "Publish the NGOs' reports on their events openly, with the number of participants by region."),
    (
        "ru",
        "zero-tolerance",
        "Конкурс контрпропаганды стоит проводить среди студентов журналистики и дизайна, с призами и публикацией работ.",
    ),
    (
        "kk",
        "zero-tolerance",
        "Қарсы үгіт байқауын журналистика және дизайн студенттері арасында жүлделермен өткізген жөн.",
    ),
    ("ru", "", "Цель программы сформулирована слишком общо: нужны измеримые показатели по каждому году."),
    ("en", "", "The programme's aim is too general: it needs measurable indicators for every year."),
    ("kk", "", "Бағдарламаның мақсаты тым жалпы: әр жылға өлшенетін көрсеткіштер қажет."),
    (
        "ru",
        "prisons",
        "Психологи в колониях перегружены; нужно увеличить их число или привлечь волонтёров-психологов из НПО.",
    ),
    ("en", "youth", "Parents should be invited to some of the school meetings: they often notice changes first."),
    ("ru", "youth", "На встречи в школах стоит приглашать и родителей: они первыми замечают перемены в ребёнке."),
]

ANSWERS = {
    Status.ACCEPTED: {
        "ru": "Спасибо, предложение принято и включено в проект плана мероприятий.",
        "kk": "Рахмет, ұсыныс қабылданып, іс-шаралар жоспарының жобасына енгізілді.",
        "en": "Thank you: the suggestion is accepted and included in the draft action plan.",
    },
    Status.PARTLY_ACCEPTED: {
        "ru": "Предложение принято частично: мера будет опробована в трёх регионах.",
        "kk": "Ұсыныс ішінара қабылданды: шара үш өңірде сынақтан өткізіледі.",
        "en": "Partly accepted: the measure will first be tried in three regions.",
    },
    Status.DECLINED: {
        "ru": "Предложение отклонено: эта мера уже предусмотрена другой государственной программой.",
        "kk": "Ұсыныс қабылданбады: бұл шара басқа мемлекеттік бағдарламада қарастырылған.",
        "en": "Declined: another state programme already covers this measure.",
    },
    Status.OUT_OF_SCOPE: {
        "ru": "Вопрос не относится к программе; мы передали его в профильное ведомство.",
        "kk": "Мәселе бағдарламаға қатысты емес; біз оны тиісті ведомствоға жібердік.",
        "en": "Outside the programme; we passed it to the ministry concerned.",
    },
}

VARIATIONS = {
    "ru": ["", " Это очень важно.", " Прошу учесть в плане.", " Так делают в нашем районе.", " Считаю это главным."],
    "kk": ["", " Бұл өте маңызды.", " Жоспарда ескеруді сұраймын.", " Біздің ауданда осылай жасайды."],
    "en": ["", " This matters a lot.", " Please take it into the plan.", " That is how our district does it."],
}
TARGET_SUGGESTIONS = 300


def _markdown(text: str) -> str:
    """The texts above keep one paragraph per line; Markdown wants a blank line between paragraphs."""
    return "\n\n".join(line for line in text.splitlines() if line.strip())


def _officer():
    return User.objects.filter(email="officer@demo.kelisim.kz").first()


def load(stdout=None) -> str:
    if Programme.objects.filter(slug=PROGRAMME_SLUG).exists():
        return f"{Suggestion.objects.count()} suggestions (already loaded)"
    officer = _officer()
    now = timezone.now()
    strands = {strand.code: strand for strand in Strand.objects.all()}
    programme = services.save_programme(
        actor=None,
        slug=PROGRAMME_SLUG,
        period_start=2017,
        period_end=2020,
        strands=list(strands.values()),
        title_ru="Программа по противодействию религиозному экстремизму и терроризму на 2017–2020 годы",
        title_kk="2017–2020 жылдарға арналған діни экстремизм мен терроризмге қарсы іс-қимыл бағдарламасы",
        title_en="Programme for countering religious extremism and terrorism, 2017–2020",
        responsible_body_ru="Антитеррористический центр КНБ",
        responsible_body_kk="ҰҚК Антитеррорлық орталығы",
        responsible_body_en="Anti-Terrorism Centre of the National Security Committee",
    )
    documents = []
    for slug, kind, order, titles, texts in [
        (
            "programme-draft",
            Document.Kind.PROGRAMME,
            0,
            {"title_ru": "Проект программы", "title_kk": "Бағдарлама жобасы", "title_en": "Draft programme"},
            {"ru": PROGRAMME_RU, "kk": PROGRAMME_KK, "en": PROGRAMME_EN},
        ),
        (
            "action-plan-draft",
            Document.Kind.ACTION_PLAN,
            1,
            {
                "title_ru": "Проект плана мероприятий",
                "title_kk": "Іс-шаралар жоспарының жобасы",
                "title_en": "Draft action plan",
            },
            {"ru": PLAN_RU, "kk": PLAN_KK, "en": PLAN_EN},
        ),
    ]:
        document = services.save_document(
            actor=None, programme=programme, slug=slug, kind=kind, sort_order=order, **titles
        )
        version = services.create_version(
            actor=None,
            document=document,
            markdown=_markdown(texts["ru"]),
            language="ru",
            opens_at=now - timedelta(days=60),
            closes_at=now + timedelta(days=120),
        )
        for language in ("kk", "en"):
            services.add_translation(
                actor=None, version=version, markdown=_markdown(texts[language]), language=language
            )
        documents.append(version)

    rng = random.Random(2017)  # the same demo every time
    regions = list(Region.objects.all())
    citizens = list(User.objects.filter(role_grants__isnull=True)[:3])
    created = []
    for index in range(TARGET_SUGGESTIONS):
        language, strand_code, text = SUGGESTIONS[index % len(SUGGESTIONS)]
        if index >= len(SUGGESTIONS):
            text = text + rng.choice(VARIATIONS[language])
        version = documents[1] if strand_code and rng.random() < 0.7 else documents[0]
        paragraphs = list(version.paragraphs.all())
        target = rng.random()
        paragraph = rng.choice(paragraphs) if target < 0.7 else None
        section = rng.choice(list(version.sections.all())) if 0.7 <= target < 0.85 else None
        author = rng.choice(citizens) if citizens and rng.random() < 0.2 else None
        suggestion = services.submit_suggestion(
            version=version,
            author=author,
            address=f"demo-{index}",
            text=text,
            language=language,
            strand=strands.get(strand_code),
            region=rng.choice(regions) if rng.random() < 0.6 else None,
            paragraph=paragraph,
            section=section,
        )
        # Spread over the last eight weeks, so that the weekly chart has a shape.
        Suggestion.objects.filter(pk=suggestion.pk).update(
            created_at=now - timedelta(days=rng.randint(0, 55), minutes=rng.randint(0, 1440))
        )
        suggestion.refresh_from_db()
        created.append(suggestion)
    for suggestion in created:
        index_suggestion(suggestion)

    if officer is not None:
        for suggestion in created:
            roll = rng.random()
            if roll < 0.35:
                continue
            if roll < 0.5:
                services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.UNDER_REVIEW)
                continue
            status = rng.choice(list(ANSWERS))
            services.transition_suggestion(
                actor=officer, suggestion=suggestion, to=status, answer=ANSWERS[status][suggestion.language]
            )
        services.assign_suggestions(
            actor=officer, suggestions=[s for s in created if s.pk % 4 == 0][:40], assignee=officer
        )
    for suggestion in created[:80]:
        for supporter in range(rng.randint(0, 6)):
            services.support_suggestion(
                suggestion=suggestion,
                browser_key=f"demo-browser-{supporter}",
                address=f"demo-{suggestion.pk}-{supporter}",
            )
    return f"1 programme, 2 documents, {len(created)} suggestions"
