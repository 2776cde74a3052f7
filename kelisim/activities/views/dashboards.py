"""The results dashboards (public, and the officers' internal one with exact figures) and their exports."""

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kelisim.accounts.decorators import officer_required
from kelisim.activities import charts, selectors, summary
from kelisim.activities.forms import DashboardForm
from kelisim.activities.models import ATTENDANCE_FIELDS, ActivityReport
from kelisim.activities.views.imports import XLSX
from kelisim.core.exports import csv_lines, csv_response, xlsx_bytes
from kelisim.core.pagecache import public_page


def _measure_labels() -> dict:
    from django.utils.translation import gettext

    return {
        "participants": gettext("Participants"),
        "youth_14_29": gettext("Young people 14–29"),
        "inmates": gettext("Inmates reached"),
        "online_views": gettext("Online views"),
    }


def _dashboard_data(query: QueryDict, filters, *, public: bool) -> dict:
    """The figures, chart and map of one filtered view, computed from the summary tables."""
    table = selectors.dashboard_table(filters, public=public)
    labels = _measure_labels()
    data = {
        "table": table,
        "measure_labels": [(measure, labels[measure]) for measure in table.measures],
        "total_pairs": [(labels[measure], table.totals[measure]) for measure in table.measures],
        "dimension_label": str(selectors.DIMENSIONS[table.dimension]),
        "chart": charts.bar_chart(table.rows, measure="participants", title=labels["participants"]),
        "sex_age": selectors.sex_age_table(filters, public=public),
        "years": selectors.available_years(),
    }
    if table.dimension == "region":

        def link_for(row):
            params = query.copy()
            params["region"], params["by"] = row.key, "strand"
            return "?" + params.urlencode()

        data["map_svg"], data["map_legend"] = charts.region_map(
            table.rows, measure="participants", title=_("Participants by region"), link_for=link_for
        )
        # The same links as a list beside the map: the drawing itself is hidden from screen readers and the
        # keyboard, so that no link sits inside an image.
        data["map_links"] = [
            {"label": row.label, "url": link_for(row), "value": row.measures["participants"].label}
            for row in table.rows
            if row.code
        ]
    return data


def _dashboard_query(request) -> QueryDict:
    """The dashboard's own parameters, in a fixed order: other parameters (a campaign tag, a cache
    buster) neither change the view nor multiply its cached copies."""
    query = QueryDict(mutable=True)
    for name in sorted(DashboardForm.base_fields):
        if values := request.GET.getlist(name)[:1]:
            query.setlist(name, values)
    return query


def _public_cache_key(request, what: str) -> str:
    """The public exports are the same for every visitor: keyed by the summaries' version (bumped after every
    change, so a verification shows at once), the language and the dashboard's parameters."""
    from django.utils.translation import get_language

    digest = hashlib.sha256(_dashboard_query(request).urlencode().encode()).hexdigest()[:32]
    return f"activities:{what}:{summary.version()}:{get_language()}:{digest}"


# Bounds staleness where processes do not share a cache (the local-memory cache of several workers).
PUBLIC_CACHE_SECONDS = 60


def _dashboard_fragments(request, *, public: bool) -> dict:
    """The filter form and the results of one filtered view, rendered. (The public dashboard is a kept page:
    rendered once per change of the tables it reads, see ``core.pagecache``.)"""
    query = _dashboard_query(request)
    form = DashboardForm(query or None)
    filters = form.filters()
    context = {
        "form": form,
        "filters": filters,
        "public": public,
        "query": query.urlencode(),
        **_dashboard_data(query, filters, public=public),
    }
    return {
        "filters_html": mark_safe(render_to_string("activities/includes/dashboard_filters.html", context)),
        "results_html": mark_safe(render_to_string("activities/includes/dashboard_results.html", context)),
    }


def _dashboard(request, *, public: bool):
    context = {"public": public, "query": _dashboard_query(request).urlencode()}
    context.update(_dashboard_fragments(request, public=public))
    return render(request, "activities/dashboard.html", context)


@require_GET
@public_page("activities", "plans", "organisations", "core", parameters=DashboardForm.base_fields)
def dashboard(request):
    return _dashboard(request, public=True)


@officer_required
@require_GET
def dashboard_internal(request):
    return _dashboard(request, public=False)


def _table_rows(request, *, public: bool) -> tuple[list[str], list[list]]:
    key = _public_cache_key(request, "dashboard-rows") if public else None
    if key is not None and (cached := cache.get(key)) is not None:
        return cached
    filters = DashboardForm(_dashboard_query(request) or None).filters()
    table = selectors.dashboard_table(filters, public=public)
    labels = _measure_labels()
    # A stable code (region ISO 3166-2 code, strand code, BIN, type, period) before the label of each row.
    header = [f"{table.dimension}_code", str(selectors.DIMENSIONS[table.dimension]), _("Events")]
    header += [labels[m] for m in table.measures]
    rows = [
        [row.code, row.label, row.events]
        + [row.measures[m].value if not row.measures[m].hidden else row.measures[m].label for m in table.measures]
        for row in table.rows
    ]
    rows.append(
        ["total", _("Total"), table.total_events]
        + [table.totals[m].value if not table.totals[m].hidden else table.totals[m].label for m in table.measures]
    )
    # Labels may be lazy translations: the cached copy must hold the text of this language.
    header = [str(label) for label in header]
    rows = [[cell if isinstance(cell, int) else str(cell) for cell in row] for row in rows]
    if key is not None:
        cache.set(key, (header, rows), timeout=PUBLIC_CACHE_SECONDS)
    return header, rows


def _export(request, file_format: str, *, public: bool):
    if file_format not in {"csv", "xlsx"}:
        raise Http404
    header, rows = _table_rows(request, public=public)
    stamp = f"{timezone.localdate():%Y-%m-%d}"
    if file_format == "csv":
        response = HttpResponse("".join(csv_lines(header, rows)), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(header, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="activities-{stamp}.{file_format}"'
    return response


@require_GET
def dashboard_export(request, file_format):
    return _export(request, file_format, public=True)


@officer_required
@require_GET
def dashboard_internal_export(request, file_format):
    return _export(request, file_format, public=False)


REPORT_EXPORT_COLUMNS = [
    "id",
    "organisation_bin",
    "activity_type",
    "title",
    "start_date",
    "end_date",
    "region",
    "settlement",
    "venue_type",
    "languages",
    "audiences",
    "strand",
    "plan_item",
    *ATTENDANCE_FIELDS,
    "participants",
    "youth_14_29",
    "online_posts",
    "online_views",
    "online_shares",
    "status",
]


# Where each exported column comes from, when it is not the report's field of that name.
_EXPORT_SOURCES = {
    "id": "pk",
    "organisation_bin": "organisation__bin",
    "region": "region__code",
    "strand": "strand__code",
    "plan_item": "plan_item__code",
}
_REPORT_EXPORT_FIELDS = [_EXPORT_SOURCES.get(column, column) for column in REPORT_EXPORT_COLUMNS]


def _every_report_row():
    """Every report in key order, read 5,000 at a time with a bounded cursor (1,000,000 rows)."""
    last = 0
    while True:
        chunk = list(
            ActivityReport.objects.filter(pk__gt=last).order_by("pk").values_list(*_REPORT_EXPORT_FIELDS)[:5000]
        )
        if not chunk:
            return
        yield from chunk
        last = chunk[-1][0]


@officer_required
@require_GET
def reports_export(request):
    """Every report as CSV for officers, streamed."""
    filename = f"activity-reports-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, REPORT_EXPORT_COLUMNS, _every_report_row())
