from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.api.types import Text
from kelisim.core.models import Region, Strand

router = Router(tags=["reference data"])


class RegionOut(Schema):
    code: str
    kind: str
    name_kk: str
    name_ru: str
    name_en: str


class StrandOut(Schema):
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    description_kk: str
    description_ru: str
    description_en: str


@router.get("/regions", response=list[RegionOut], summary="Kazakhstan's regions and cities of national significance")
@paginate(Page)
def list_regions(request):
    return Region.objects.order_by("sort_order", "code")


@router.get("/regions/{code}", response={200: RegionOut, 404: Error}, summary="One region by its ISO 3166-2 code")
def get_region(request, code: Text):
    return get_object_or_404(Region, code=code)


@router.get("/strands", response=list[StrandOut], summary="Programme strands")
@paginate(Page)
def list_strands(request):
    return Strand.objects.order_by("sort_order", "code")


@router.get("/strands/{code}", response={200: StrandOut, 404: Error}, summary="One programme strand by its code")
def get_strand(request, code: Text):
    return get_object_or_404(Strand, code=code)
