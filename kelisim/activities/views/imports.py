from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.activities import importing, rules, services
from kelisim.activities.forms import ImportForm
from kelisim.activities.models import ReportImport
from kelisim.core.forms import apply_validation_error
from kelisim.organisations.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        rules.require_reporter(request.user, organisation)
    response = HttpResponse(importing.template_xlsx(organisation=organisation), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="activity-reports-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    rules.require_reporter(request.user, organisation)
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
    rules.require_reporter(request.user, job.organisation)
    context = {"job": job}
    if request.htmx:
        return render(request, "activities/_import_status.html", context)
    return render(request, "activities/import_detail.html", context)


@login_required
@require_POST
def import_decide(request, pk):
    """Write the previewed reports, or cancel the import (nothing written)."""
    job = get_object_or_404(ReportImport.objects.select_related("organisation"), pk=pk)
    rules.require_reporter(request.user, job.organisation)
    try:
        if request.POST.get("decision") == "confirm":
            services.confirm_import(actor=request.user, job=job)
            messages.success(request, _("Confirmed: the reports are being written."))
        else:
            services.cancel_import(actor=request.user, job=job)
            messages.success(request, _("Cancelled: nothing was imported."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("activities:import_detail", pk=job.pk)
