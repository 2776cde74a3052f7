"""Contracts: the public register and pages, OCDS data, and the officer's milestones, status, amendments and
report decisions; the organisation's milestone reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.core.exports import csv_response, xlsx_bytes, xlsx_response
from kelisim.core.forms import apply_validation_error
from kelisim.core.pagecache import public_page
from kelisim.funding import giving360, ocds, rules, selectors, services
from kelisim.funding.forms import (
    AmendmentForm,
    ContractStatusForm,
    ContractTextsForm,
    MilestoneForm,
    MilestoneReportForm,
    MilestoneTextsForm,
    ReportDecisionForm,
)
from kelisim.funding.models import Contract, Milestone, MilestoneReport, ReportEvidence
from kelisim.funding.views.common import download, message_errors

PAGE_SIZE = 25


@require_GET
@public_page("funding", "organisations", "core", members=True)
def contract_register(request):
    q = (request.GET.get("q") or "").strip()[:200]
    paginator = Paginator(selectors.search_contracts(selectors.public_contracts(), q), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "funding/contract_register.html", {"page_obj": page, "contracts": page.object_list, "q": q})


@require_GET
@public_page("funding", "organisations", "activities", "core")
def contract_detail(request, number):
    contract = selectors.contract_page(number, request.user)
    if contract is None:
        raise Http404
    is_officer = rules.is_officer(request.user)
    context = {
        "contract": contract,
        "application": contract.application,
        "is_officer": is_officer,
        "is_holder": rules.is_applicant(request.user, contract.application),
        "ocid": ocds.ocid_for(contract),
    }
    if is_officer:
        context |= {
            "milestone_form": MilestoneForm(),
            "status_form": ContractStatusForm(),
            "amendment_form": AmendmentForm(),
            "decision_form": ReportDecisionForm(),
        }
    return render(request, "funding/contract_detail.html", context)


def _json_stream(chunks, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _public_contract_package(request, number: str, stream, kind: str) -> StreamingHttpResponse:
    """One public contract's OCDS release or record package."""
    queryset = ocds.contract_queryset().filter(number=number)
    if not queryset.exists():
        raise Http404
    return _json_stream(stream(queryset, uri=request.build_absolute_uri()), f"{number}-{kind}-package.json")


@require_GET
def ocds_contract_release(request, number):
    return _public_contract_package(request, number, ocds.release_package_stream, "release")


@require_GET
def ocds_contract_record(request, number):
    return _public_contract_package(request, number, ocds.record_package_stream, "record")


@require_GET
def ocds_releases(request):
    return _json_stream(ocds.release_package_stream(uri=request.build_absolute_uri()), "kelisim-releases.json")


@require_GET
def ocds_records(request):
    return _json_stream(ocds.record_package_stream(uri=request.build_absolute_uri()), "kelisim-records.json")


@require_GET
def giving360_json(request):
    """Awarded grants as a 360Giving 1.4 JSON package."""
    return _json_stream(giving360.package_stream(uri=request.build_absolute_uri()), "kelisim-grants.json")


@require_GET
def giving360_xlsx(request):
    """Awarded grants in 360Giving's spreadsheet form (one row per grant, the standard's column titles)."""
    content = xlsx_bytes(giving360.spreadsheet_header(), giving360.spreadsheet_rows())
    return xlsx_response("kelisim-grants-360giving.xlsx", content)


@require_GET
def giving360_csv(request):
    return csv_response("kelisim-grants-360giving.csv", giving360.spreadsheet_header(), giving360.spreadsheet_rows())


def _officer_change(request, contract, form, change, *, done: str, form_refused: list[str] | None = None):
    """Run an officer's change to a contract from a small form on its page; say what happened as a message.
    A form that does not validate says ``form_refused`` (by default, the form's own errors)."""
    if not form.is_valid():
        refusals = [m for errors in form.errors.values() for m in errors] if form_refused is None else form_refused
        for message in refusals:
            messages.error(request, message)
        return redirect(contract)
    try:
        change(form.cleaned_data)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, done)
    return redirect(contract)


def _contract_change(form_class, change, *, done, form_refused=None):
    """An officer's view that changes a contract from a small form on its page: ``change(actor, contract, data)``."""

    @officer_required
    @require_POST
    def view(request, number):
        contract = get_object_or_404(Contract, number=number)
        return _officer_change(
            request,
            contract,
            form_class(request.POST),
            lambda data: change(request.user, contract, data),
            done=done,
            form_refused=form_refused,
        )

    return view


milestone_add = _contract_change(
    MilestoneForm,
    lambda actor, contract, data: services.add_milestone(actor=actor, contract=contract, **data),
    done=gettext_lazy("The milestone was added."),
)
contract_status = _contract_change(
    ContractStatusForm,
    lambda actor, contract, data: services.transition_contract(
        actor=actor, contract=contract, to=data["status"], reason=data["reason"]
    ),
    done=gettext_lazy("The contract's status was changed."),
    form_refused=[],
)
contract_amend = _contract_change(
    AmendmentForm,
    lambda actor, contract, data: services.amend_contract(
        actor=actor,
        contract=contract,
        reason=data["reason"],
        amount_kzt=data["amount_kzt"],
        period_end=data["period_end"],
    ),
    done=gettext_lazy("The amendment was recorded as a new version."),
    form_refused=[gettext_lazy("Give the reason for the amendment.")],
)


@officer_required
@require_POST
def report_decide(request, pk):
    report = get_object_or_404(MilestoneReport.objects.select_related("milestone__contract"), pk=pk)
    return _officer_change(
        request,
        report.milestone.contract,
        ReportDecisionForm(request.POST),
        lambda data: services.decide_milestone_report(actor=request.user, report=report, **data),
        done=_("The decision on the report was recorded."),
        form_refused=[_("Choose whether to accept or return the report.")],
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_report(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("contract__application__organisation"), pk=pk)
    if not rules.is_applicant(request.user, milestone.contract.application):
        raise Http404
    form = MilestoneReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_milestone_report(
                actor=request.user,
                milestone=milestone,
                narrative=form.cleaned_data["narrative"],
                files=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your report was sent to the programme officer."))
            return redirect(milestone.contract)
    return render(request, "funding/milestone_report.html", {"milestone": milestone, "form": form})


@officer_required
@require_http_methods(["GET", "POST"])
def milestone_texts(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("contract"), pk=pk)
    initial = {name: getattr(milestone, name) for name in MilestoneTextsForm.base_fields}
    form = MilestoneTextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.translate_milestone(actor=request.user, milestone=milestone, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The milestone's wording is saved."))
            return redirect(milestone.contract)
    return render(request, "funding/milestone_texts.html", {"milestone": milestone, "form": form})


@officer_required
@require_http_methods(["GET", "POST"])
def contract_texts(request, number):
    """The contract's title and summary in the three languages, with links to its milestones' own wording."""
    contract = get_object_or_404(Contract.objects.select_related("application"), number=number)
    initial = {name: getattr(contract, name) for name in ContractTextsForm.base_fields}
    form = ContractTextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.translate_contract(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The contract's wording is saved."))
            return redirect(contract)
    context = {"contract": contract, "form": form, "milestones": contract.milestones.all()}
    return render(request, "funding/contract_texts.html", context)


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = get_object_or_404(
        ReportEvidence.objects.select_related("report__milestone__contract__application"), pk=pk
    )
    application = evidence.report.milestone.contract.application
    if not (rules.is_officer(request.user) or rules.is_applicant(request.user, application)):
        raise Http404
    return download(evidence.file, evidence.original_name, f"evidence-{evidence.pk}")
