from kelisim.core.tests.access import EVERYONE, OFFICERS, Rule


def extend_world(world):
    from django.core.files.base import ContentFile

    from kelisim.publications.tests.factories import ArticleFactory, draft

    png = b"\x89PNG\r\n\x1a\n0000"
    world.article = ArticleFactory(title="World news", cover_image=ContentFile(png, name="c.png"), cover_alt="Cover")
    world.draft_article = draft(title="World draft", cover_image=ContentFile(png, name="c.png"), cover_alt="Cover")


def _article(world):
    return {"slug": world.article.slug}


ACCESS_RULES = [
    Rule("publications:list", allowed=EVERYONE),
    Rule("publications:list", query="q=world&language=all", allowed=EVERYONE, note="search"),
    Rule("publications:detail", kwargs=_article, allowed=EVERYONE),
    Rule(
        "publications:detail",
        kwargs=lambda world: {"slug": world.draft_article.slug},
        allowed=OFFICERS,
        note="a draft is a preview for officers",
    ),
    Rule("publications:cover", kwargs=_article, allowed=EVERYONE),
    Rule(
        "publications:cover",
        kwargs=lambda world: {"slug": world.draft_article.slug},
        allowed=OFFICERS,
        note="a draft's cover",
    ),
    Rule("publications:react", kwargs=_article, method="POST", data=lambda world: {"value": "yes"}, allowed=EVERYONE),
    Rule("publications:rss", allowed=EVERYONE),
    Rule("publications:atom", allowed=EVERYONE),
    Rule("publications:sitemap", allowed=EVERYONE),
    Rule("publications:manage", allowed=OFFICERS),
    Rule("publications:create", allowed=OFFICERS),
    Rule(
        "publications:create",
        method="POST",
        data=lambda world: {
            "language": "en",
            "title": "New",
            "lead": "Lead.",
            "body": "Text.",
            "comments_enabled": "on",
        },
        allowed=OFFICERS,
    ),
    Rule("publications:edit", kwargs=lambda world: {"pk": world.draft_article.pk}, allowed=OFFICERS),
    Rule(
        "publications:edit",
        kwargs=lambda world: {"pk": world.draft_article.pk},
        method="POST",
        # The draft has a cover image, so its description for people who cannot see it is required.
        data=lambda world: {
            "language": "en",
            "title": "Renamed",
            "lead": "Lead.",
            "body": "Text.",
            "cover_alt": "Cover",
        },
        allowed=OFFICERS,
    ),
    Rule(
        "publications:status",
        kwargs=lambda world: {"pk": world.draft_article.pk},
        method="POST",
        data=lambda world: {"status": "published"},
        allowed=OFFICERS,
    ),
    Rule("api:list_articles", allowed=EVERYONE),
    Rule("api:get_article", kwargs=_article, allowed=EVERYONE),
]
