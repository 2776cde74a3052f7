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


def reference_data(model, schema, *, path: str, one: str, list_summary: str, one_summary: str) -> None:
    """Two operations for one kind of reference data: the list (``list_<path>``) and one by its code
    (``get_<one>``), in the order officers gave them."""

    def list_all(request):
        return model.objects.order_by("sort_order", "code")

    def get_by_code(request, code: Text):
        return get_object_or_404(model, code=code)

    list_all.__name__, get_by_code.__name__ = f"list_{path}", f"get_{one}"
    router.get(f"/{path}", response={200: list[schema], 422: Error}, summary=list_summary)(paginate(Page)(list_all))
    router.get(f"/{path}/{{code}}", response={200: schema, 404: Error, 422: Error}, summary=one_summary)(get_by_code)


reference_data(
    Region,
    RegionOut,
    path="regions",
    one="region",
    list_summary="Kazakhstan's regions and cities of national significance",
    one_summary="One region by its ISO 3166-2 code",
)
reference_data(
    Strand,
    StrandOut,
    path="strands",
    one="strand",
    list_summary="Programme strands",
    one_summary="One programme strand by its code",
)
