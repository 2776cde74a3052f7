"""The NGO registry, public fields only: private contacts never leave the platform through the API."""

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.api.types import Text
from kelisim.core.models import Region, Strand
from kelisim.organisations import selectors
from kelisim.organisations.models import Organisation, language_codes
from kelisim.organisations.validators import normalise_bin

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    bin: str
    kind: str
    legal_form: str
    name_kk: str
    name_ru: str
    name_en: str
    region: str = Field(description="ISO 3166-2:KZ code of the region.")
    focus_strands: list[str] = Field(description="Codes of the programme strands the organisation works on.")
    working_languages: list[str]
    registration_date: date | None
    verification_status: str
    verified_at: datetime | None
    public_email: str
    public_phone: str
    website: str
    description_kk: str
    description_ru: str
    description_en: str

    @staticmethod
    def resolve_region(organisation: Organisation) -> str:
        return organisation.region.code

    @staticmethod
    def resolve_focus_strands(organisation: Organisation) -> list[str]:
        return [strand.code for strand in organisation.focus_strands.all()]

    @staticmethod
    def resolve_working_languages(organisation: Organisation) -> list[str]:
        return language_codes(organisation.working_languages)


class OrganisationFilters(Schema):
    q: Text = Field("", max_length=200, description="Words in the name, BIN or description.")
    region: Text = Field("", max_length=8, description="Region code, e.g. KZ-71.")
    strand: Text = Field("", max_length=40, description="Strand code, e.g. youth.")
    verified: bool | None = Field(None, description="true: verified organisations only.")


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], 422: Error},
    summary="Organisations in the registry",
    description="Excluded organisations are not listed. Unknown region or strand codes give an empty page.",
)
@paginate(Page)
def list_organisations(request, filters: Query[OrganisationFilters]):
    region = Region.objects.filter(code=filters.region).first() if filters.region else None
    strand = Strand.objects.filter(code=filters.strand).first() if filters.strand else None
    if (filters.region and region is None) or (filters.strand and strand is None):
        return Organisation.objects.none()
    organisations = selectors.organisation_list(
        selectors.OrganisationFilters(
            query=filters.q, region=region, strand=strand, verified_only=bool(filters.verified)
        )
    )
    if filters.verified is False:
        organisations = organisations.exclude(verification_status=Organisation.Verification.VERIFIED)
    return organisations


def _public_organisation(**lookup) -> Organisation:
    organisation = (
        selectors.public_organisations()
        .select_related("region")
        .prefetch_related("focus_strands")
        .filter(**lookup)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


@router.get(
    "/organisations/{int:organisation_id}",
    response={200: OrganisationOut, 404: Error, 422: Error},
    summary="One organisation by its id",
)
def get_organisation(request, organisation_id: int):
    return _public_organisation(pk=organisation_id)


@router.get(
    "/organisations/by-bin/{bin}",
    response={200: OrganisationOut, 404: Error, 422: Error},
    summary="One organisation by its Business Identification Number",
    description="Spaces in the BIN are ignored.",
)
def get_organisation_by_bin(request, bin: Text):
    return _public_organisation(bin=normalise_bin(bin))
