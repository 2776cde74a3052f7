from django.db.models import Count, Prefetch, Q

from kelisim.publications.models import Article, Reaction, Tag

LIST_PAGE_SIZE = 10


def public_articles(*, language: str = "", q: str = "", tag: str = "", strand: str = ""):
    """The public list. Search is a case-insensitive match on title, lead and text (SQLite and
    PostgreSQL alike); it moves to core's full-text search once core offers one."""
    articles = (
        Article.objects.public()
        .select_related("strand")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("slug")))
    )
    if language:
        articles = articles.filter(language=language)
    if q:
        articles = articles.filter(Q(title__icontains=q) | Q(lead__icontains=q) | Q(body__icontains=q))
    if tag:
        articles = articles.filter(tags__slug=tag)
    if strand:
        articles = articles.filter(strand__code=strand)
    return articles.order_by("-published_at", "-pk")


def article_for_page(slug: str, *, include_unpublished: bool = False) -> Article | None:
    articles = Article.objects.select_related("strand").prefetch_related("tags", "organisations")
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
