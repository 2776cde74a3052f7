import pytest

from kelisim.consultations.duplicates import clusters, index_suggestion
from kelisim.consultations.selectors import possible_duplicates
from kelisim.consultations.tests import factories

pytestmark = pytest.mark.django_db


def test_possible_duplicates_are_found_after_submission_and_grouped(django_capture_on_commit_callbacks):
    version = factories.open_version()
    texts = [
        "Встречи с молодёжью нужно проводить не только в школах, но и в общежитиях колледжей.",
        "Встречи с молодежью надо проводить не только в школах, но и в общежитиях колледжа.",
        "Горячая линия для родителей должна работать круглосуточно и анонимно.",
        "Ролики должны быть короткими, для Instagram и YouTube.",
    ]
    suggestions = []
    for text in texts:
        # The index is built by the task that runs after the submission commits.
        with django_capture_on_commit_callbacks(execute=True):
            suggestions.append(factories.suggestion(version, text=text))
    first, second, hotline, _videos = suggestions
    found = possible_duplicates(second)
    assert [pair.other for pair in found] == [first]
    assert found[0].score > 0.5
    assert possible_duplicates(hotline) == []
    groups = clusters([s.pk for s in suggestions])
    assert groups == {first.pk: first.pk, second.pk: first.pk}


def test_reindexing_is_stable():
    version = factories.open_version()
    first = factories.suggestion(version, text="Youth clubs should open in villages, not only in regional centres.")
    second = factories.suggestion(version, text="Youth clubs must open in villages too, not only in regional centres.")
    index_suggestion(first)
    index_suggestion(second)
    before = [(p.other_id, round(p.score, 6)) for p in possible_duplicates(second)]
    index_suggestion(second)
    assert [(p.other_id, round(p.score, 6)) for p in possible_duplicates(second)] == before
    assert possible_duplicates(first)[0].other == second
