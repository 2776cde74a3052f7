import pytest

from kelisim.comments.models import Comment
from kelisim.publications.models import Article

pytestmark = pytest.mark.django_db


def test_the_demo_news_loads_twice_without_duplicates():
    from kelisim.accounts import demo as accounts_demo
    from kelisim.core import demo as core_demo
    from kelisim.publications import demo

    core_demo.load()
    accounts_demo.load()
    demo.load()
    demo.load()
    assert Article.objects.public().count() == 9
    assert set(Article.objects.values_list("language", flat=True)) == {"kk", "ru", "en"}
    assert Article.objects.values("translation_group").distinct().count() == 3
    assert Comment.objects.count() == len(demo.COMMENTS)
    assert Comment.objects.filter(status=Comment.Status.PENDING).exists()
    assert set(Comment.objects.values_list("language", flat=True)) == {"kk", "ru", "en"}
    roundtable_ru = Article.objects.get(slug="kruglyi-stol-astana-fevral-2017")
    assert roundtable_ru.comment_count == 2
