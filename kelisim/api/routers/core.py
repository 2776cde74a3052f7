from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from kelisim.api.errors import Error
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


@router.get("/regions", response=list[RegionOut], summary="Kazakhstan's regions and cities of national significance")
def list_regions(request):
    return Region.objects.all()


@router.get("/regions/{code}", response={200: RegionOut, 404: Error}, summary="One region by its ISO 3166-2 code")
def get_region(request, code: str):
    return get_object_or_404(Region, code=code)


@router.get("/strands", response=list[StrandOut], summary="Programme strands")
def list_strands(request):
    return Strand.objects.all()
