"""The one pagination of the whole API: ``?page=N&page_size=M`` in, a page envelope out."""

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class Page(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
        page_size: int = Field(
            settings.KELISIM_API_PAGE_SIZE,
            ge=1,
            le=settings.KELISIM_API_MAX_PAGE_SIZE,
            description="Items per page.",
        )

    class Output(Schema):
        count: int = Field(description="Items across all pages.")
        page: int
        page_size: int
        pages: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": max(1, -(-count // pagination.page_size)),
            "items": list(queryset[offset : offset + pagination.page_size]),
        }
