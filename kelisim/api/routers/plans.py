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


class PlanVersionOut(Schema):
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


# Fields read through a relation name their source with a dotted alias (the output keeps the field's name).
class TargetOut(Schema):
    year: int
    region: str | None = Field(description="ISO 3166-2:KZ code, or null for the national target.")
    value: Decimal

    @staticmethod
    def resolve_region(target) -> str | None:
        return target.region.code if target.region_id else None


class PlanIndicatorOut(Schema):
    name: str = Field(description="The name in the request's language, or another one when it has none.")
    name_kk: str
    name_ru: str
    name_en: str
    unit: str = Field(description="The unit in the request's language, or another one when it has none.")
    unit_kk: str
    unit_ru: str
    unit_en: str
    baseline: Decimal | None
    targets: list[TargetOut]


class ProvenanceOut(Schema):
    suggestion: str | None = Field(description="Reference of the suggestion.")
    roundtable_id: int | None
    decision_id: int | None
    decision: str = Field(description="The decision's wording in the request's language, or another one.")
    version: int = Field(alias="version.number", description="The plan version the suggestion was taken into.")

    @staticmethod
    def resolve_suggestion(link) -> str | None:
        return link.suggestion.reference if link.suggestion_id else None

    @staticmethod
    def resolve_roundtable_id(link) -> int | None:
        return link.decision.roundtable_id if link.decision_id else None

    @staticmethod
    def resolve_decision(link) -> str:
        return link.decision.text if link.decision_id else ""


class ItemOut(Schema):
    id: str = Field(alias="tracked.code", description="Stable ID, the same in every version.")
    number: str = Field(description="strand.objective.measure in this version")
    strand: str = Field(alias="objective.strand.code")
    objective_kk: str = Field(alias="objective.title_kk")
    objective_ru: str = Field(alias="objective.title_ru")
    objective_en: str = Field(alias="objective.title_en")
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
    status: str = Field(alias="tracked.status")
    progress: int = Field(alias="tracked.progress")
    progress_source: str = Field(
        alias="tracked.progress_source",
        description="manual, or indicators: progress is computed from the indicators",
    )
    indicators: list[PlanIndicatorOut]
    provenance: list[ProvenanceOut] = Field(alias="tracked.public_provenance")

    @staticmethod
    def resolve_partners(item) -> list[str]:
        return [partner.bin for partner in item.partners.all()]

    @staticmethod
    def resolve_regions(item) -> list[str]:
        return [region.code for region in item.regions.all()]


class UpdateOut(Schema):
    created_at: datetime
    status: str
    progress: int
    note: str = Field(alias="text", description="What was done; for a computed update, how, in the requested language.")
    source: str = Field(description="manual, or indicators: computed from the item's indicators")
    evidence_url: str


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


@router.get(
    "/plan/versions",
    response={200: list[PlanVersionOut], 422: Error},
    summary="Published versions of the action plan",
)
@paginate(Page)
def list_versions(request):
    plan = selectors.current_plan()
    return selectors.published_versions(plan) if plan else PlanVersion.objects.none()


@router.get(
    "/plan/versions/{int:number}",
    response={200: PlanVersionOut, 404: Error, 422: Error},
    summary="One published version",
)
def get_version(request, number: int):
    return _published_version(number)


@router.get(
    "/plan/versions/{int:number}/items",
    response={200: list[ItemOut], 404: Error, 422: Error},
    summary="The items of a published version, with indicators and provenance",
)
@paginate(Page)
def list_items(request, number: int):
    version = _published_version(number)
    return selectors.version_items(version).prefetch_related(_published_provenance())


@router.get(
    "/plan/items/{code}",
    response={200: TrackedItemOut, 404: Error, 422: Error},
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
