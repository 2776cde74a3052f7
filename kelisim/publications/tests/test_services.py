import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.publications import personal_data, services
from kelisim.publications.models import Article, Reaction
from kelisim.publications.tests.factories import ArticleFactory, draft

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def officer():
    return make_staff(Role.OFFICER)


def new_article(officer, **fields):
    defaults = {"language": "en", "title": "Roundtable in Astana", "lead": "Officials met NGOs.", "body": "Text."}
    return services.create_article(actor=officer, **(defaults | fields))


def test_markdown_is_rendered_and_sanitised(officer):
    article = new_article(
        officer,
        body="**Zero tolerance**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://example.kz)"
        '\n\n<img src=x onerror="alert(1)">',
    )
    assert "<strong>Zero tolerance</strong>" in article.body_html
    assert "<script" not in article.body_html
    assert "javascript:" not in article.body_html
    assert "onerror" not in article.body_html
    assert 'href="https://example.kz"' in article.body_html


def test_a_cover_image_needs_alternative_text(officer):
    image = SimpleUploadedFile("cover.png", PNG, content_type="image/png")
    with pytest.raises(ValidationError) as error:
        new_article(officer, cover_image=image)
    assert "cover_alt" in error.value.message_dict
    article = new_article(
        officer, cover_image=SimpleUploadedFile("cover.png", PNG), cover_alt="Volunteers with a banner"
    )
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}", article.cover_image.name)  # never the name given


def test_the_database_refuses_a_cover_without_alt_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(cover_image="articles/x.png", cover_alt="")


def test_a_file_that_is_not_an_image_is_refused(officer):
    fake = SimpleUploadedFile("cover.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError):
        new_article(officer, cover_image=fake, cover_alt="x")


def test_translations_are_linked_and_one_per_language(officer):
    english = new_article(officer)
    russian = new_article(officer, language="ru", title="Круглый стол", translation_of=english)
    assert russian.translation_group == english.translation_group
    with pytest.raises(ValidationError):
        new_article(officer, language="ru", title="Ещё раз", translation_of=english)


def test_slugs_are_unique_and_keep_cyrillic(officer):
    first = new_article(officer, title="Круглый стол")
    second = new_article(officer, title="Круглый стол")
    assert first.slug == "круглый-стол"
    assert second.slug == "круглый-стол-2"


def test_only_officers_write_articles():
    with pytest.raises(PermissionDenied):
        services.create_article(actor=UserFactory(), language="en", title="x", lead="x", body="x")
    with pytest.raises(PermissionDenied):
        services.create_article(actor=make_staff(Role.MODERATOR), language="en", title="x", lead="x", body="x")


def test_the_workflow_follows_its_transition_table(officer):
    article = new_article(officer)
    assert not article.is_public
    with pytest.raises(ValidationError):
        services.transition_article(actor=officer, article=article, to=Article.Status.ARCHIVED)
    later = timezone.now() + timedelta(days=1)
    article = services.transition_article(actor=officer, article=article, to="scheduled", publish_at=later)
    assert article.published_at == later and not article.is_public
    article = services.transition_article(actor=officer, article=article, to="published")
    assert article.is_public and article.published_at <= timezone.now()
    article = services.transition_article(actor=officer, article=article, to="archived")
    assert not article.comments_open
    assert article.is_public is False
    published_at = article.published_at
    article = services.transition_article(actor=officer, article=article, to="published")
    assert article.published_at == published_at
    assert [h.history_change_reason for h in article.history.order_by("history_date")][-2:] == [
        "status: published -> archived",
        "status: archived -> published",
    ]


def test_scheduling_needs_a_future_time(officer):
    article = new_article(officer)
    with pytest.raises(ValidationError):
        services.transition_article(
            actor=officer, article=article, to="scheduled", publish_at=timezone.now() - timedelta(minutes=1)
        )


def test_a_scheduled_article_becomes_public_at_its_time(officer):
    article = new_article(officer)
    services.transition_article(
        actor=officer, article=article, to="scheduled", publish_at=timezone.now() + timedelta(hours=1)
    )
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert Article.objects.public().filter(pk=article.pk).exists()
    assert services.publish_due_articles() == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_a_reaction_is_once_per_account_and_changeable():
    article = ArticleFactory()
    reader = UserFactory()
    services.react(article=article, value="yes", user=reader)
    services.react(article=article, value="no", user=reader)
    services.react(article=article, value="no", user=reader)
    assert list(Reaction.objects.values_list("value", flat=True)) == ["no"]


def test_a_reaction_is_once_per_browser():
    article = ArticleFactory()
    services.react(article=article, value="yes", browser="b" * 64)
    services.react(article=article, value="yes", browser="b" * 64)
    services.react(article=article, value="no", browser="c" * 64)
    assert Reaction.objects.count() == 2


def test_the_database_makes_a_double_vote_impossible():
    article = ArticleFactory()
    reader = UserFactory()
    Reaction.objects.create(article=article, user=reader, value="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(article=article, user=reader, value="no")
    Reaction.objects.create(article=article, browser="x" * 64, value="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(article=article, browser="x" * 64, value="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(article=article, user=reader, browser="y" * 64, value="yes")


def test_no_reaction_on_an_unpublished_article():
    with pytest.raises(PermissionDenied):
        services.react(article=draft(), value="yes", browser="z" * 64)


def test_reactions_are_in_the_personal_data_export_and_go_with_the_account():
    article = ArticleFactory()
    reader = UserFactory()
    services.react(article=article, value="yes", user=reader)
    assert personal_data.export_personal_data(reader) == [
        {"article": article.slug, "answer": "yes", "at": Reaction.objects.get().updated_at.isoformat()}
    ]
    personal_data.erase_personal_data(reader)
    assert not Reaction.objects.exists()
