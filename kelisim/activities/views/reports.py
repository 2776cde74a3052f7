from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.activities import rules, selectors, services, suppression
from kelisim.activities.forms import ReportForm, ReturnForm
from kelisim.activities.models import ATTENDANCE_FIELDS, ActivityReport, ReportImport, ReportStatus
from kelisim.core.files import file_response
from kelisim.core.forms import apply_validation_error
from kelisim.core.links import url_for_each
from kelisim.core.pagecache import kept_value
from kelisim.core.pagination import KnownCountPaginator
from kelisim.core.templatetags.formats import short_day
from kelisim.organisations.models import Organisation

QUEUE_PAGE_SIZE = 50  # reports an officer verifies from one page (the triage queue shows as many)


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
    rules.require_reporter(request.user, organisation)
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


def _save_report(request, form: ReportForm, organisation, report: ActivityReport | None):
    """Create or update the report from a valid form (and submit it when asked); the form takes any error."""
    links = {"lecturers": form.cleaned_data["lecturers"], "partners": form.cleaned_data["partners"]}
    submit = "submit" in request.POST
    try:
        if report is None:
            report = services.create_report(
                actor=request.user, organisation=organisation, data=form.report_data(), submit=submit, **links
            )
        else:
            services.update_report(actor=request.user, report=report, data=form.report_data(), **links)
            if submit:
                services.transition_report(actor=request.user, report=report, to=ReportStatus.SUBMITTED)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    messages.success(request, _("The report was saved."))
    return redirect(report)


def _report_form_page(request, organisation, report: ActivityReport | None = None):
    form = ReportForm(request.POST or None, request.FILES or None, instance=report, organisation=organisation)
    saved = _save_report(request, form, organisation, report) if request.method == "POST" and form.is_valid() else None
    if saved is not None:
        return saved
    context = {"form": form, "organisation": organisation, "report": report}
    return render(request, "activities/report_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    rules.require_reporter(request.user, organisation)
    return _report_form_page(request, organisation)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = get_object_or_404(ActivityReport.objects.select_related("organisation"), pk=pk)
    rules.require_reporter(request.user, report.organisation)
    if not report.is_editable:
        messages.error(request, _("Only a draft or a returned report can be changed."))
        return redirect(report)
    return _report_form_page(request, report.organisation, report)


@require_GET
def report_detail(request, pk):
    report = selectors.report_detail(pk)
    if report is None or not rules.can_see_report(request.user, report):
        raise Http404
    internal = rules.can_report_for(request.user, report.organisation)
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
            "can_verify": rules.can_verify(request.user, report),
            "can_reopen": rules.can_reopen(request.user, report),
            "return_form": ReturnForm(),
        },
    )


@require_GET
def report_file(request, pk):
    """The report's attached file, to whoever may see the report (a draft's only to its organisation and
    officers), always as a download."""
    report = get_object_or_404(ActivityReport.objects.select_related("organisation"), pk=pk)
    if not rules.can_see_report(request.user, report):
        raise Http404
    public = report.status == ReportStatus.VERIFIED
    return file_response(report.material_file, original_name=report.material_file_name, public=public)


@login_required
@require_POST
def report_transition(request, pk):
    report = get_object_or_404(ActivityReport.objects.select_related("organisation"), pk=pk)
    target = request.POST.get("to", "")
    if target not in ReportStatus.values:
        raise Http404
    rules.require_mover(request.user, report, target)
    try:
        services.transition_report(actor=request.user, report=report, to=target, reason=request.POST.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is now “%(status)s”.") % {"status": ReportStatus(target).label})
    if request.POST.get("next", "") == "queue":
        return redirect("activities:queue")
    return redirect(report)


@officer_required
@require_http_methods(["GET", "POST"])
def queue(request):
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("report") if value.isdigit()]
        count = services.verify_many(actor=request.user, reports=ActivityReport.objects.filter(pk__in=ids))
        messages.success(
            request, ngettext("%(count)d report verified.", "%(count)d reports verified.", count) % {"count": count}
        )
        return redirect("activities:queue")
    queue = selectors.verification_queue()
    # The total and the rows of a page are the same for every officer: counted and written once per change of
    # what they show, not on every look at the queue.
    total = kept_value("verification total", "", queue.count)
    paginator = KnownCountPaginator(queue, QUEUE_PAGE_SIZE, count=total)
    number = paginator.number_of(request.GET.get("page"))
    rows = kept_value("verification rows", (total, number), lambda: verification_rows_html(paginator.page(number)))
    return render(request, "activities/queue.html", {"page_obj": paginator.pager(number), "rows": rows})


def verification_rows_html(reports) -> str:
    """The rows of the officers' verification queue (fifty a page), written here rather than as a template loop,
    which cost half of the page's rendering. The link's pattern is worked out once per page."""
    reports = list(reports)
    if not reports:
        return format_html('<tr><td colspan="6">{}</td></tr>', gettext("Nothing is waiting for verification."))
    link = url_for_each("activities:report")
    return format_html_join(
        "\n",
        '<tr><td><input type="checkbox" name="report" value="{}" id="report-{}" aria-label="{}"></td>'
        '<td>{}</td><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td class="num">{}</td></tr>',
        (
            (
                report.pk,
                report.pk,
                report.title,
                short_day(report.start_date),
                report.organisation,
                link(report.pk),
                report.title,
                report.region,
                report.participants,
            )
            for report in reports
        ),
    )
