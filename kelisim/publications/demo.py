"""Demo news: three stories from the scenario, each in Kazakh, Russian and English, with comments in
the three languages; some comments are published, some wait in the moderation queue."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from kelisim.accounts.models import User
from kelisim.comments.models import Comment, WordRule
from kelisim.comments.pipeline import text_hash
from kelisim.comments.services import recount
from kelisim.core.models import Strand
from kelisim.organisations.models import Organisation
from kelisim.publications.markup import render_markdown
from kelisim.publications.models import Article, Tag

ALMATY = ZoneInfo("Asia/Almaty")

TAGS = [
    ("roundtable", "Дөңгелек үстел", "Круглый стол", "Roundtable"),
    ("youth", "Жастар", "Молодёжь", "Youth"),
    ("funding", "Қаржыландыру", "Финансирование", "Funding"),
    ("action-plan", "Іс-шаралар жоспары", "План мероприятий", "Action plan"),
]

STORIES = [
    {
        "key": "roundtable",
        "published": datetime(2017, 2, 10, 18, 0, tzinfo=ALMATY),
        "strand": "zero-tolerance",
        "tags": ["roundtable", "action-plan"],
        "organisations": [
            "Programme Office for the Prevention of Religious Extremism",
            "Association of Centres for the Study of Religions",
            "Accord",
        ],
        "en": {
            "slug": "roundtable-astana-february-2017",
            "title": "Officials and NGOs sit at one table on preventing extremism",
            "lead": "A roundtable in Astana turned suggestions from civil society into concrete lines of the draft action plan for 2017–2020.",
            "byline": "Kelisim newsroom",
            "body": "On 10 February government officials and representatives of non-governmental organisations met in Astana to talk about one question: how can society become resistant to radical ideas?\n\n"
            "The conversation was practical. Participants went through the draft action plan of the 2017–2020 programme line by line and agreed to add **specific proposals** made by NGOs, among them lectures by trained theologians in schools and colleges and support for people leaving prison.\n\n"
            "> Official materials rarely compete with the polished publications of radical groups. We need speakers and texts that young people actually want to read.\n\n"
            "The same day the programme office opened a public consultation: anyone may send a suggestion on the draft, signed or anonymously, and every suggestion receives a public answer.\n\n"
            "- Read the draft programme and suggest changes in the consultation section.\n- Follow the next roundtables and their decisions on this site.",
        },
        "ru": {
            "slug": "kruglyi-stol-astana-fevral-2017",
            "title": "Чиновники и НПО за одним столом: как предупреждать экстремизм",
            "lead": "Круглый стол в Астане превратил предложения гражданского общества в конкретные пункты проекта плана мероприятий на 2017–2020 годы.",
            "byline": "Редакция Kelisim",
            "body": "10 февраля в Астане представители государственных органов и неправительственных организаций обсудили один вопрос: как сделать общество устойчивым к радикальным идеям?\n\n"
            "Разговор получился предметным. Участники прошли проект плана мероприятий программы на 2017–2020 годы пункт за пунктом и договорились включить в него **конкретные предложения** НПО — в том числе лекции подготовленных теологов в школах и колледжах и поддержку людей, выходящих из мест лишения свободы.\n\n"
            "> Официальные материалы редко выдерживают конкуренцию с продуманными публикациями радикальных групп. Нужны спикеры и тексты, которые молодёжь действительно захочет читать.\n\n"
            "В тот же день офис программы открыл общественное обсуждение: любой человек может прислать предложение к проекту — под своим именем или анонимно, и на каждое предложение будет дан публичный ответ.\n\n"
            "- Прочитайте проект программы и предложите правки в разделе обсуждения.\n- Следите за следующими круглыми столами и их решениями на этом сайте.",
        },
        "kk": {
            "slug": "dongelek-ustel-astana-akpan-2017",
            "title": "Шенеуніктер мен ҮЕҰ бір үстел басында: экстремизмнің алдын алу туралы",
            "lead": "Астанадағы дөңгелек үстел азаматтық қоғамның ұсыныстарын 2017–2020 жылдарға арналған іс-шаралар жоспары жобасының нақты тармақтарына айналдырды.",
            "byline": "Kelisim редакциясы",
            "body": "10 ақпанда Астанада мемлекеттік органдар мен үкіметтік емес ұйымдардың өкілдері бір мәселені талқылады: қоғамды радикалды идеяларға қалай төзімді етуге болады?\n\n"
            "Әңгіме нақты болды. Қатысушылар 2017–2020 жылдарға арналған бағдарламаның іс-шаралар жоспары жобасын тармақ-тармағымен қарап шығып, оған ҮЕҰ-ның **нақты ұсыныстарын** енгізуге келісті — соның ішінде мектептер мен колледждерде дайындалған теологтардың дәрістері және бас бостандығынан айыру орындарынан шыққан адамдарға қолдау.\n\n"
            "> Ресми материалдар радикалды топтардың мұқият ойластырылған жарияланымдарымен сирек бәсекелесе алады. Жастар шынымен оқығысы келетін спикерлер мен мәтіндер керек.\n\n"
            "Сол күні бағдарлама кеңсесі қоғамдық талқылау ашты: кез келген адам жобаға өз атынан немесе жасырын ұсыныс жібере алады, әр ұсынысқа жария жауап беріледі.\n\n"
            "- Бағдарлама жобасын оқып, талқылау бөлімінде түзетулер ұсыныңыз.\n- Келесі дөңгелек үстелдер мен олардың шешімдерін осы сайттан қадағалаңыз.",
        },
    },
    {
        "key": "anniversary",
        "published": datetime(2017, 2, 22, 12, 0, tzinfo=ALMATY),
        "strand": "youth",
        "tags": ["youth"],
        "organisations": [
            "KazakhStan for Peace youth movement",
            "Association of Centres for the Study of Religions",
            "Almaty Region Centre for the Study of Religious Issues",
        ],
        "en": {
            "slug": "kazakhstan-for-peace-first-anniversary",
            "title": "A youth movement turns one: more than 150 meetings in a year",
            "lead": "KazakhStan for Peace celebrated its first anniversary in Astana. Its volunteers spent the year talking with young people across the country.",
            "byline": "Kelisim newsroom",
            "body": "A year ago a project of the Association of Centres for the Study of Religions gave birth to a youth movement, KazakhStan for Peace. On 22 February its members gathered in Astana to look back.\n\n"
            "The figures speak for themselves: in 2016 trained volunteers held **more than 150 meetings and lectures** with school pupils, students and young workers in many regions.\n\n"
            "Lecturers from the regional centres for religious studies, among them scholars from Taldykorgan, explain how recruiters work online and how to answer them. The movement works only with young people and says that is why it is heard.\n\n"
            "Volunteers want to go further: more trainers, meetings in smaller towns, and material that is as attractive as what extremist groups put out.",
        },
        "ru": {
            "slug": "kazakhstan-za-mir-pervaya-godovshchina",
            "title": "Молодёжному движению — год: более 150 встреч за двенадцать месяцев",
            "lead": "«Казахстан за мир» отметил первую годовщину в Астане. Весь год волонтёры движения разговаривали с молодёжью по всей стране.",
            "byline": "Редакция Kelisim",
            "body": "Год назад из проекта Ассоциации центров исследования религий выросло молодёжное движение «Казахстан за мир». 22 февраля его участники собрались в Астане, чтобы подвести итоги.\n\n"
            "Цифры говорят сами за себя: в 2016 году подготовленные волонтёры провели **более 150 встреч и лекций** со школьниками, студентами и работающей молодёжью во многих регионах.\n\n"
            "Лекторы региональных центров изучения религии, в том числе религиоведы из Талдыкоргана, рассказывают, как вербовщики действуют в интернете и как им отвечать. Движение работает только с молодёжью — и считает, что поэтому его слышат.\n\n"
            "Волонтёры хотят большего: больше тренеров, встречи в небольших городах и материалы не менее привлекательные, чем у экстремистских групп.",
        },
        "kk": {
            "slug": "beibitshilik-ushin-kazakhstan-bir-jyl",
            "title": "Жастар қозғалысына бір жыл: бір жылда 150-ден астам кездесу",
            "lead": "«Бейбітшілік үшін Қазақстан» Астанада алғашқы жылдығын атап өтті. Жыл бойы қозғалыс еріктілері ел аралап жастармен сөйлесті.",
            "byline": "Kelisim редакциясы",
            "body": "Бір жыл бұрын Дінтану орталықтары қауымдастығының жобасынан «Бейбітшілік үшін Қазақстан» жастар қозғалысы пайда болды. 22 ақпанда оның мүшелері қорытынды жасау үшін Астанада жиналды.\n\n"
            "Сандар өзі айтып тұр: 2016 жылы дайындалған еріктілер көптеген өңірлерде оқушылармен, студенттермен және жұмыс істейтін жастармен **150-ден астам кездесу мен дәріс** өткізді.\n\n"
            "Өңірлік дінтану орталықтарының дәріскерлері, соның ішінде Талдықорғандағы дінтанушылар, интернетте арандатушылардың қалай әрекет ететінін және оларға қалай жауап беру керектігін түсіндіреді. Қозғалыс тек жастармен жұмыс істейді — сондықтан оны тыңдайды деп санайды.\n\n"
            "Еріктілер алға жылжығысы келеді: көбірек тренер, шағын қалалардағы кездесулер және экстремистік топтардың материалдарынан кем түспейтін тартымды мазмұн.",
        },
    },
    {
        "key": "call",
        "published": datetime(2017, 3, 15, 10, 0, tzinfo=ALMATY),
        "strand": "prisons",
        "tags": ["funding", "action-plan"],
        "organisations": ["Programme Office for the Prevention of Religious Extremism", "Accord"],
        "en": {
            "slug": "call-for-proposals-2017",
            "title": "Call for proposals: NGO projects for the prevention programme",
            "lead": "The programme office invites registered NGOs to apply for contracts under the three strands of the 2017–2020 programme.",
            "byline": "Programme office",
            "body": "Kazakhstan has about 23,000 registered NGOs, and the programme counts on the active ones. The programme office now opens a **call for proposals** for projects under its three strands:\n\n"
            "1. zero tolerance of radicalism, offline and online, including work with bloggers and opinion leaders;\n2. work with prison inmates and support after release;\n3. spiritual and moral education of young people.\n\n"
            "Applications are scored by independent reviewers who declare any conflict of interest. Funded projects sign contracts with milestones, report their lectures and events with attendance figures, and everything is published as open data.\n\n"
            "Organisations that need experts in theology or public speaking can find them in the roster of lecturers on this site.",
        },
        "ru": {
            "slug": "konkurs-proektov-npo-2017",
            "title": "Конкурс проектов НПО для программы профилактики",
            "lead": "Офис программы приглашает зарегистрированные НПО подавать заявки на контракты по трём направлениям программы 2017–2020 годов.",
            "byline": "Офис программы",
            "body": "В Казахстане около 23 000 зарегистрированных НПО, и программа рассчитывает на активные из них. Офис программы объявляет **конкурс проектов** по трём направлениям:\n\n"
            "1. нетерпимость к радикализму в обществе и в интернете, включая работу с блогерами и лидерами мнений;\n2. работа с осуждёнными и поддержка после освобождения;\n3. духовно-нравственное воспитание молодёжи.\n\n"
            "Заявки оценивают независимые эксперты, которые заявляют о конфликте интересов. Победители заключают контракты с этапами, отчитываются о лекциях и мероприятиях с числом участников, и всё это публикуется как открытые данные.\n\n"
            "Организации, которым нужны эксперты по теологии или ораторскому искусству, найдут их в реестре лекторов на этом сайте.",
        },
        "kk": {
            "slug": "ueu-zhobalar-konkursy-2017",
            "title": "Алдын алу бағдарламасына ҮЕҰ жобаларының конкурсы",
            "lead": "Бағдарлама кеңсесі тіркелген ҮЕҰ-ларды 2017–2020 жылдарға арналған бағдарламаның үш бағыты бойынша келісімшарттарға өтінім беруге шақырады.",
            "byline": "Бағдарлама кеңсесі",
            "body": "Қазақстанда 23 мыңға жуық тіркелген ҮЕҰ бар, бағдарлама солардың белсенділеріне сүйенеді. Бағдарлама кеңсесі үш бағыт бойынша **жобалар конкурсын** жариялайды:\n\n"
            "1. қоғамда және интернетте радикализмге төзбеушілік, соның ішінде блогерлермен және пікір көшбасшыларымен жұмыс;\n2. сотталғандармен жұмыс және босатылғаннан кейінгі қолдау;\n3. жастарды рухани-адамгершілікке тәрбиелеу.\n\n"
            "Өтінімдерді мүдделер қақтығысын мәлімдейтін тәуелсіз сарапшылар бағалайды. Жеңімпаздар кезеңдері бар келісімшарт жасасып, дәрістер мен іс-шаралар туралы қатысушылар санымен есеп береді, мұның бәрі ашық деректер ретінде жарияланады.\n\n"
            "Теология немесе шешендік өнер бойынша сарапшылар қажет ұйымдар оларды осы сайттағы дәріскерлер тізілімінен таба алады.",
        },
    },
]

# (story, language, author email or visitor name, text, status, reply_to index within the story or None)
COMMENTS = [
    (
        "roundtable",
        "ru",
        "citizen@demo.kelisim.kz",
        "Хорошо, что предложения НПО попали прямо в план. Будет ли видно, какие именно пункты изменились после круглого стола?",
        "approved",
        None,
    ),
    (
        "roundtable",
        "ru",
        "officer@demo.kelisim.kz",
        "Да: у каждого пункта плана будет список предложений, которые на него повлияли, и решение круглого стола.",
        "approved",
        0,
    ),
    (
        "roundtable",
        "en",
        "Aliya",
        "Lectures by theologians are fine, but students listen more to people of their own age. Please fund peer-to-peer projects too.",
        "approved",
        None,
    ),
    (
        "roundtable",
        "kk",
        "Ерлан",
        "Ауылдағы мектептерге де дәріскерлер келсе екен. Бізге мұндай кездесулер сирек жетеді.",
        "pending",
        None,
    ),
    (
        "anniversary",
        "kk",
        "ngo-member@demo.kelisim.kz",
        "Бір жыл ішінде 150 кездесу — бұл еріктілердің үлкен еңбегі. Келесі жылы шағын қалаларға көбірек барамыз.",
        "approved",
        None,
    ),
    (
        "anniversary",
        "ru",
        "Марина",
        "Приходили к нам в колледж в Таразе — было интересно, ребята задавали много вопросов. Спасибо!",
        "approved",
        None,
    ),
    (
        "anniversary",
        "en",
        "Daniel",
        "How can a university student volunteer join the movement? Is there training in English or only in Kazakh and Russian?",
        "pending",
        None,
    ),
    (
        "anniversary",
        "ru",
        "Гость",
        "Подробнее смотрите на моём канале www.example-promo.kz и www.example-promo2.kz — там всё о заработке",
        "pending",
        None,
    ),
    (
        "call",
        "ru",
        "Олег",
        "Сколько проектов планируется поддержать в Жамбылской области? Хотелось бы знать бюджет по регионам.",
        "approved",
        None,
    ),
    (
        "call",
        "en",
        "Sara",
        "Will small NGOs without experience of state contracts get any help with the application?",
        "pending",
        None,
    ),
    (
        "call",
        "kk",
        "citizen@demo.kelisim.kz",
        "Сотталғандармен жұмыс бағыты өте маңызды. Босап шыққан адамдарға жұмыс табуға көмектесетін жобалар болса жақсы болар еді.",
        "pending",
        None,
    ),
]

WORDS = [
    ("casino", "banned", ""),
    ("казино", "banned", ""),
    ("букмекер", "banned", "ru"),
    ("заработок", "suspect", "ru"),
    ("табыс табу", "suspect", "kk"),
    ("click here", "suspect", "en"),
]


def _tags() -> dict[str, Tag]:
    tags = {}
    for slug, kk, ru, en in TAGS:
        tags[slug], _ = Tag.objects.update_or_create(slug=slug, defaults={"name_kk": kk, "name_ru": ru, "name_en": en})
    return tags


def _story(story: dict, tags: dict, officer) -> dict[str, Article]:
    articles = {}
    group = None
    existing = Article.objects.filter(slug=story["en"]["slug"]).first()
    if existing is not None:
        group = existing.translation_group
    strand = Strand.objects.filter(code=story["strand"]).first()
    organisations = list(Organisation.objects.filter(name_en__in=story["organisations"]))
    for language in ("en", "ru", "kk"):
        text = story[language]
        defaults = {
            "language": language,
            "title": text["title"],
            "lead": text["lead"],
            "body": text["body"],
            "body_html": render_markdown(text["body"]),
            "byline": text["byline"],
            "strand": strand,
            "status": Article.Status.PUBLISHED,
            "published_at": story["published"],
            "created_by": officer,
        }
        if group is not None:
            defaults["translation_group"] = group
        article, _ = Article.objects.update_or_create(slug=text["slug"], defaults=defaults)
        group = article.translation_group
        article.tags.set([tags[slug] for slug in story["tags"]])
        article.organisations.set(organisations)
        articles[language] = article
    return articles


def _comments(stories: dict[str, dict[str, Article]], moderator) -> int:
    content_type = ContentType.objects.get_for_model(Article)
    created = 0
    by_story: dict[str, list[Comment]] = {}
    for index, (key, language, who, text, status, reply_to) in enumerate(COMMENTS):
        parent = by_story[key][reply_to] if reply_to is not None else None
        # A reply sits on the same article (language version) as the comment it answers.
        article = stories[key][parent.language if parent else language]
        author = User.objects.filter(email=who).first() if "@" in who else None
        comment = Comment.objects.filter(content_type=content_type, object_id=article.pk, text=text).first()
        if comment is None:
            comment = Comment.objects.create(
                content_type=content_type,
                object_id=article.pk,
                parent=parent,
                author=author,
                author_name="" if author else who,
                author_email="" if author else f"visitor{index}@demo.kelisim.kz",
                text=text,
                text_hash=text_hash(text),
                language=language,
                status=status,
                reason_code="fits_policy"
                if status == "approved"
                else ("contains_link" if "www." in text else "visitor" if not author else "new_author"),
                moderated_by=moderator if status == "approved" else None,
                created_at=article.published_at + timedelta(hours=index + 1),
            )
            created += 1
        by_story.setdefault(key, []).append(comment)
        recount(content_type_id=content_type.pk, object_id=article.pk, parent_id=comment.parent_id)
    return created


def _link_roundtable(stories: dict[str, dict[str, Article]]) -> int:
    """The roundtable story reports on the February roundtable and the plan items its decisions shaped."""
    from kelisim.meetings.models import Roundtable
    from kelisim.plans.models import TrackedItem

    roundtable = Roundtable.objects.filter(starts_at__date="2017-02-10").order_by("pk").first()
    if roundtable is None:
        return 0
    items = list(TrackedItem.objects.filter(provenance__decision__roundtable=roundtable).distinct())
    for article in stories["roundtable"].values():
        article.meetings.set([roundtable])
        article.plan_items.set(items)
    return len(items)


def load(stdout=None) -> str:
    officer = User.objects.filter(email="officer@demo.kelisim.kz").first()
    moderator = User.objects.filter(email="moderator@demo.kelisim.kz").first()
    for phrase, kind, language in WORDS:
        WordRule.objects.get_or_create(phrase=phrase, kind=kind, language=language, defaults={"created_by": moderator})
    tags = _tags()
    stories = {story["key"]: _story(story, tags, officer) for story in STORIES}
    _link_roundtable(stories)
    created = _comments(stories, moderator)
    held = Comment.objects.filter(status=Comment.Status.PENDING).count()
    return f"{len(STORIES) * 3} articles in 3 languages, {created} new comments ({held} waiting for moderation)"
