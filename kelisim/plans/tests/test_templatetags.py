"""The plan's item lists written in Python (plans/templatetags/plan_lines.py) give the template's bytes."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from kelisim.core.models import Region
from kelisim.organisations.tests.factories import OrganisationFactory
from kelisim.plans import selectors, services
from kelisim.plans.models import PlanItem, PlanVersion
from kelisim.plans.tests.factories import add_items, draft_with_items

pytestmark = pytest.mark.django_db


def _varied_version() -> PlanVersion:
    """A working version whose items take every branch of an item's row: partners (one with markup in its name),
    regions, a deadline or none, a budget with and without its source, indicators with and without a baseline,
    targets with and without a region, text only in Russian."""
    published = draft_with_items(items_per_strand=1)
    version = services.start_version(actor=None, plan=published.plan, kind=PlanVersion.Kind.DRAFT)
    add_items(version, 2)
    first, second, third, *_ = version.items.order_by("pk")
    first.partners.add(
        OrganisationFactory(name_en="Youth <Centre> & Co", name_ru="Молодёжь <Центр>", name_kk="Жастар <Орталығы>"),
        OrganisationFactory(),
    )
    regions = list(Region.objects.order_by("code")[:2])
    first.regions.add(*regions)
    PlanItem.objects.filter(pk=first.pk).update(completion_form="Report to the <ministry>", budget_source="")
    PlanItem.objects.filter(pk=second.pk).update(text_en="", text_kk="", text_ru="Лекции в колледжах")
    services.save_indicator(
        actor=None,
        item=first,
        name_en="Young people reached",
        unit_en="people",
        baseline=Decimal("1200.50"),
        targets=[(2018, None, "1500"), (2018, regions[0], "250.5")],
    )
    services.save_indicator(actor=None, item=first, name_ru="Лекции", unit_ru="шт.", targets=[(2018, None, "40")])
    services.save_indicator(actor=None, item=third, name_en="Camps", unit_en="camps")
    return version


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_printable_versions_rows_are_the_item_row_templates_bytes(language):
    version = _varied_version()
    items = selectors.with_labels(list(selectors.version_items(version)))
    row = get_template("plans/includes/item_row.html")
    with translation.override(language):
        expected = "".join(row.render({"item": item, "version": version}) for item in items)
        written = Template("{% load plan_lines %}{% plan_items items %}").render(Context({"items": items}))
    assert written == expected
    assert {"en": "&lt;Centre&gt;", "ru": "&lt;Центр&gt;", "kk": "&lt;Орталығы&gt;"}[language] in written
    assert "<Centre>" not in written and "<Центр>" not in written and "<Орталығы>" not in written
    assert "<ministry>" not in written
