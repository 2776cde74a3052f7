"""Open data: every public suggestion as CSV or JSON (no personal data), and the statistics page.

Codes (document slug, version number, paragraph keys, strand code, region ISO 3166-2 code, status) stay the
same in every language; the ``*_name`` and ``*_label`` columns beside them are in the reader's language."""

import json

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from kelisim.consultations import selectors
from kelisim.consultations.charts import bar_chart
from kelisim.consultations.forms import SuggestionFilterForm
from kelisim.core.exports import csv_response
from kelisim.core.pagecache import public_page

EXPORT_FIELDS = [
    "reference",
    "document",
    "version",
    "section",
    "paragraph",
    "title",
    "text",
    "language",
    "strand",
    "strand_name",
    "region",
    "region_name",
    "status",
    "status_label",
    "official_answer",
    "answered_on",
    "merged_into",
    "supporters",
    "signed",
    "sent_on",
    "channel",
    "received_on",
]


def _export_rows(request):
    form = SuggestionFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    filters["sort"] = "oldest"
    queryset = selectors.filter_suggestions(selectors.public_suggestions(), filters).select_related("merged_into")
    for suggestion in queryset.iterator(chunk_size=2000):
        yield {
            "reference": suggestion.reference,
            "document": suggestion.version.document.slug,
            "version": suggestion.version.number,
            "section": suggestion.section.key if suggestion.section_id else "",
            "paragraph": suggestion.paragraph.key if suggestion.paragraph_id else "",
            "title": suggestion.title,
            "text": suggestion.text,
            "language": suggestion.language,
            "strand": suggestion.strand.code if suggestion.strand_id else "",
            "strand_name": suggestion.strand.name if suggestion.strand_id else "",
            "region": suggestion.region.code if suggestion.region_id else "",
            "region_name": suggestion.region.name if suggestion.region_id else "",
            "status": suggestion.status,
            "status_label": str(suggestion.get_status_display()),
            "official_answer": suggestion.answer_text,
            "answered_on": suggestion.answered_at.date().isoformat() if suggestion.answered_at else "",
            "merged_into": suggestion.merged_into.reference if suggestion.merged_into_id else "",
            "supporters": suggestion.support_count,
            "signed": suggestion.author_id is not None,
            "sent_on": timezone.localdate(suggestion.created_at).isoformat(),
            "channel": suggestion.channel,
            "received_on": suggestion.received_on.isoformat() if suggestion.received_on else "",
        }


def export_csv(request):
    rows = ([row[field] for field in EXPORT_FIELDS] for row in _export_rows(request))
    return csv_response("suggestions.csv", EXPORT_FIELDS, rows)


def export_json(request):
    def chunks():
        yield '{"fields": ' + json.dumps(EXPORT_FIELDS) + ', "suggestions": ['
        first = True
        for row in _export_rows(request):
            yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="suggestions.json"'
    return response


@public_page("consultations", "core")
def statistics(request):
    stats = selectors.statistics()
    weeks = stats["by_week"][-26:]
    return render(
        request,
        "consultations/statistics.html",
        {
            "stats": stats,
            "week_chart": bar_chart([(week.strftime("%d.%m"), count) for week, count in weeks]),
            "status_chart": bar_chart([(str(label), count) for label, count in stats["by_status"]]),
        },
    )
