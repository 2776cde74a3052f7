"""The public plan pages and an item's page with its progress (kelisim.plans.views.public)."""

import csv
import io

import pytest
from django.urls import reverse

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import make_staff, sign_in
from kelisim.core.models import Region
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.plans import services
from kelisim.plans.models import PlanItem, PlanVersion
from kelisim.plans.tests.factories import add_items, draft_with_items

pytestmark = pytest.mark.django_db


def _second_draft(first, *, extra: int = 1):
    second = services.start_version(actor=None, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    add_items(second, extra)
    return services.publish_version(actor=None, version=second)


def test_plan_page_shows_progress_by_strand_and_filters(client):
    version = draft_with_items(items_per_strand=1)
    youth = version.items.get(objective__strand__code="youth")
    services.record_progress(actor=None, tracked=youth.tracked, status="in_progress", progress=40, note="Started.")
    PlanItem.objects.filter(pk=youth.pk).update(responsible_body="Akimat of Astana")
    youth.regions.add(Region.objects.get(code="KZ-71"))
    page = client.get(reverse("plans:index")).text
    assert "40 % done (weighted)" in page
    filtered = client.get(reverse("plans:index"), {"status": "in_progress"}).text
    assert youth.tracked.code in filtered
    assert version.items.get(objective__strand__code="prisons").tracked.code not in filtered
    by_region = client.get(reverse("plans:index"), {"region": Region.objects.get(code="KZ-71").pk}).text
    assert youth.tracked.code in by_region
    by_body = client.get(reverse("plans:index"), {"body": "Akimat of Astana"}).text
    assert youth.tracked.code in by_body and "1.1.1" not in by_body


def test_working_version_is_hidden_from_the_public(client):
    first = draft_with_items(items_per_strand=1)
    working = services.start_version(actor=None, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    assert client.get(reverse("plans:version", args=[working.number])).status_code == 404
    assert client.get(reverse("plans:export_csv", args=[working.number])).status_code == 404
    sign_in(client, make_staff())
    assert client.get(reverse("plans:version", args=[working.number])).status_code == 200


def test_compare_page_shows_the_change_by_strand(client):
    first = draft_with_items(items_per_strand=1)
    second = _second_draft(first)
    response = client.get(reverse("plans:compare"), {"a": first.number, "b": second.number})
    assert "1 added, 0 removed, 0 changed." in response.text
    assert "Extra measure 0" in response.text


def test_print_stylesheet_is_linked_on_the_version_page(client):
    version = draft_with_items(items_per_strand=1)
    page = client.get(reverse("plans:version", args=[version.number])).text
    assert 'media="print"' in page and "plans/print" in page


def test_plan_page_queries_do_not_grow(client):
    version = draft_with_items(items_per_strand=1)
    count = assert_queries_do_not_grow(
        client, reverse("plans:index"), add_data=lambda: _bulk_items(version, 30), limit=20
    )
    print(f"plan page: {count} queries")


def _bulk_items(version, count):
    """Add items to a published version behind the services' back, only to measure queries."""
    PlanVersion.objects.filter(pk=version.pk).update(state="working")
    add_items(version, count)
    PlanVersion.objects.filter(pk=version.pk).update(state="published")


def test_version_and_compare_pages_queries_do_not_grow(client):
    first = draft_with_items(items_per_strand=1)
    second = _second_draft(first)
    version_count = assert_queries_do_not_grow(
        client, reverse("plans:version", args=[second.number]), add_data=lambda: _bulk_items(second, 30), limit=20
    )
    url = reverse("plans:compare") + f"?a={first.number}&b={second.number}"
    compare_count = assert_queries_do_not_grow(client, url, add_data=lambda: _bulk_items(second, 30), limit=25)
    print(f"version page: {version_count} queries, compare page: {compare_count} queries")


def test_item_page_queries_do_not_grow(client):
    first = draft_with_items(items_per_strand=1)
    tracked = first.items.first().tracked

    def add():
        for number in range(5):
            services.record_progress(
                actor=None, tracked=tracked, status="in_progress", progress=10 * number, note=f"Step {number}"
            )
        _second_draft(services.latest_published(first.plan), extra=1)

    count = assert_queries_do_not_grow(client, reverse("plans:item", args=[tracked.code]), add_data=add, limit=20)
    print(f"item page: {count} queries")


def test_officer_makes_an_items_progress_follow_its_indicators_and_typed_figures_are_refused(client):
    first = draft_with_items(items_per_strand=1)
    tracked = first.items.first().tracked
    services.record_progress(actor=None, tracked=tracked, status="in_progress", progress=40, note="Started.")
    url = reverse("plans:item", args=[tracked.code])
    sign_in(client, make_staff(Role.OFFICER))
    page = client.get(url).text
    assert 'name="progress"' in page and "progress follows indicators" not in page

    response = client.post(url, {"set_source": "1", "source": "indicators"})
    assert response.status_code == 302
    tracked.refresh_from_db()
    assert (tracked.progress_source, tracked.progress) == ("indicators", 0)  # no indicator has a target yet
    page = client.get(url).text
    assert 'name="progress"' not in page and "computed from indicators" in page

    # A form opened before the switch still sends a figure: refused, what was typed is kept, nothing saved.
    refused = client.post(url, {"status": "in_progress", "progress": "90", "note": "Nearly done."})
    assert refused.status_code == 200
    assert "follows its indicators and cannot be entered by hand" in refused.text and "Nearly done." in refused.text
    tracked.refresh_from_db()
    assert tracked.progress == 0 and tracked.updates.count() == 2

    client.post(url, {"status": "delayed", "note": "Schools closed for quarantine."})
    tracked.refresh_from_db()
    assert (tracked.status, tracked.progress) == ("delayed", 0)

    client.logout()
    for public_url in (url, reverse("plans:index"), reverse("plans:trace_item", args=[tracked.code])):
        assert "progress follows indicators" in client.get(public_url).text, public_url
    assert "set_source" not in client.get(url).text
    body = client.get(reverse("plans:export_csv", args=[first.number])).content.decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(body))
    assert {row["id"]: row["progress_source"] for row in rows}[tracked.code] == "indicators"


def test_an_items_page_and_the_plan_link_to_it_and_show_its_status_in_the_readers_language(client):
    version = draft_with_items(items_per_strand=1)
    tracked = version.items.first().tracked
    services.record_progress(actor=None, tracked=tracked, status="delayed", progress=10, note="Schools closed.")
    url = reverse("plans:item", args=[tracked.code])
    for page in (client.get(url).text, client.get(reverse("plans:index")).text):
        assert f'<a href="{url}" class="plan-code">{tracked.code}</a>' in page
        assert 'class="badge status-delayed">Delayed</span>' in page
    russian = client.get(url.replace("/en/", "/ru/", 1)).text
    assert 'class="badge status-delayed">Задерживается</span>' in russian


def test_the_plan_pages_lines_escape_and_shorten_each_items_text_and_mark_another_language(client):
    version = draft_with_items(items_per_strand=1)
    first, second = version.items.order_by("pk")[:2]
    PlanItem.objects.filter(pk=first.pk).update(text_en="<b>Summer camps</b> " + "for young people " * 12)
    PlanItem.objects.filter(pk=second.pk).update(text_en="", text_kk="", text_ru="Лекции в колледжах")
    page = client.get(reverse("plans:index")).text

    def line(item):
        return page.split(f'<li class="plan-line" id="{item.tracked.code}">', 1)[1].split("</li>", 1)[0]

    assert "&lt;b&gt;Summer camps&lt;/b&gt; for young people" in line(first) and "<b>" not in line(first)
    assert line(first).count("for young people") < 12 and "…" in line(first)
    assert '<span lang="ru">Лекции в колледжах</span>' in line(second)
