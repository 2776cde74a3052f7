import factory
from django.utils import timezone

from kelisim.publications.markup import render_markdown
from kelisim.publications.models import Article, Tag


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name_en = factory.Sequence(lambda n: f"Tag {n}")
    name_ru = factory.Sequence(lambda n: f"Тег {n}")
    name_kk = factory.Sequence(lambda n: f"Тег {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published English article (the workflow itself is tested through the services)."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    language = "en"
    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Roundtable on prevention, part {n}")
    lead = "Officials and NGOs discussed the draft action plan."
    body = "The roundtable **agreed** on three tasks."
    body_html = factory.LazyAttribute(lambda article: render_markdown(article.body))
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))


def draft(**fields) -> Article:
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, **fields)
