"""The comparison page: two published versions are diffed once and then read from the cache; a working
draft is diffed on every request so that an edit shows at once."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from kelisim.accounts.tests.factories import make_staff, sign_in
from kelisim.core.models import Region
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.plans import comparison, services
from kelisim.plans.models import PlanItem, PlanVersion
from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


def _edit_first_item(version: PlanVersion, text: str, actor=None) -> PlanItem:
    item = version.items.select_related("objective").order_by("number").first()
    return services.save_item(actor=actor, version=version, objective=item.objective, item=item, text_en=text)


def _published_pair():
    first = draft_with_items(items_per_strand=1)
    second = services.start_version(actor=None, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    item = _edit_first_item(second, "Measure 1 of the <zero-tolerance> strand with lectures in colleges")
    services.save_indicator(actor=None, item=item, name_en="Students", unit_en="people", targets=[(2018, None, 900)])
    return first, services.publish_version(actor=None, version=second)


def _url(old: PlanVersion, new: PlanVersion, language: str = "en") -> str:
    with translation.override(language):
        return reverse("plans:compare") + f"?a={old.number}&b={new.number}"


def test_two_published_versions_are_compared_once_per_language(client):
    first, second = _published_pair()
    with mock.patch.object(comparison, "compute", wraps=comparison.compute) as compute:
        pages = [client.get(_url(first, second)).text for _ in range(3)]
        assert compute.call_count == 1
        client.get(_url(first, second, "ru"))
        assert compute.call_count == 2  # texts and names are per language: Russian has its own entry
    for page in pages:
        assert "0 added, 0 removed, 1 changed." in page
        # The diff read back from the cache is still markup, and what was typed is still escaped.
        assert "<del>schools</del>" in page and "<ins>colleges</ins>" in page
        assert "&lt;zero-tolerance&gt;" in page and "<zero-tolerance>" not in page


def test_an_edit_to_the_working_draft_shows_in_the_comparison_at_once(client):
    officer = make_staff()
    first, second = _published_pair()
    working = services.start_version(actor=officer, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    sign_in(client, officer)
    client.get(_url(first, second))  # the published pair is cached meanwhile
    assert "Youth clubs" not in client.get(_url(second, working)).text

    _edit_first_item(working, "Youth clubs for every district", actor=officer)
    page = client.get(_url(second, working)).text
    assert "<ins>Youth clubs for every district</ins>" in page
    assert "0 added, 0 removed, 1 changed." in page

    _edit_first_item(working, "Youth clubs and sports for every district", actor=officer)
    assert "sports" in client.get(_url(second, working)).text
    assert "Youth clubs" not in client.get(_url(first, second)).text  # the published pair is untouched


def test_a_working_draft_is_never_cached():
    first, _second = _published_pair()
    working = services.start_version(actor=None, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    with mock.patch.object(comparison, "compute", wraps=comparison.compute) as compute:
        comparison.compare_versions(first, working)
        comparison.compare_versions(first, working)
    assert compute.call_count == 2


def test_the_key_holds_both_versions_the_language_and_the_code_version():
    first, second = _published_pair()
    key = comparison.cache_key(first, second, "kk")
    assert key != comparison.cache_key(second, first, "kk")
    assert key != comparison.cache_key(first, second, "ru")
    assert f":{comparison.CODE_VERSION}:" in key
    with mock.patch.object(comparison, "CODE_VERSION", comparison.CODE_VERSION + 1):
        assert comparison.cache_key(first, second, "kk") != key


def test_computing_the_comparison_takes_the_same_queries_whatever_the_number_of_items(client, settings):
    """With no cache every request computes: the query count must not grow with the items compared."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    first, second = _published_pair()

    regions = list(Region.objects.order_by("code")[:2])

    def add_items():
        """Ten items in both versions, each with a changed text, region and indicator, and ten added ones.
        (Test data only: a published version is reopened here, which no service allows.)"""
        PlanVersion.objects.filter(pk=first.pk).update(state="working")
        first.refresh_from_db()
        olds = [
            services.save_item(
                actor=None,
                version=first,
                objective=first.objectives.order_by("pk").first(),
                text_en=f"Extra {number}",
                responsible_body="Akimat",
                regions=[regions[0]],
            )
            for number in range(10)
        ]
        PlanVersion.objects.filter(pk=first.pk).update(state="published")
        PlanVersion.objects.filter(pk=second.pk).update(state="working")
        second.refresh_from_db()
        objective = second.objectives.order_by("pk").first()
        for number, old in enumerate(olds):
            new = PlanItem.objects.create(
                version=second,
                tracked=old.tracked,
                objective=objective,
                position=old.position,
                number=old.number,
                text_en=f"Extra {number} online",
                responsible_body="Akimat",
            )
            new.regions.set([regions[1]])
            services.save_indicator(
                actor=None, item=new, name_en="People reached", unit_en="people", targets=[(2018, None, 50)]
            )
            services.save_item(
                actor=None, version=second, objective=objective, text_en=f"New {number}", responsible_body="Akimat"
            )
        PlanVersion.objects.filter(pk=second.pk).update(state="published")

    assert_queries_do_not_grow(client, _url(first, second), add_data=add_items, limit=25)
    page = client.get(_url(first, second)).text
    assert "10 added, 0 removed, 11 changed." in page and "<ins>online</ins>" in page
