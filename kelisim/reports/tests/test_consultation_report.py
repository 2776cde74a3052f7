"""The consultation report of a version: page and PDF in kk, ru and en, with the figures built from the data,
regenerated (a new stored file) when an answer changes."""

import io
from unittest import mock

import pytest
from django.urls import reverse

from kelisim.consultations import services as consultation_services
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import Region, Strand
from kelisim.meetings import services as meeting_services
from kelisim.meetings.tests.factories import agenda_item, roundtable
from kelisim.plans import services as plan_services
from kelisim.plans.tests.factories import draft_with_items
from kelisim.reports import consultation, pdf

pytestmark = pytest.mark.django_db

HEADINGS = {
    "en": "How the suggestions were answered",
    "ru": "Как ответили на предложения",
    "kk": "Ұсыныстарға қалай жауап берілді",
}


@pytest.fixture
def consulted():
    plan_version = draft_with_items(items_per_strand=1)
    version = consultation_factories.open_version()
    almaty = Region.objects.get(code="KZ-75")
    youth = Strand.objects.get(code="youth")
    texts = [
        ("Ауылдардағы жастармен кездесулерді көбейту керек, әсіресе мектептерде.", almaty, youth),
        ("Нужно больше встреч с молодёжью в сёлах и колледжах области.", almaty, None),
        ("Hold more meetings with young people in villages and colleges.", None, youth),
        ("Hold more meetings with young people in villages, please.", None, None),
    ]
    suggestions = [
        consultation_factories.suggestion(version, text=text, region=region, strand=strand)
        for text, region, strand in texts
    ]
    meeting = roundtable()
    item = agenda_item(meeting, suggestions=[suggestions[0]])
    tracked = plan_version.items.first().tracked
    plan_services.incorporate_suggestion(
        actor=None,
        plan=plan_version.plan,
        agenda_item=item,
        suggestion=suggestions[0],
        text_en="Meetings in village schools go into the plan.",
        tracked=tracked,
    )
    meeting_services.save_minutes(actor=None, roundtable=meeting, markdown="Done.")
    meeting_services.close_roundtable(actor=None, roundtable=meeting)
    consultation_services.transition_suggestion(
        actor=None, suggestion=suggestions[1], to="declined", answer="Already in the regional programme."
    )
    consultation_services.merge_suggestions(actor=None, primary=suggestions[2], duplicates=[suggestions[3]])
    return {"version": version, "suggestions": suggestions, "tracked": tracked, "meeting": meeting}


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_report_counts_and_explains(consulted):
    data = consultation.report(consulted["version"])
    assert data["total"] == 4
    assert {row["code"]: row["count"] for row in data["by_language"]} == {"kk": 1, "ru": 1, "en": 2}
    assert {row["code"]: row["count"] for row in data["by_region"]} == {"KZ-75": 2, "": 2}
    assert {row["code"]: row["count"] for row in data["by_strand"]} == {"youth": 2, "": 2}
    assert sum(row["count"] for row in data["by_channel"]) == 4
    statuses = {row["code"]: row["count"] for row in data["by_status"]}
    assert statuses["accepted"] == 1 and statuses["declined"] == 1 and statuses["merged"] == 1
    [accepted] = data["accepted"]
    assert accepted["reference"] == consulted["suggestions"][0].reference
    assert accepted["plan_items"] == [consulted["tracked"]]
    assert accepted["decisions"][0].text == "Meetings in village schools go into the plan."
    assert data["duplicate_groups"] == [
        {"reference": consulted["suggestions"][2].reference, "merged": [consulted["suggestions"][3].reference]}
    ]
    assert sum(week["sent"] for week in data["timeline"]) == 4
    assert sum(week["answered"] for week in data["timeline"]) == data["answered"] == 2


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_page_and_pdf_show_the_same_figures_in_each_language(client, consulted, language):
    version = consulted["version"]
    args = [version.document.slug, version.number]
    page = client.get(f"/{language}" + reverse("reports:consultation", args=args)[3:]).content.decode()
    response = client.get(f"/{language}" + reverse("reports:consultation_pdf", args=args)[3:])
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    # The PDF breaks long lines where its column ends: compare words, not line breaks.
    for shown in (page, " ".join(text.split())):
        assert HEADINGS[language] in shown
        assert consulted["suggestions"][0].reference in shown
        assert consulted["tracked"].code in shown
        assert "Meetings in village schools go into the plan." in shown
        assert "KZ-75" in shown
        assert consulted["suggestions"][3].reference in shown
    assert "Ұсыныстар" in text or language != "kk"  # Kazakh letters survive into the PDF's text


def test_the_pdf_is_stored_and_rebuilt_after_an_answer(client, consulted, django_capture_on_commit_callbacks):
    version = consulted["version"]
    url = "/en" + reverse("reports:consultation_pdf", args=[version.document.slug, version.number])[3:]
    with mock.patch.object(pdf, "render_pdf", wraps=pdf.render_pdf) as render:
        first = client.get(url).content
        assert client.get(url).content == first
        assert render.call_count == 1, "the stored file is served while nothing changes"
        with django_capture_on_commit_callbacks(execute=True):
            consultation_services.transition_suggestion(
                actor=None, suggestion=consulted["suggestions"][2], to="accepted", answer="Yes, in every region."
            )
        built = render.call_count
        assert built == 4, "the answer rebuilt the report in kk, ru and en in the background"
        second = client.get(url).content
        assert render.call_count == built, "the page serves the file built in the background"
    assert "Yes, in every region." in _pdf_text(second) and "Yes, in every region." not in _pdf_text(first)


def test_suggestions_are_counted_by_the_channel_they_came_by(consulted):
    from kelisim.consultations.models import Suggestion

    Suggestion.objects.filter(pk=consulted["suggestions"][1].pk).update(channel="letter")
    data = consultation.report(consulted["version"])
    assert {row["code"]: row["count"] for row in data["by_channel"]} == {"web": 3, "letter": 1}
