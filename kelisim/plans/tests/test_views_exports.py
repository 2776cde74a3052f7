"""A version's open data files (kelisim.plans.views.exports)."""

import csv
import io

import pytest
from django.urls import reverse

from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


def test_exports_csv_and_json_carry_ids_and_provenance(client):
    version = draft_with_items(items_per_strand=1)
    body = client.get(reverse("plans:export_csv", args=[version.number])).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 3
    assert rows[0]["id"].startswith("AP-") and rows[0]["number"] == "1.1.1"
    data = client.get(reverse("plans:export_json", args=[version.number])).json()
    assert data["label"] == "draft 1" and len(data["items"]) == 3
    assert data["items"][0]["budget_kzt"] == "1000000"
