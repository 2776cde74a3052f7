"""An article with 2,000 comments (the scenario's page, S9): page time and query count.

The same article page is measured with 20 comments and with 2,000 (1,600 top-level, 400 replies);
the target is a query count that does not depend on the number of comments.
"""

import random

from bench.helpers import Progress, count_queries, time_calls

COMMENTS = 2_000
REPLIES = 400


def _article(slug: str, title: str):
    from django.utils import timezone

    from kelisim.publications.markup import render_markdown
    from kelisim.publications.models import Article

    body = "The roundtable **agreed** on three tasks.\n\n" * 10
    return Article.objects.create(
        language="en",
        slug=slug,
        title=title,
        lead="Officials and NGOs discussed the draft action plan.",
        body=body,
        body_html=render_markdown(body),
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(days=1),
    )


def _seed(article, count: int, replies: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from kelisim.comments.models import Comment
    from kelisim.comments.pipeline import text_hash
    from kelisim.comments.services import recount

    content_type = ContentType.objects.get_for_model(article)
    rng = random.Random(2017)
    start = timezone.now() - timezone.timedelta(days=1)
    languages = ["kk", "ru", "en"]
    progress = Progress(f"seeding {count} comments", count)

    def make(index, parent=None):
        text = f"Comment {index}: " + " ".join(
            rng.choice(["youth", "жастар", "молодёжь", "plan", "lectures"]) for _ in range(40)
        )
        return Comment(
            content_type=content_type,
            object_id=article.pk,
            parent=parent,
            author_name=f"Reader {index}",
            author_email=f"reader{index}@example.kz",
            text=text,
            text_hash=text_hash(text),
            language=languages[index % 3],
            status=Comment.Status.APPROVED,
            reason_code="fits_policy",
            created_at=start + timezone.timedelta(seconds=index),
        )

    tops = Comment.objects.bulk_create([make(i) for i in range(count - replies)], batch_size=500)
    progress.advance(len(tops))
    parents = tops[-50:]  # replies on the newest comments, which the first page shows
    reply_rows = [make(count + i, parent=parents[i % len(parents)]) for i in range(replies)]
    Comment.objects.bulk_create(reply_rows, batch_size=500)
    progress.advance(replies)
    for parent in parents:
        recount(content_type_id=content_type.pk, object_id=article.pk, parent_id=parent.pk)
    recount(content_type_id=content_type.pk, object_id=article.pk)


def run(report):
    from django.conf import settings
    from django.test import Client, override_settings
    from django.urls import reverse
    from django.utils import translation

    small = _article("bench-20-comments", "Twenty comments")
    large = _article("bench-2000-comments", "Two thousand comments")
    _seed(small, 20, 5)
    _seed(large, COMMENTS, REPLIES)
    large.refresh_from_db()
    report("comments: published comments on the article", large.comment_count, "rows")

    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        client = Client()
        with translation.override("en"):
            urls = {
                "article page, 20 comments": small.get_absolute_url(),
                "article page, 2,000 comments": large.get_absolute_url(),
                "older comments, page 50 (no JS)": reverse("comments:thread", args=["publications.article", large.pk])
                + "?page=50",
                "more replies (htmx fragment)": reverse("comments:replies", args=[_busiest(large).pk]) + "?page=1",
                "news list": reverse("publications:list"),
            }
        for name, url in urls.items():
            headers = {"HTTP_HX_REQUEST": "true"} if "htmx" in name else {}
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)
            report(
                f"comments: {name}: queries", count_queries(lambda url=url, h=headers: client.get(url, **h)), "queries"
            )
            timing = time_calls(lambda url=url, h=headers: client.get(url, **h), repeat=100)
            report(f"comments: {name}: median", timing["median"], "ms")
            report(f"comments: {name}: p99", timing["p99"], "ms")


def _busiest(article):
    from kelisim.comments.models import Comment

    return Comment.objects.filter(object_id=article.pk, parent__isnull=True).order_by("-reply_count").first()
