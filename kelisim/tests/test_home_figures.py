"""Issue 15: the home page's figures count what the lists they link to show, in the right plural form."""

import re

import pytest
from django.urls import reverse

from kelisim.core.selectors import home_figures
from kelisim.meetings.models import Roundtable
from kelisim.meetings.tests import factories as meetings
from kelisim.organisations.models import Organisation
from kelisim.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _figure(key: str) -> dict:
    return next(figure for figure in home_figures() if figure["key"] == key)


def test_the_organisations_figure_equals_the_registry_list(client):
    OrganisationFactory.create_batch(2)
    OrganisationFactory(kind=Organisation.Kind.GOVERNMENT)  # listed by the registry, so counted
    OrganisationFactory(verification_status=Organisation.Verification.EXCLUDED)
    listed = client.get(reverse("organisations:list")).context["page_obj"].paginator.count
    assert _figure("organisations")["value"] == listed


def test_one_roundtable_held_is_singular_on_the_home_page_and_the_list(client):
    held = meetings.roundtable(days=-10)
    Roundtable.objects.filter(pk=held.pk).update(status=Roundtable.Status.CLOSED)
    meetings.roundtable(days=5)
    home = client.get(reverse("core:home")).content.decode()
    assert re.search(r'figure-value">1</span>\s*<span class="figure-label"><a [^>]*>roundtable held<', home)
    assert "1 roundtables" not in home
    listing = client.get(reverse("meetings:list")).content.decode()
    assert "1 roundtable held" in listing
