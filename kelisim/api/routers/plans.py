"""The action plan: published versions, their items with provenance, and each item across versions.

Versions being edited are not published here; a version's full content is also at
/<lang>/plan/v<number>.json and .csv (open data files).
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils import translation
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.api.types import Text
from kelisim.meetings.models import Roundtable
from kelisim.plans import selectors
from kelisim.plans.models import PlanVersion, Provenance

router = Router(tags=["action plan"])


class VersionOut(Schema):
    number: int
    kind: str = Field(description="draft, adopted or revision")
    kind_number: int
    label: str = Field(description="In English: draft 1, adopted, revision 2 …")
    published_at: datetime | None
    adopted_on: date | None
    note: str

    @staticmethod
    def resolve_label(version) -> str:
        with translation.override("en"):
            return version.label


class TargetOut(Schema):
    year: int
    region: str | None = Field(description="ISO 3166-2:KZ code, or null for the national target.")
    value: Decimal

    @staticmethod
    def resolve_region(target) -> str | None:
        return target.region.code if target.region_id else None


class IndicatorOut(Schema):
    name: str
    unit: str
    baseline: Decimal | None
    targets: list[TargetOut]

    @staticmethod
    def resolve_targets(indicator) -> list:
        return list(indicator.targets.all())


class ProvenanceOut(Schema):
    suggestion: str | None = Field(description="Reference of the suggestion.")
    roundtable_id: int | None
    decision_id: int | None
    decision: str
    version: int = Field(description="The plan version the suggestion was taken into.")

    @staticmethod
    def resolve_suggestion(link) -> str | None:
        return link.suggestion.reference if link.suggestion_id else None

    @staticmethod
    def resolve_roundtable_id(link) -> int | None:
        return link.decision.roundtable_id if link.decision_id else None

    @staticmethod
    def resolve_decision(link) -> str:
        return link.decision.text if link.decision_id else ""

    @staticmethod
    def resolve_version(link) -> int:
        return link.version.number


class ItemOut(Schema):
    id: str = Field(description="Stable ID, the same in every version.")
    number: str = Field(description="strand.objective.measure in this version")
    strand: str
    objective_kk: str
    objective_ru: str
    objective_en: str
    text_kk: str
    text_ru: str
    text_en: str
    responsible_body: str
    partners: list[str] = Field(description="BINs of the partner organisations.")
    regions: list[str]
    deadline: date | None
    completion_form: str
    budget_kzt: Decimal | None
    budget_source: str
    weight: int
    status: str
    progress: int
    progress_source: str = Field(description="manual, or indicators: progress is computed from the indicators")
    indicators: list[IndicatorOut]
    provenance: list[ProvenanceOut]

    @staticmethod
    def resolve_id(item) -> str:
        return item.tracked.code

    @staticmethod
    def resolve_strand(item) -> str:
        return item.objective.strand.code

    @staticmethod
    def resolve_objective_kk(item) -> str:
        return item.objective.title_kk

    @staticmethod
    def resolve_objective_ru(item) -> str:
        return item.objective.title_ru

    @staticmethod
    def resolve_objective_en(item) -> str:
        return item.objective.title_en

    @staticmethod
    def resolve_partners(item) -> list[str]:
        return [partner.bin for partner in item.partners.all()]

    @staticmethod
    def resolve_regions(item) -> list[str]:
        return [region.code for region in item.regions.all()]

    @staticmethod
    def resolve_status(item) -> str:
        return item.tracked.status

    @staticmethod
    def resolve_progress(item) -> int:
        return item.tracked.progress

    @staticmethod
    def resolve_progress_source(item) -> str:
        return item.tracked.progress_source

    @staticmethod
    def resolve_indicators(item) -> list:
        return list(item.indicators.all())

    @staticmethod
    def resolve_provenance(item) -> list:
        return list(item.tracked.public_provenance)


class UpdateOut(Schema):
    created_at: datetime
    status: str
    progress: int
    note: str = Field(description="What was done; for a computed update, how, in the requested language.")
    source: str = Field(description="manual, or indicators: computed from the item's indicators")
    evidence_url: str

    @staticmethod
    def resolve_note(update) -> str:
        return update.text


class TrackedItemOut(Schema):
    id: str
    status: str
    progress: int
    progress_source: str = Field(description="manual, or indicators: progress is computed from the indicators")
    versions: list[int] = Field(description="Numbers of the published versions that contain the item.")
    current: ItemOut | None = Field(description="The item as in the latest published version that contains it.")
    updates: list[UpdateOut]


def _published_provenance():
    return Prefetch(
        "tracked__provenance",
        queryset=Provenance.objects.filter(decision__roundtable__status=Roundtable.Status.CLOSED).select_related(
            "suggestion", "decision", "version"
        ),
        to_attr="public_provenance",
    )


def _published_version(number: int) -> PlanVersion:
    plan = selectors.current_plan()
    version = plan and selectors.published_versions(plan).filter(number=number).first()
    if version is None:
        raise Http404
    return version


@router.get("/plan/versions", response=list[VersionOut], summary="Published versions of the action plan")
@paginate(Page)
def list_versions(request):
    plan = selectors.current_plan()
    return selectors.published_versions(plan) if plan else PlanVersion.objects.none()


@router.get("/plan/versions/{int:number}", response={200: VersionOut, 404: Error}, summary="One published version")
def get_version(request, number: int):
    return _published_version(number)


@router.get(
    "/plan/versions/{int:number}/items",
    response={200: list[ItemOut], 404: Error},
    summary="The items of a published version, with indicators and provenance",
)
@paginate(Page)
def list_items(request, number: int):
    version = _published_version(number)
    return selectors.version_items(version).prefetch_related(_published_provenance())


@router.get(
    "/plan/items/{code}",
    response={200: TrackedItemOut, 404: Error},
    summary="One plan item by its stable ID, with its progress timeline",
)
def get_item(request, code: Text):
    tracked = selectors.tracked_item(code)
    if tracked is None or tracked.first_published_in_id is None:
        raise Http404
    versions = list(
        selectors.item_versions(tracked, include_working=False)
        .select_related("tracked")
        .prefetch_related(_published_provenance())
    )
    return {
        "id": tracked.code,
        "status": tracked.status,
        "progress": tracked.progress,
        "progress_source": tracked.progress_source,
        "versions": [row.version.number for row in versions],
        "current": versions[0] if versions else None,
        "updates": list(tracked.updates.all()[:200]),
    }
