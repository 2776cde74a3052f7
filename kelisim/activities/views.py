import csv
import hashlib
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from kelisim.accounts.permissions import require_officer
from kelisim.activities import charts, importing, selectors, services
from kelisim.activities.forms import (
    DashboardForm,
    ImportForm,
    IndicatorSourceForm,
    ManualValueForm,
    ReportForm,
    ReturnForm,
)
from kelisim.activities.models import (
    ATTENDANCE_FIELDS,
    OFFICER_TARGETS,
    ActivityReport,
    ReportImport,
    ReportStatus,
)
from kelisim.core.forms import apply_validation_error
from kelisim.organisations.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_reporter(request, organisation) -> None:
    if not selectors.can_report_for(request.user, organisation):
        raise PermissionDenied(_("Only this organisation's members and programme officers can report its activities."))


# --- Dashboards --------------------------------------------------------------------------------------
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
    """Public views are the same for every visitor: keyed by the summaries' version (bumped after every
    change, so a verification shows at once), the language and the dashboard's parameters."""
    from django.utils.translation import get_language

    from kelisim.activities import summary

    digest = hashlib.sha256(_dashboard_query(request).urlencode().encode()).hexdigest()[:32]
    return f"activities:{what}:{summary.version()}:{get_language()}:{digest}"


# Bounds staleness where processes do not share a cache (the local-memory cache of several workers).
PUBLIC_CACHE_SECONDS = 60


def _dashboard_fragments(request, *, public: bool) -> dict:
    """The filter form and the results of one filtered view, rendered. A busy public dashboard renders each
    view once per change of the figures, not once per visitor; only the visitor's own links are not cached."""
    key = _public_cache_key(request, "dashboard-html") if public else None
    if key is not None and (cached := cache.get(key)) is not None:
        return cached
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
    fragments = {
        "filters_html": mark_safe(render_to_string("activities/includes/dashboard_filters.html", context)),
        "results_html": mark_safe(render_to_string("activities/includes/dashboard_results.html", context)),
    }
    if key is not None:
        cache.set(key, fragments, timeout=PUBLIC_CACHE_SECONDS)
    return fragments


def _dashboard(request, *, public: bool):
    context = {"public": public, "query": _dashboard_query(request).urlencode()}
    context.update(_dashboard_fragments(request, public=public))
    return render(request, "activities/dashboard.html", context)


@require_GET
def dashboard(request):
    return _dashboard(request, public=True)


@login_required
@require_GET
def dashboard_internal(request):
    require_officer(request.user)
    return _dashboard(request, public=False)


