"""News articles: public ones only, in every language, with their tags, strand and organisations."""

from datetime import datetime

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.api.types import Text
from kelisim.publications import selectors
from kelisim.publications.models import Article

router = Router(tags=["news"])


def _related(relation: str, key: str):
    """The identifying ``key`` of each object an article links to through ``relation``."""
    return lambda article: [getattr(linked, key) for linked in getattr(article, relation).all()]


class ArticleOut(Schema):
    id: int
    slug: str
    language: str
    translation_group: str = Field(description="Articles sharing this value are the same story in other languages.")
    url: str
    title: str
    lead: str
    body_html: str = Field(description="The text as sanitised HTML.")
    byline: str
    published_at: datetime | None
    cover_image: str = Field(description="Absolute address of the cover image, or empty.")
    cover_alt: str
    cover_caption: str
    tags: list[str] = Field(description="Tag codes.")
    strand: str = Field(description="Strand code, or empty.")
    organisations: list[int] = Field(description="Ids of related organisations (see /organisations).")
    meetings: list[int] = Field(description="Ids of the roundtables the article reports on.")
    plan_items: list[str] = Field(description="IDs of the action plan items the article is about.")
    comment_count: int = Field(description="Published comments; read them at /comments/publications.article/{id}.")

    @staticmethod
    def resolve_translation_group(article: Article) -> str:
        return str(article.translation_group)

    @staticmethod
    def resolve_url(article: Article) -> str:
        return settings.SITE_URL + article.get_absolute_url()

    @staticmethod
    def resolve_cover_image(article: Article) -> str:
        return settings.SITE_URL + reverse("publications:cover", args=[article.slug]) if article.cover_image else ""

    @staticmethod
    def resolve_strand(article: Article) -> str:
        return article.strand.code if article.strand else ""

    resolve_tags = staticmethod(_related("tags", "slug"))
    resolve_organisations = staticmethod(_related("organisations", "pk"))
    resolve_meetings = staticmethod(_related("meetings", "pk"))
    resolve_plan_items = staticmethod(_related("plan_items", "code"))


class ArticleFilters(Schema):
    language: Text = Field("", max_length=2, description="kk, ru or en; empty for every language.")
    q: Text = Field("", max_length=200, description="Words in the title, lead or text.")
    tag: Text = Field("", max_length=60, description="A tag code.")
    strand: Text = Field("", max_length=40, description="A strand code.")


@router.get("/articles", response={200: list[ArticleOut], 422: Error}, summary="Published news articles, newest first")
@paginate(Page)
def list_articles(request, filters: Query[ArticleFilters]):
    return selectors.public_articles(
        language=filters.language, q=filters.q, tag=filters.tag, strand=filters.strand
    ).prefetch_related("organisations", "meetings", "plan_items")


@router.get("/articles/{slug}", response={200: ArticleOut, 404: Error}, summary="One published article")
def get_article(request, slug: str):
    article = selectors.article_for_page(slug.replace("\x00", ""))
    if article is None:
        raise Http404
    return article
