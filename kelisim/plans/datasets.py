"""The action plan in the data catalogue (``core.registry.register_dataset``): one CSV and one JSON file per
published version, each row carrying the plan and version it belongs to."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelisim.core.registry import Column, Dataset, Distribution, register_dataset

COLUMNS = (
    Column("plan", _("Code of the action plan.")),
    Column("version", _("Number of the plan version this row belongs to.")),
    Column("id", _("Stable code of the plan item, the same in every version (AP-…).")),
    Column("number", _("Number of the item in this version (strand.objective.item).")),
    Column("strand", _("Code of the programme strand.")),
    Column("strand_name", _("Name of the strand.")),
    Column("objective", _("Title of the objective.")),
    Column("text_kk", _("The measure in Kazakh.")),
    Column("text_ru", _("The measure in Russian.")),
    Column("text_en", _("The measure in English.")),
    Column("responsible_body", _("Body responsible for the item.")),
    Column("partners", _("Partner organisations: BIN and name, separated by semicolons.")),
    Column("regions", _("ISO 3166-2:KZ codes of the regions, separated by spaces.")),
    Column("deadline", _("Deadline (YYYY-MM-DD).")),
    Column("completion_form", _("What shows the item is done.")),
    Column("budget_kzt", _("Budget in tenge.")),
    Column("budget_source", _("Source of the budget.")),
    Column("weight", _("Weight of the item in the plan's progress.")),
    Column("status", _("Implementation status code.")),
    Column("progress", _("Progress in per cent.")),
    Column("progress_source", _("manual, or indicators when progress follows the indicators.")),
    Column("suggestions", _("References of the suggestions that shaped the item.")),
    Column("indicators", _("Indicators with baseline and targets by year and region (JSON).")),
)


def register() -> None:
    from kelisim.plans import selectors
    from kelisim.plans.models import PlanVersion, TrackedItem

    def distributions() -> list[Distribution]:
        plan = selectors.current_plan()
        if plan is None:
            return []
        files = []
        for version in selectors.published_versions(plan).order_by("number"):
            title = _("version %(number)s") % {"number": version.number}
            files.append(Distribution(reverse("plans:export_csv", args=[version.number]), "text/csv", "CSV", title))
            files.append(
                Distribution(reverse("plans:export_json", args=[version.number]), "application/json", "JSON", title)
            )
        return files

    def modified():
        published = PlanVersion.objects.aggregate(latest=Max("published_at"))["latest"]
        progress = TrackedItem.objects.aggregate(latest=Max("progress_updated_at"))["latest"]
        return max((value for value in (published, progress) if value), default=None)

    register_dataset(
        Dataset(
            key="action-plan",
            title=_("Action plan"),
            description=_("Items of each published version of the action plan, with indicators, budget and progress."),
            distributions=distributions,
            modified=modified,
            columns=COLUMNS,
            keywords=("action plan",),
            order=40,
        )
    )