def _table_rows(request, *, public: bool) -> tuple[list[str], list[list]]:
    key = _public_cache_key(request, "dashboard-rows") if public else None
    if key is not None and (cached := cache.get(key)) is not None:
        return cached
    filters = DashboardForm(_dashboard_query(request) or None).filters()
    table = selectors.dashboard_table(filters, public=public)
    labels = _measure_labels()
    header = [str(selectors.DIMENSIONS[table.dimension]), _("Events")] + [labels[m] for m in table.measures]
    rows = [
        [row.label, row.events]
        + [row.measures[m].value if not row.measures[m].hidden else row.measures[m].label for m in table.measures]
        for row in table.rows
    ]
    rows.append(
        [_("Total"), table.total_events]
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
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="activities-{stamp}.{file_format}"'
    return response


@require_GET
def dashboard_export(request, file_format):
    return _export(request, file_format, public=True)


@login_required
@require_GET
def dashboard_internal_export(request, file_format):
    require_officer(request.user)
    return _export(request, file_format, public=False)


class _Echo:
    def write(self, value):
        return value


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


@login_required
@require_GET
def reports_export(request):
    """Every report as CSV for officers, streamed in key order with a bounded cursor (1,000,000 rows)."""
    require_officer(request.user)
    writer = csv.writer(_Echo())
    columns = [
        "pk",
        "organisation__bin",
        "activity_type",
        "title",
        "start_date",
        "end_date",
        "region__code",
        "settlement",
        "venue_type",
        "languages",
        "audiences",
        "strand__code",
        "plan_item__code",
        *ATTENDANCE_FIELDS,
        "participants",
        "youth_14_29",
        "online_posts",
        "online_views",
        "online_shares",
        "status",
    ]

    def rows():
        yield "\ufeff" + writer.writerow(REPORT_EXPORT_COLUMNS)
        last = 0
        while True:
            chunk = list(ActivityReport.objects.filter(pk__gt=last).order_by("pk").values_list(*columns)[:5000])
            if not chunk:
                return
            yield "".join(writer.writerow(row) for row in chunk)
            last = chunk[-1][0]

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-reports-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


# --- Reports -----------------------------------------------------------------------------------------
@login_required
@require_GET
def my_reports(request):
    organisations = list(selectors.reporting_organisations(request.user))
    if len(organisations) == 1 and not request.user.is_officer:
        return redirect("activities:organisation_reports", pk=organisations[0].pk)
    return render(request, "activities/my_reports.html", {"organisations": organisations})


@login_required
@require_GET
def organisation_reports(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    _require_reporter(request, organisation)
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    page = Paginator(selectors.organisation_reports(organisation, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/organisation_reports.html",
        {
            "organisation": organisation,
            "page_obj": page,
            "status": status,
            "statuses": ReportStatus.choices,
            "imports": ReportImport.objects.filter(organisation=organisation)[:5],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    _require_reporter(request, organisation)
    form = ReportForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(
                actor=request.user,
                organisation=organisation,
                data=form.report_data(),
                lecturers=form.cleaned_data["lecturers"],
                partners=form.cleaned_data["partners"],
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(report)
    return render(request, "activities/report_form.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = get_object_or_404(ActivityReport.objects.select_related("organisation"), pk=pk)
    _require_reporter(request, report.organisation)
    if not report.is_editable:
        messages.error(request, _("Only a draft or a returned report can be changed."))
        return redirect(report)
    form = ReportForm(request.POST or None, request.FILES or None, instance=report, organisation=report.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_report(
                actor=request.user,
                report=report,
                data=form.report_data(),
                lecturers=form.cleaned_data["lecturers"],
                partners=form.cleaned_data["partners"],
            )
            if "submit" in request.POST:
                services.transition(actor=request.user, report=report, to_status=ReportStatus.SUBMITTED)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(report)
    return render(
        request, "activities/report_form.html", {"form": form, "organisation": report.organisation, "report": report}
    )


@require_GET
def report_detail(request, pk):
    report = selectors.report_detail(pk)
    if report is None or not selectors.can_see_report(request.user, report):
        raise Http404
    internal = selectors.can_report_for(request.user, report.organisation)
    from kelisim.activities import suppression

    values = [getattr(report, name) for name in ATTENDANCE_FIELDS]
    cells, total = (suppression.plain if internal else suppression.suppress)(values)
    return render(
        request,
        "activities/report_detail.html",
        {
            "report": report,
            "internal": internal,
            "attendance_rows": [
                {"label": label, "cells": cells[index * 4 : index * 4 + 4]}
                for index, label in enumerate([_("Women and girls"), _("Men and boys")])
            ],
            "attendance_total": total,
            "can_submit": internal and report.is_editable,
            "can_verify": request.user.is_authenticated
            and request.user.is_officer
            and report.status == ReportStatus.SUBMITTED,
            "can_reopen": request.user.is_authenticated
            and request.user.is_officer
            and report.status == ReportStatus.VERIFIED,
            "return_form": ReturnForm(),
        },
    )


@login_required
@require_POST
def report_transition(request, pk):
    report = get_object_or_404(ActivityReport.objects.select_related("organisation"), pk=pk)
    target = request.POST.get("to", "")
    if target not in ReportStatus.values:
        raise Http404
    if target in OFFICER_TARGETS:
        require_officer(request.user)
    elif not selectors.can_report_for(request.user, report.organisation):
        raise PermissionDenied
    comment = request.POST.get("comment", "")
    try:
        services.transition(actor=request.user, report=report, to_status=target, comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is now “%(status)s”.") % {"status": ReportStatus(target).label})
    next_url = request.POST.get("next", "")
    if next_url == "queue":
        return redirect("activities:queue")
    return redirect(report)


@login_required
@require_http_methods(["GET", "POST"])
def queue(request):
    require_officer(request.user)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("report") if value.isdigit()]
        count = services.verify_many(actor=request.user, reports=ActivityReport.objects.filter(pk__in=ids))
        messages.success(request, _("Reports verified: %(count)s.") % {"count": count})
        return redirect("activities:queue")
    page = Paginator(selectors.verification_queue(), 100).get_page(request.GET.get("page"))
    return render(request, "activities/queue.html", {"page_obj": page})


# --- Bulk entry --------------------------------------------------------------------------------------
@login_required
@require_GET
def import_template(request):
    """The blank template; for one organisation (``?organisation=``) its Codes sheet also lists that
    organisation's contract milestones, the codes its members type in the milestone column."""
    organisation = None
    if raw := request.GET.get("organisation", ""):
        organisation = get_object_or_404(Organisation, pk=raw) if raw.isdigit() else None
        if organisation is None:
            raise Http404
        _require_reporter(request, organisation)
    response = HttpResponse(importing.template_xlsx(organisation=organisation), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="activity-reports-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    _require_reporter(request, organisation)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(
                actor=request.user, organisation=organisation, uploaded_file=form.cleaned_data["source"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("activities:import_detail", pk=job.pk)
    return render(
        request,
        "activities/import_upload.html",
        {"form": form, "organisation": organisation, "columns": importing.COLUMNS},
    )


@login_required
@require_GET
def import_detail(request, pk):
    job = get_object_or_404(ReportImport.objects.select_related("organisation", "created_by"), pk=pk)
    _require_reporter(request, job.organisation)
    context = {"job": job}
    if request.htmx:
        return render(request, "activities/_import_status.html", context)
    return render(request, "activities/import_detail.html", context)


# --- Indicators --------------------------------------------------------------------------------------
@require_GET
def indicators(request):
    from kelisim.plans import selectors as plan_selectors

    plan = plan_selectors.current_plan()
    version = plan_selectors.public_version(plan) if plan else None
    items = []
    if version is not None:
        for item in version.items.select_related("tracked").order_by("objective__position", "position"):
            rows = selectors.item_indicators(item.tracked)
            if rows:
                items.append({"item": item, "indicators": rows})
    return render(
        request,
        "activities/indicators.html",
        {"items": items, "is_officer": request.user.is_authenticated and request.user.is_officer},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    from kelisim.plans.models import Indicator

    require_officer(request.user)
    indicator = get_object_or_404(Indicator.objects.select_related("item__tracked"), pk=pk)
    source = getattr(indicator, "activity_source", None)
    rule_form = IndicatorSourceForm(
        request.POST if "set_rule" in request.POST else None, initial={"rule": source.rule if source else ""}
    )
    value_form = ManualValueForm(
        request.POST if "add_value" in request.POST else None, request.FILES if "add_value" in request.POST else None
    )
    if request.method == "POST":
        if "set_rule" in request.POST and rule_form.is_valid():
            services.set_indicator_source(actor=request.user, indicator=indicator, rule=rule_form.cleaned_data["rule"])
            messages.success(request, _("The rule was saved."))
            return redirect("activities:indicator_edit", pk=indicator.pk)
        if "add_value" in request.POST and value_form.is_valid():
            try:
                services.add_manual_value(actor=request.user, indicator=indicator, **value_form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(value_form, error)
            else:
                messages.success(request, _("The value was added."))
                return redirect("activities:indicator_edit", pk=indicator.pk)
    return render(
        request,
        "activities/indicator_edit.html",
        {
            "indicator": indicator,
            "rule_form": rule_form,
            "value_form": value_form,
            "values": selectors.indicator_values(indicator),
            "manual_values": indicator.manual_values.select_related("region", "entered_by"),
        },
    )
