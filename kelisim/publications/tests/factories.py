import factory
from django.utils import timezone

from kelisim.core.tests.factories import reference_data_factory
from kelisim.publications.markup import render_markdown
from kelisim.publications.models import Article, Tag

TagFactory = reference_data_factory(Tag, key="slug", key_prefix="tag", names=("Tag", "Тег", "Тег"))


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
