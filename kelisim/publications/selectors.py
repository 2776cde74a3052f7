from django.db.models import Count, Prefetch, Q

from kelisim.core.search import search
from kelisim.publications.models import Article, Reaction, Tag
from kelisim.publications.search import ARTICLE_SEARCH

LIST_PAGE_SIZE = 10


def public_articles(*, language: str = "", q: str = "", tag: str = "", strand: str = ""):
    """The public list, newest first; with search words, best match first (full-text search on
    title, lead and text through kelisim.core.search)."""
    articles = (
        Article.objects.public()
        .select_related("strand")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("slug")))
    )
    if language:
        articles = articles.filter(language=language)
    if tag:
        articles = articles.filter(tags__slug=tag)
    if strand:
        articles = articles.filter(strand__code=strand)
    articles = articles.order_by("-published_at", "-pk")
    if q:
        articles = search(articles, ARTICLE_SEARCH, q)
    return articles


def article_for_page(slug: str, *, include_unpublished: bool = False) -> Article | None:
    articles = Article.objects.select_related("strand").prefetch_related(
        "tags", "organisations", "meetings", "plan_items"
    )
    if not include_unpublished:
        articles = articles.readable()
    return articles.filter(slug=slug).first()


def translations_of(article: Article):
    return (
        Article.objects.public()
        .filter(translation_group=article.translation_group)
        .exclude(pk=article.pk)
        .only("slug", "language", "title", "translation_group")
    )


def reaction_counts(article: Article) -> dict[str, int]:
    return Reaction.objects.filter(article=article).aggregate(
        yes=Count("pk", filter=Q(value=Reaction.Value.YES)), no=Count("pk", filter=Q(value=Reaction.Value.NO))
    )


def own_reaction(article: Article, *, user=None, browser: str = "") -> str:
    if user is not None and user.is_authenticated:
        reaction = Reaction.objects.filter(article=article, user=user).first()
    elif browser:
        reaction = Reaction.objects.filter(article=article, browser=browser).first()
    else:
        reaction = None
    return reaction.value if reaction else ""
