from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.core.exports import csv_response
from kelisim.core.models import Region, Strand
from kelisim.core.pagecache import EVERYTHING, public_page
from kelisim.organisations import rules, selectors, services
from kelisim.organisations.forms import (
    ImportForm,
    MemberRoleForm,
    OrganisationProfileForm,
    OrganisationRegistrationForm,
    OrganisationSearchForm,
    VerificationForm,
)
from kelisim.organisations.importing import columns as import_columns
from kelisim.organisations.models import ImportJob, Membership, Organisation
from kelisim.organisations.view_helpers import act_and_tell, save_form

PAGE_SIZE = 25


# --- Public pages ------------------------------------------------------------------------------


@require_GET
@public_page("organisations", "core")
def organisation_list(request):
    form = OrganisationSearchForm(request.GET or None)
    filters = form.filters()
    paginator = Paginator(selectors.organisation_list(filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "organisations": page.object_list,
        "filters": filters,
        "export_query": request.GET.urlencode(),
    }
    if request.htmx and request.htmx.target == "organisation-results":
        return render(request, "organisations/_results.html", context)
    return render(request, "organisations/list.html", context)


@require_GET
def organisation_export(request):
    """The filtered list as CSV, public columns only, streamed so 23,000 rows never sit in memory."""
    filters = OrganisationSearchForm(request.GET or None).filters()
    filename = f"organisations-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, selectors.EXPORT_COLUMNS, selectors.export_rows(filters))


@require_GET
@public_page(*EVERYTHING)
def organisation_detail(request, pk):
    try:
        organisation = selectors.organisation_detail(pk)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    membership = selectors.membership_of(request.user, organisation)
    can_manage = rules.can_manage_as_member(request.user, membership)
    if organisation.verification_status == Organisation.Verification.EXCLUDED and not can_manage:
        raise Http404
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "membership": membership,
            "can_manage": can_manage,
            "show_private": can_manage,
            "is_officer": request.user.is_authenticated and request.user.is_officer,
        },
    )


# --- Registering and keeping a profile ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisation_register(request):
    form = OrganisationRegistrationForm(request.POST or None)
    saved = save_form(
        request,
        form,
        lambda: services.register_organisation(actor=request.user, **form.profile()),
        success_message=_("The organisation is registered. You are its admin; an officer will verify it."),
    )
    return saved or render(request, "organisations/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    if not rules.can_manage(request.user, organisation):
        raise PermissionDenied
    form = OrganisationProfileForm(
        request.POST or None, instance=organisation, initial={"focus_strands": organisation.focus_strands.all()}
    )
    saved = save_form(
        request,
        form,
        lambda: services.update_organisation(actor=request.user, organisation=organisation, **form.profile()),
        success_message=_("The profile is saved."),
    )
    return saved or render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


# --- Members -----------------------------------------------------------------------------------


@login_required
@require_POST
def membership_request(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    act_and_tell(
        request,
        lambda: services.request_membership(actor=request.user, organisation=organisation),
        _("Your request is sent. An admin of the organisation will decide."),
    )
    return redirect(organisation)


@login_required
@require_POST
def membership_leave(request, pk):
    membership = get_object_or_404(Membership, organisation_id=pk, user=request.user)
    act_and_tell(
        request,
        lambda: services.remove_member(actor=request.user, membership=membership),
        _("You left the organisation."),
    )
    return redirect("organisations:detail", pk=pk)


@login_required
@require_GET
def member_list(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    if not rules.can_manage(request.user, organisation):
        raise PermissionDenied
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "memberships": selectors.members(organisation),
            "role_choices": Membership.Role.choices,
        },
    )


@officer_required
@require_GET
def join_requests(request):
    """Officers' queue: requests to join organisations that have no admin to answer them."""
    page = Paginator(selectors.join_requests_without_admin(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/join_requests.html", {"page_obj": page})


def _membership_action(request, pk, membership_pk, action, success_message):
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), pk=membership_pk, organisation_id=pk
    )
    act_and_tell(request, lambda: action(membership), success_message)
    return redirect("organisations:members", pk=pk)


@login_required
@require_POST
def membership_decide(request, pk, membership_pk):
    approve = request.POST.get("decision") == "approve"
    return _membership_action(
        request,
        pk,
        membership_pk,
        lambda membership: services.decide_membership(actor=request.user, membership=membership, approve=approve),
        _("The request is approved.") if approve else _("The request is declined."),
    )


@login_required
@require_POST
def membership_role(request, pk, membership_pk):
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a role."))
        return redirect("organisations:members", pk=pk)
    return _membership_action(
        request,
        pk,
        membership_pk,
        lambda membership: services.change_member_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        ),
        _("The role is changed."),
    )


@login_required
@require_POST
def membership_remove(request, pk, membership_pk):
    return _membership_action(
        request,
        pk,
        membership_pk,
        lambda membership: services.remove_member(actor=request.user, membership=membership),
        _("The member is removed."),
    )


# --- Officers ----------------------------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def organisation_verify(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("region", "verified_by"), pk=pk)
    form = VerificationForm(request.POST or None, organisation=organisation)

    def move():
        return services.transition_verification(actor=request.user, organisation=organisation, **form.move())

    saved = save_form(request, form, move, success_message=_("The verification status is saved."))
    return saved or render(request, "organisations/verify.html", {"form": form, "organisation": organisation})


@officer_required
@require_GET
def organisation_history(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    return render(
        request,
        "organisations/history.html",
        {"organisation": organisation, "records": selectors.organisation_history(organisation)},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    saved = save_form(
        request,
        form,
        lambda: services.start_import(
            actor=request.user, uploaded_file=form.cleaned_data["source"], mode=form.cleaned_data["mode"]
        ),
        next_url=lambda job: reverse("organisations:import_detail", args=[job.pk]),
    )
    return saved or render(
        request,
        "organisations/import_upload.html",
        {
            "form": form,
            "columns": import_columns.COLUMNS,
            "legal_forms": Organisation.LegalForm.choices,
            "regions": Region.objects.all(),
            "strands": Strand.objects.all(),
            "recent_jobs": ImportJob.objects.select_related("created_by")[:10],
        },
    )


@officer_required
@require_GET
def import_detail(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "confirmed_by"), pk=pk)
    labels = import_columns.field_labels()
    for update in (job.preview or {}).get("updates", []):
        for change in update["changes"]:
            change["label"] = labels.get(change["field"], change["field"])
    context = {"job": job}
    if request.htmx:
        return render(request, "organisations/_import_status.html", context)
    return render(request, "organisations/import_detail.html", context)


@officer_required
@require_POST
def import_decide(request, pk):
    """Write the checked file as previewed, or cancel it (nothing written)."""
    job = get_object_or_404(ImportJob, pk=pk)
    if request.POST.get("decision") == "confirm":
        act_and_tell(
            request,
            lambda: services.confirm_import(actor=request.user, job=job),
            _("Confirmed: the rows are being written."),
        )
    else:
        act_and_tell(
            request, lambda: services.cancel_import(actor=request.user, job=job), _("Cancelled: nothing was imported.")
        )
    return redirect("organisations:import_detail", pk=job.pk)


@officer_required
@require_GET
def import_template(request, file_format):
    if file_format == "csv":
        response = HttpResponse(import_columns.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            import_columns.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="organisations-template.{file_format}"'
    return response
