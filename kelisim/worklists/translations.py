"""Content missing a translation: for officers, each kind of public content with its records that are written in
one or two of the three languages but not all of them (issue 16).

A record counts when at least one of its localized fields has text in some language and lacks it in another; a
field empty in every language (an optional description never written) is not a missing translation.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Min, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelisim.consultations.models import Document
from kelisim.core.i18n import LANGUAGE_CODES, localized_attributes
from kelisim.funding.models import Call, Contract, Criterion, Milestone
from kelisim.meetings.models import AgendaItem, Decision, Roundtable
from kelisim.plans.models import Indicator, Objective, PlanItem, PlanVersion
from kelisim.publications.models import Article

LISTED = 50
"""Records listed per kind (the count covers all of them)."""


def _incomplete(bases: list[str]) -> Q:
    """Rows where some field has text in one language and none in another."""
    conditions = []
    for base in bases:
        written = reduce(or_, (~Q(**{f"{base}_{code}": ""}) for code in LANGUAGE_CODES))
        missing = reduce(or_, (Q(**{f"{base}_{code}": ""}) for code in LANGUAGE_CODES))
        conditions.append(written & missing)
    return reduce(or_, conditions)


@dataclass(frozen=True)
class ContentKind:
    key: str
    label: object
    model: type
    queryset: object  # () -> QuerySet of the records that count
    edit_url: object  # (record) -> str

    def bases(self) -> list[str]:
        return [attribute.base for attribute in localized_attributes(self.model)]

    def missing(self):
        return self.queryset().filter(_incomplete(self.bases()))

    def row(self, record) -> "Row":
        attributes = localized_attributes(self.model)
        missing = sorted(
            {code for attribute in attributes for code in attribute.missing(record)}, key=LANGUAGE_CODES.index
        )
        label = next(
            (str(getattr(record, attribute.attribute)) for attribute in attributes if attribute.resolve(record).text),
            "",
        )
        return Row(label=label, url=self.edit_url(record), missing=missing)


@dataclass(frozen=True)
class ArticleTranslations:
    """News articles: one article per language, joined by their translation group (``publications``); a group
    counts when one of the three languages has no article in it. Listed by the group's first article."""

    key = "articles"
    label = _("News articles")

    def missing(self):
        groups = (
            Article.objects.values("translation_group")
            .annotate(languages=Count("language", distinct=True), first=Min("pk"))
            .filter(languages__lt=len(LANGUAGE_CODES))
        )
        return Article.objects.filter(pk__in=Subquery(groups.values("first")))

    def row(self, article) -> "Row":
        written = set(
            Article.objects.filter(translation_group=article.translation_group).values_list("language", flat=True)
        )
        missing = [code for code in LANGUAGE_CODES if code not in written]
        return Row(label=article.title, url=reverse("publications:edit", args=[article.pk]), missing=missing)


@dataclass
class Row:
    label: str
    url: str
    missing: list[str]


def _plan_versions():
    """The plan content an officer can still fix: the working copy, or else the latest published version."""
    working = PlanVersion.objects.filter(state=PlanVersion.State.WORKING)
    if working.exists():
        return working
    latest = PlanVersion.objects.filter(state=PlanVersion.State.PUBLISHED).order_by("-number")[:1]
    return PlanVersion.objects.filter(pk__in=list(latest.values_list("pk", flat=True)))


def _item_url(item: PlanItem) -> str:
    if item.version.state == PlanVersion.State.WORKING:
        return reverse("plans:item_edit", args=[item.version.number, item.tracked.code])
    return item.tracked.get_absolute_url()


KINDS = [
    ContentKind(
        "objectives",
        _("Plan objectives"),
        Objective,
        lambda: Objective.objects.filter(version__in=_plan_versions()).select_related("version"),
        lambda objective: objective.version.get_absolute_url(),
    ),
    ContentKind(
        "plan_items",
        _("Plan items"),
        PlanItem,
        lambda: PlanItem.objects.filter(version__in=_plan_versions()).select_related("version", "tracked"),
        _item_url,
    ),
    ContentKind(
        "indicators",
        _("Indicators"),
        Indicator,
        lambda: Indicator.objects.filter(item__version__in=_plan_versions()).select_related(
            "item__version", "item__tracked"
        ),
        lambda indicator: indicator.item.tracked.get_absolute_url(),
    ),
    ContentKind(
        "roundtables",
        _("Roundtables"),
        Roundtable,
        lambda: Roundtable.objects.all(),
        lambda roundtable: reverse("meetings:edit", args=[roundtable.pk]),
    ),
    ContentKind(
        "agenda_items",
        _("Agenda items"),
        AgendaItem,
        lambda: AgendaItem.objects.select_related("roundtable"),
        lambda item: reverse("meetings:agenda", args=[item.roundtable_id]),
    ),
    ContentKind(
        "decisions",
        _("Roundtable decisions"),
        Decision,
        lambda: Decision.objects.select_related("roundtable"),
        lambda decision: reverse("meetings:decision_texts", args=[decision.roundtable_id, decision.pk]),
    ),
    ContentKind(
        "calls",
        _("Calls for proposals"),
        Call,
        lambda: Call.objects.all(),
        lambda call: reverse("funding:call_edit", args=[call.reference]),
    ),
    ContentKind(
        "criteria",
        _("Selection criteria"),
        Criterion,
        lambda: Criterion.objects.select_related("call"),
        lambda criterion: reverse("funding:call_edit", args=[criterion.call.reference]),
    ),
    ContentKind(
        "contracts",
        _("Contracts (project title and summary)"),
        Contract,
        lambda: Contract.objects.all(),
        lambda contract: reverse("funding:contract_texts", args=[contract.number]),
    ),
    ContentKind(
        "milestones",
        _("Contract milestones"),
        Milestone,
        lambda: Milestone.objects.all(),
        lambda milestone: reverse("funding:milestone_texts", args=[milestone.pk]),
    ),
    ContentKind(
        "documents",
        _("Consultation documents"),
        Document,
        lambda: Document.objects.all(),
        lambda document: document.get_absolute_url(),
    ),
    ArticleTranslations(),
]


def missing_translations() -> list[dict]:
    """Per kind: its label, how many records miss a translation, and the first ``LISTED`` of them."""
    report = []
    for kind in KINDS:
        records = kind.missing().order_by("pk")
        count = records.count()
        rows = [kind.row(record) for record in records[:LISTED]] if count else []
        report.append({"key": kind.key, "label": kind.label, "count": count, "rows": rows})
    return report


def missing_count() -> int:
    return sum(kind.missing().count() for kind in KINDS)
