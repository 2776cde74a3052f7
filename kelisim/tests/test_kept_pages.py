"""Every kind of change that a public page shows reaches the next anonymous visitor, although anonymous pages are
kept between changes (core/pagecache.py). Each test: a visitor sees the page (now kept), something changes
through the code path that changes it in production, and the next visitor sees the change."""

import pytest
from django.test import Client
from django.urls import reverse

from kelisim.comments.models import Comment
from kelisim.comments.tests.factories import CommentFactory
from kelisim.consultations import services as consultation_services
from kelisim.consultations.tests.factories import open_version, suggestion
from kelisim.core.models import Strand
from kelisim.meetings.tests.factories import roundtable
from kelisim.organisations.models import Organisation
from kelisim.organisations.tests.factories import OrganisationFactory
from kelisim.plans import services as plan_services
from kelisim.plans.tests.factories import draft_with_items
from kelisim.publications.models import Article
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def kept(url: str) -> str:
    """What a new anonymous visitor sees; asserts the answer went through the kept-page path."""
    response = Client().get(url)
    assert response.status_code == 200, url
    assert response["X-Kelisim-Page"] in ("hit", "miss"), url
    return response.content.decode()


def seen_then_changed(url: str, change, before: str, after: str) -> None:
    assert before in kept(url)
    assert Client().get(url)["X-Kelisim-Page"] == "hit"
    change()
    assert after in kept(url), url


def test_a_new_suggestion_appears_in_the_list_and_on_the_document_page():
    version = open_version()
    suggestion(version, text="Hold more meetings with young people in villages.")
    url = reverse("consultations:list")
    document = reverse("consultations:document", args=[version.document.slug])
    kept(document)
    seen_then_changed(
        url,
        lambda: suggestion(version, text="Open a youth centre in every district town."),
        "Hold more meetings",
        "Open a youth centre",
    )
    assert Client().get(document)["X-Kelisim-Page"] == "miss"


def test_a_support_shows_on_the_suggestion_page():
    version = open_version()
    item = suggestion(version)
    url = reverse("consultations:suggestion", args=[item.reference])
    before = kept(url)
    consultation_services.support_suggestion(suggestion=item, user=None, browser_key="someone", address="10.9.9.9")
    after = kept(url)
    assert after != before


def test_a_comment_and_its_moderation_show_on_the_article_page():
    article = ArticleFactory(title="Prevention in schools")
    url = article.get_absolute_url()
    comment = None

    def post():
        nonlocal comment
        comment = CommentFactory(target=article, text="Very useful lectures, thank you.")

    seen_then_changed(url, post, "Prevention in schools", "Very useful lectures")
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.REJECTED)
    assert "Very useful lectures" not in kept(url)


def test_a_published_article_appears_in_the_news_and_an_unpublished_one_leaves():
    article = ArticleFactory(title="Prevention in schools")
    url = reverse("publications:list")
    seen_then_changed(
        url, lambda: ArticleFactory(title="Roundtable in Shymkent"), "Prevention", "Roundtable in Shymkent"
    )
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert "Prevention in schools" not in kept(url)


def test_an_organisation_registered_renamed_or_verified_shows_in_the_registry():
    organisation = OrganisationFactory(name_en="Youth Initiative", name_ru="Молодёжная инициатива")
    url = reverse("organisations:list")
    detail = reverse("organisations:detail", args=[organisation.pk])
    kept(detail)

    def rename():
        organisation.name_en = "Youth Initiative of Astana"
        organisation.save()

    seen_then_changed(url, rename, "Youth Initiative", "Youth Initiative of Astana")
    assert "Youth Initiative of Astana" in kept(detail)
    Organisation.objects.filter(pk=organisation.pk).update(verification_status=Organisation.Verification.VERIFIED)
    assert Client().get(detail)["X-Kelisim-Page"] == "miss"


def test_progress_and_a_renamed_strand_show_on_the_plan_page():
    version = draft_with_items(items_per_strand=1)
    youth = version.items.get(objective__strand__code="youth")
    url = reverse("plans:index")
    seen_then_changed(
        url,
        lambda: plan_services.record_progress(
            actor=None, tracked=youth.tracked, status="in_progress", progress=40, note="Started."
        ),
        "0 % done across",
        "40 % done (weighted)",
    )
    strand = Strand.objects.get(code="youth")
    strand.name_en = "Young people and students"
    strand.save()
    assert "Young people and students" in kept(url)
    assert "Young people and students" in kept(reverse("plans:version", args=[version.number]))


def test_a_new_roundtable_appears_in_the_list():
    roundtable(title="Prevention in colleges")
    url = reverse("meetings:list")
    seen_then_changed(url, lambda: roundtable(title="Talks with theologians"), "Prevention in colleges", "Talks with")


def test_a_change_on_a_kept_home_page_shows_at_once():
    ArticleFactory(title="Prevention in schools")
    url = reverse("core:home")
    before = kept(url)
    version = open_version()
    suggestion(version)
    assert kept(url) != before


def test_a_verified_activity_report_shows_on_the_public_dashboard():
    import re

    from kelisim.activities import services as activity_services
    from kelisim.activities.models import ReportStatus
    from kelisim.activities.tests.factories import ReportFactory, officer, verified_report

    def totals(html: str) -> str:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index('id="dashboard-results"') :]))
        return text[: text.index("Participants")]

    verified_report()
    url = reverse("activities:dashboard")
    assert "Events 1 " in totals(kept(url))
    assert Client().get(url, {"utm_source": "newsletter"})["X-Kelisim-Page"] == "hit"  # not a page of its own
    report = ReportFactory(status=ReportStatus.SUBMITTED)
    activity_services.transition_report(actor=officer(), report=report, to=ReportStatus.VERIFIED)
    assert "Events 2 " in totals(kept(url))
