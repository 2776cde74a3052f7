"""The expert roster: listed experts only, and never their contact address."""

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.api.types import Text
from kelisim.core.i18n import ContentLanguage
from kelisim.core.models import Region
from kelisim.organisations import expert_selectors
from kelisim.organisations.models import Expert, ExpertiseField, Organisation, language_codes

router = Router(tags=["experts"])


class ExpertiseFieldOut(Schema):
    code: str
    name_kk: str
    name_ru: str
    name_en: str


class ExpertOut(Schema):
    id: int
    full_name: str
    title_kk: str
    title_ru: str
    title_en: str
    bio_kk: str
    bio_ru: str
    bio_en: str
    fields: list[ExpertiseFieldOut]
    languages: list[str]
    regions: list[str] = Field(description="ISO 3166-2:KZ codes of the regions the expert travels to.")
    organisation_id: int | None

    @staticmethod
    def resolve_fields(expert: Expert) -> list[ExpertiseField]:
        return list(expert.fields.all())

    @staticmethod
    def resolve_languages(expert: Expert) -> list[str]:
        return language_codes(expert.languages)

    @staticmethod
    def resolve_organisation_id(expert: Expert) -> int | None:
        # An excluded organisation is not public, so the roster does not point to it either.
        organisation = expert.organisation
        if organisation is None or organisation.verification_status == Organisation.Verification.EXCLUDED:
            return None
        return organisation.pk

    @staticmethod
    def resolve_regions(expert: Expert) -> list[str]:
        return [region.code for region in expert.regions.all()]


class ExpertFilters(Schema):
    q: Text = Field("", max_length=200, description="Words in the name, title, description or fields.")
    field: Text = Field("", max_length=40, description="Field of expertise code, e.g. theology.")
    language: ContentLanguage | None = Field(None, description="A language the expert lectures in.")
    region: Text = Field("", max_length=8, description="Region code the expert travels to.")
    organisation: int | None = Field(None, ge=1, le=2**62, description="Organisation id.")


@router.get(
    "/experts",
    response={200: list[ExpertOut], 422: Error},
    summary="Listed experts and lecturers",
    description="Contact addresses are never given; write to an expert through the website.",
)
@paginate(Page)
def list_experts(request, filters: Query[ExpertFilters]):
    field = ExpertiseField.objects.filter(code=filters.field).first() if filters.field else None
    region = Region.objects.filter(code=filters.region).first() if filters.region else None
    organisation = Organisation.objects.filter(pk=filters.organisation).first() if filters.organisation else None
    unknown = (
        (filters.field and field is None)
        or (filters.region and region is None)
        or (filters.organisation and organisation is None)
    )
    if unknown:
        return Expert.objects.none()
    return expert_selectors.filter_experts(
        expert_selectors.listed_experts(),
        text=filters.q,
        field=field,
        language=filters.language.value if filters.language else "",
        region=region,
        organisation=organisation,
    )


@router.get("/experts/fields", response={200: list[ExpertiseFieldOut], 422: Error}, summary="Fields of expertise")
@paginate(Page)
def list_expertise_fields(request):
    return expert_selectors.roster_fields()


@router.get("/experts/{int:expert_id}", response={200: ExpertOut, 404: Error, 422: Error}, summary="One listed expert")
def get_expert(request, expert_id: int):
    expert = expert_selectors.listed_experts().filter(pk=expert_id).first()
    if expert is None:
        raise Http404
    return expert
