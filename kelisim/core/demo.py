"""The programme's strands: the three tasks for NGOs named in the scenario (S4)."""

from kelisim.core.models import Strand

STRANDS = [
    {
        "code": "zero-tolerance",
        "name_en": "Zero tolerance of radicalism, online and offline",
        "name_ru": "Нетерпимость к радикализму в обществе и в интернете",
        "name_kk": "Қоғамда және интернетте радикализмге төзбеушілік",
        "description_en": "Building public immunity to radical ideology, including work with bloggers and opinion leaders.",
        "description_ru": "Формирование общественного иммунитета к радикальной идеологии, в том числе с блогерами и лидерами мнений.",
        "description_kk": "Радикалды идеологияға қоғамдық иммунитет қалыптастыру, оның ішінде блогерлермен және пікір көшбасшыларымен жұмыс.",
    },
    {
        "code": "prisons",
        "name_en": "Work with prison inmates",
        "name_ru": "Работа с осуждёнными в местах лишения свободы",
        "name_kk": "Бас бостандығынан айыру орындарындағы сотталғандармен жұмыс",
        "description_en": "Preventing radicalisation behind bars and supporting reintegration after release.",
        "description_ru": "Предупреждение радикализации в местах лишения свободы и поддержка ресоциализации после освобождения.",
        "description_kk": "Түрмеде радикалдануды болдырмау және босатылғаннан кейін қоғамға бейімделуге қолдау.",
    },
    {
        "code": "youth",
        "name_en": "Spiritual and moral education of youth",
        "name_ru": "Духовно-нравственное воспитание молодёжи",
        "name_kk": "Жастарды рухани-адамгершілікке тәрбиелеу",
        "description_en": "Lectures, meetings and campaigns with school and university students and working youth.",
        "description_ru": "Лекции, встречи и кампании со школьниками, студентами и работающей молодёжью.",
        "description_kk": "Оқушылармен, студенттермен және жұмыс істейтін жастармен дәрістер, кездесулер мен науқандар.",
    },
]


def load(stdout=None) -> str:
    for order, strand in enumerate(STRANDS):
        Strand.objects.update_or_create(code=strand["code"], defaults={**strand, "sort_order": order})
    return f"{len(STRANDS)} strands"
