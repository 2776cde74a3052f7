import re
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.accounts.permissions import require_officer
from kelisim.core.forms import apply_validation_error
from kelisim.funding import ocds, rules, selectors, services
from kelisim.funding.forms import (
    MAX_BUDGET_LINES,
    AmendmentForm,
    ApplicationForm,
    AssignForm,
    CallForm,
    ConflictForm,
    ContractForm,
    ContractStatusForm,
    CriterionForm,
    DeterminationForm,
    MilestoneForm,
    MilestoneReportForm,
    QuestionForm,
    ReportDecisionForm,
    ReviewForm,
)
from kelisim.funding.models import (
    Application,
    Attachment,
    Call,
    Contract,
    Criterion,
    Milestone,
    MilestoneReport,
    Question,
    ReportEvidence,
    ReviewAssignment,
    RevisionFile,
)
from kelisim.organisations.models import Organisation

PAGE_SIZE = 25
STASH_SECONDS = 24 * 3600


def _message_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Public register ----------------------------------------------------------------------------


@require_GET
def call_list(request):
    calls = selectors.calls_for(request.user)
    return render(request, "funding/call_list.html", {"calls": calls, "is_officer": rules.is_officer(request.user)})


@require_GET
def call_detail(request, reference):
    call = selectors.call_detail(reference, request.user)
    if call is None:
        raise Http404
    organisations = []
    if request.user.is_authenticated:
        member_ids = rules.member_organisation_ids(request.user)
        for organisation in Organisation.objects.filter(pk__in=member_ids).select_related("region"):
            existing = Application.objects.filter(call=call, organisation=organisation).first()
            organisations.append(
                {
                    "organisation": organisation,
                    "problems": rules.eligibility_problems(call, organisation),
                    "application": existing,
                }
            )
    context = {
        "call": call,
        "is_open": call.is_open(),
        "organisations": organisations,
        "is_officer": rules.is_officer(request.user),
        "awarded": selectors.public_contracts().filter(application__call=call),
    }
    return render(request, "funding/call_detail.html", context)


@require_GET
def contract_register(request):
    paginator = Paginator(selectors.public_contracts(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "funding/contract_register.html", {"page_obj": page, "contracts": page.object_list})


@require_GET
def contract_detail(request, number):
    contract = selectors.contract_page(number, request.user)
    if contract is None:
        raise Http404
    is_officer = rules.is_officer(request.user)
    is_holder = rules.is_applicant(request.user, contract.application)
    context = {
        "contract": contract,
        "application": contract.application,
        "is_officer": is_officer,
        "is_holder": is_holder,
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


def _public_contract(number: str) -> Contract:
    contract = ocds.contract_queryset().filter(number=number).first()
    if contract is None:
        raise Http404
    return contract


@require_GET
def ocds_contract_release(request, number):
    queryset = ocds.contract_queryset().filter(number=number)
    _public_contract(number)
    uri = request.build_absolute_uri()
    return _json_stream(ocds.release_package_stream(queryset, uri=uri), f"{number}-release-package.json")


@require_GET
def ocds_contract_record(request, number):
    queryset = ocds.contract_queryset().filter(number=number)
    _public_contract(number)
    uri = request.build_absolute_uri()
    return _json_stream(ocds.record_package_stream(queryset, uri=uri), f"{number}-record-package.json")


@require_GET
def ocds_releases(request):
    return _json_stream(ocds.release_package_stream(uri=request.build_absolute_uri()), "kelisim-releases.json")


@require_GET
def ocds_records(request):
    return _json_stream(ocds.record_package_stream(uri=request.build_absolute_uri()), "kelisim-records.json")


# --- Officers: calls ------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request):
    require_officer(request.user)
    context = {
        "calls": selectors.calls_for(request.user),
        "overdue": selectors.overdue_milestones(),
        "reports": selectors.reports_waiting(),
        "contracts": selectors.contracts_for(request.user)[:50],
    }
    return render(request, "funding/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request):
    require_officer(request.user)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.save_call(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The call was saved as a draft. Add its questions and criteria."))
            return redirect("funding:call_edit", reference=call.reference)
    return render(request, "funding/call_form.html", {"form": form})


def _officer_call(request, reference) -> Call:
    require_officer(request.user)
    return get_object_or_404(Call, reference=reference)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, reference):
    call = _officer_call(request, reference)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.save_call(actor=request.user, call=call, **values)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The call was saved."))
            return redirect("funding:call_edit", reference=call.reference)
    return _render_call_edit(request, call, form=form)


def _render_call_edit(request, call, *, form=None, question_form=None, criterion_form=None):
    criteria = list(call.criteria.all())
    context = {
        "call": call,
        "form": form or CallForm(instance=call),
        "question_form": question_form or QuestionForm(),
        "criterion_form": criterion_form or CriterionForm(),
        "questions": call.questions.all(),
        "criteria": criteria,
        "weights": sum(criterion.weight for criterion in criteria),
    }
    return render(request, "funding/call_edit.html", context)


def _add_call_part(request, reference, *, form_class, add, form_key: str, added: str):
    """Add a question or a criterion; a refused one comes back on the page with what was typed."""
    call = _officer_call(request, reference)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            add(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # about the call itself (e.g. no longer a draft)
                _message_errors(request, error)
                return redirect("funding:call_edit", reference=call.reference)
            apply_validation_error(form, error)
        else:
            messages.success(request, added)
            return redirect("funding:call_edit", reference=call.reference)
    return _render_call_edit(request, call, **{form_key: form})


def _change_call_part(request, part, change):
    require_officer(request.user)
    try:
        change(actor=request.user, part=part)
    except ValidationError as error:
        _message_errors(request, error)
    return redirect("funding:call_edit", reference=part.call.reference)


@login_required
@require_POST
def question_add(request, reference):
    return _add_call_part(
        request,
        reference,
        form_class=QuestionForm,
        add=services.add_question,
        form_key="question_form",
        added=_("The question was added."),
    )


@login_required
@require_POST
def question_remove(request, pk):
    question = get_object_or_404(Question.objects.select_related("call"), pk=pk)
    return _change_call_part(
        request, question, lambda actor, part: services.remove_question(actor=actor, question=part)
    )


@login_required
@require_POST
def question_move(request, pk):
    question = get_object_or_404(Question.objects.select_related("call"), pk=pk)
    direction = request.POST.get("direction", "")
    return _change_call_part(
        request, question, lambda actor, part: services.move_question(actor=actor, question=part, direction=direction)
    )


@login_required
@require_POST
def criterion_add(request, reference):
    return _add_call_part(
        request,
        reference,
        form_class=CriterionForm,
        add=services.add_criterion,
        form_key="criterion_form",
        added=_("The criterion was added."),
    )


@login_required
@require_POST
def criterion_remove(request, pk):
    criterion = get_object_or_404(Criterion.objects.select_related("call"), pk=pk)
    return _change_call_part(
        request, criterion, lambda actor, part: services.remove_criterion(actor=actor, criterion=part)
    )


@login_required
@require_POST
def call_status(request, reference):
    call = _officer_call(request, reference)
    try:
        services.set_call_status(
            actor=request.user, call=call, status=request.POST.get("status", ""), reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The call's status was changed."))
    except ValidationError as error:
        _message_errors(request, error)
    return redirect("funding:call_edit", reference=call.reference)


@login_required
@require_GET
def ranking(request, reference):
    call = _officer_call(request, reference)
    context = {
        "call": call,
        "rows": selectors.ranking(call),
        "criteria": list(call.criteria.all()),
        "divergence": selectors.DIVERGENCE_POINTS,
        "min_reviewers": services.MIN_REVIEWERS,
        "has_budget": rules.budget_question(call.questions.all()) is not None,
    }
    return render(request, "funding/ranking.html", context)


# --- Applications -------------------------------------------------------------------------------


@login_required
@require_GET
def application_list(request):
    applications = selectors.applications_for(request.user)
    return render(
        request,
        "funding/application_list.html",
        {"applications": applications, "is_officer": rules.is_officer(request.user)},
    )


@login_required
@require_POST
def application_start(request, reference):
    call = get_object_or_404(Call.objects.exclude(status=Call.Status.DRAFT), reference=reference)
    organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation") or 0)
    try:
        application = services.start_application(actor=request.user, call=call, organisation=organisation)
    except ValidationError as error:
        _message_errors(request, error)
        return redirect(call)
    return redirect("funding:application_edit", pk=application.pk)


def _visible_application(request, pk) -> Application:
    application = selectors.application_page(pk)
    if application is None or not rules.can_view_application(request.user, application):
        raise Http404
    return application


@login_required
@require_GET
def application_detail(request, pk):
    return _render_application(request, _visible_application(request, pk))


def _render_application(request, application, *, determination_form=None, contract_form=None):
    """The application page; an officer's refused determination or contract comes back with what was typed."""
    is_officer = rules.is_officer(request.user)
    questions = list(application.call.questions.all())
    answers = [
        (
            question,
            application.answers.get(str(question.pk), ""),
            [a for a in application.attachments.all() if a.question_id == question.pk],
        )
        for question in questions
    ]
    context = {
        "application": application,
        "call": application.call,
        "answers": answers,
        "is_officer": is_officer,
        "can_edit": rules.can_edit_application(request.user, application),
        "general_attachments": [a for a in application.attachments.all() if a.question_id is None],
        "revisions": _submitted_revisions(application, questions),
    }
    if is_officer:
        reviews_in = rules.submitted_review_count(application)
        requested = application.budget_total or None  # the budget's total, when the call asks for a budget
        context |= {
            "assignments": application.assignments.select_related("reviewer"),
            "assign_form": AssignForm(application=application),
            "suggested": services.suggest_reviewers(application),
            "reviews_progress": rules.reviews_progress(reviews_in),
            "determination_form": determination_form
            or DeterminationForm(initial={"amount_kzt": requested}, reviews_in=reviews_in),
            "contract": Contract.objects.filter(application=application).first(),
            "contract_form": contract_form or ContractForm(),
        }
    return render(request, "funding/application_detail.html", context)


def _submitted_revisions(application, questions) -> list[dict]:
    """Every submitted revision as it was sent: answers by question, budget and files."""
    has_budget = rules.budget_question(questions) is not None
    revisions = []
    for revision in application.revisions.all():
        files = list(revision.files.all())
        revisions.append(
            {
                "revision": revision,
                "has_budget": has_budget,
                "answers": [
                    (
                        question,
                        revision.answers.get(str(question.pk), ""),
                        [f for f in files if f.question_id == question.pk],
                    )
                    for question in questions
                ],
            }
        )
    return revisions


def _stash_key(application_pk: int, token: str) -> str:
    return f"funding:stash:{application_pk}:{token}"


@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    if not request.user.is_authenticated:
        # The session expired while the applicant was typing: keep what they sent and give it back after sign-in.
        if request.method == "POST":
            token = secrets.token_urlsafe(16)
            typed = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
            cache.set(_stash_key(pk, token), typed, STASH_SECONDS)
            return redirect_to_login(f"{reverse('funding:application_edit', args=[pk])}?restore={token}")
        return redirect_to_login(request.get_full_path())
    application = selectors.application_page(pk)
    if application is None or not rules.is_applicant(request.user, application):
        raise Http404
    if not application.is_editable:
        messages.info(request, _("This application was submitted and is read-only."))
        return redirect(application)
    questions = list(application.call.questions.all())
    eligibility = rules.eligibility_problems(application.call, application.organisation)
    if request.method == "GET":
        stash = cache.get(_stash_key(pk, request.GET.get("restore", ""))) if request.GET.get("restore") else None
        if stash:
            form = ApplicationForm(stash, questions=questions, application=application)
            messages.info(request, _("We kept what you typed before you were signed out. Save it to keep it."))
        else:
            form = ApplicationForm(questions=questions, application=application)
        return _edit_page(request, application, form, eligibility)
    form = ApplicationForm(request.POST, request.FILES, questions=questions, application=application)
    title, summary, answers, budget, files = form.values()
    problems = services.save_draft(
        actor=request.user, application=application, title=title, summary=summary, answers=answers, budget=budget
    )
    file_problems = {}
    for question in questions:
        uploaded = files.get(question.pk)
        if uploaded is not None:
            try:
                services.add_attachment(
                    actor=request.user, application=application, uploaded=uploaded, question=question
                )
            except ValidationError as error:
                file_problems[question.field_name] = error.messages
    application = selectors.application_page(pk)
    problems = rules.application_problems(application)
    for name, messages_ in file_problems.items():
        problems.setdefault(name, []).extend(messages_)
    if form.budget_problems:
        problems.setdefault("budget", []).extend(form.budget_problems)
    refusals = []
    if request.POST.get("action") == "submit" and not file_problems and not form.budget_problems:
        try:
            services.submit_application(actor=request.user, application=application)
        except ValidationError as error:
            messages.error(request, _("The application was saved but not submitted: please see the problems below."))
            if getattr(error, "code", None) != "incomplete":
                refusals = error.messages
        else:
            messages.success(request, _("The application was submitted. A receipt was sent by email."))
            return redirect(application)
    else:
        messages.success(request, _("Your draft was saved."))
    # The bound form shows exactly what was typed; the problems come from the saved draft's rules.
    form._errors = {}
    form.cleaned_data = {}
    for message in refusals:
        form.add_error(None, message)
    form.show_problems(problems)
    return _edit_page(request, application, form, eligibility, status=200)


def _edit_page(request, application, form, eligibility, status=200):
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "eligibility": eligibility,
        "attachments": {a.question_id: a for a in application.attachments.all()},
        "budget_total": application.budget_total,
        "max_budget_lines": MAX_BUDGET_LINES,
    }
    return render(request, "funding/application_edit.html", context, status=status)


def _attachment_for(request, pk) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    if not rules.can_view_application(request.user, attachment.application):
        raise Http404
    return attachment


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = _attachment_for(request, pk)
    return _file_response(attachment.file, attachment.content_type, attachment.pk, attachment.original_name)


@login_required
@require_GET
def revision_file_download(request, pk):
    """A file as a revision was submitted with, for whoever may read the application."""
    submitted = get_object_or_404(RevisionFile.objects.select_related("revision__application"), pk=pk)
    if not rules.can_view_application(request.user, submitted.revision.application):
        raise Http404
    prefix = f"r{submitted.revision.number}"
    return _file_response(submitted.file, submitted.content_type, prefix, submitted.original_name)


def _file_response(stored, content_type: str, prefix, original_name: str) -> FileResponse:
    response = FileResponse(stored.open("rb"), content_type=content_type)
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", original_name)[-100:] or "file"
    response["Content-Disposition"] = f'attachment; filename="{prefix}-{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = _attachment_for(request, pk)
    if not rules.is_applicant(request.user, attachment.application):
        raise Http404
    application = attachment.application
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
    except ValidationError as error:
        _message_errors(request, error)
    return redirect("funding:application_edit", pk=application.pk)


@login_required
@require_POST
def application_assign(request, pk):
    require_officer(request.user)
    application = get_object_or_404(Application, pk=pk)
    try:
        if request.POST.get("balanced"):
            assigned = services.assign_balanced(actor=request.user, application=application)
            messages.success(
                request,
                ngettext("%(count)d reviewer was assigned.", "%(count)d reviewers were assigned.", len(assigned))
                % {"count": len(assigned)},
            )
        else:
            form = AssignForm(request.POST, application=application)
            if not form.is_valid():
                messages.error(request, _("Choose a reviewer."))
            else:
                assignment = services.assign_reviewer(
                    actor=request.user, application=application, reviewer=form.cleaned_data["reviewer"]
                )
                if assignment.automatic_conflict:
                    messages.warning(
                        request, _("This reviewer is a member of the applicant and was flagged as conflicted.")
                    )
                else:
                    messages.success(request, _("The reviewer was assigned."))
    except ValidationError as error:
        _message_errors(request, error)
    return redirect(application)


@login_required
@require_POST
def application_determine(request, pk):
    require_officer(request.user)
    application = get_object_or_404(Application, pk=pk)
    form = DeterminationForm(request.POST, reviews_in=rules.submitted_review_count(application))
    if form.is_valid():
        try:
            services.determine_application(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The decision was recorded and sent to the applicant."))
            return redirect(application)
    return _render_application(request, selectors.application_page(pk), determination_form=form)


@login_required
@require_POST
def contract_create(request, pk):
    require_officer(request.user)
    application = get_object_or_404(Application, pk=pk)
    form = ContractForm(request.POST)
    if form.is_valid():
        try:
            contract = services.create_contract(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The contract was drafted. Add its milestones, then sign it."))
            return redirect(contract)
    return _render_application(request, selectors.application_page(pk), contract_form=form)


# --- Review ---------------------------------------------------------------------------------------


@login_required
@require_GET
def review_list(request):
    if not request.user.is_reviewer:
        raise PermissionDenied(_("Only reviewers have reviews."))
    return render(request, "funding/review_list.html", {"assignments": selectors.review_assignments_for(request.user)})


def _own_assignment(request, pk) -> ReviewAssignment:
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("application__call", "application__organisation"), pk=pk
    )
    if (
        assignment.reviewer_id != request.user.pk
        or rules.visible_assignment(request.user, assignment.application) is None
    ):
        raise Http404
    return assignment


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    assignment = _own_assignment(request, pk)
    application = selectors.application_page(assignment.application_id)
    call = application.call
    criteria = list(call.criteria.all())
    form = ReviewForm(request.POST or None, criteria=criteria, scale_max=call.scale_max)
    if request.method == "POST":
        if assignment.status != ReviewAssignment.Status.ASSIGNED:
            messages.info(request, _("Your review was already submitted."))
            return redirect("funding:review", pk=assignment.pk)
        if form.is_valid():
            try:
                services.submit_review(
                    actor=request.user,
                    assignment=assignment,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your review was submitted. You can now see the other reviewers' scores."))
                return redirect("funding:review", pk=assignment.pk)
    assignment.refresh_from_db()
    context = {
        "assignment": assignment,
        "application": application,
        "call": call,
        "answers": [(q, application.answers.get(str(q.pk), "")) for q in call.questions.all()],
        "has_budget": rules.budget_question(call.questions.all()) is not None,
        "form": form,
        "conflict_form": ConflictForm(),
        "own_scores": list(assignment.scores.select_related("criterion")),
        "others": selectors.scores_visible_to(assignment),
        "decided": application.status in services.DECIDED_STATUSES,
    }
    return render(request, "funding/review.html", context)


@login_required
@require_POST
def review_conflict(request, pk):
    assignment = _own_assignment(request, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.declare_conflict(actor=request.user, assignment=assignment, note=form.cleaned_data["note"])
        except ValidationError as error:
            _message_errors(request, error)
            return redirect("funding:review", pk=assignment.pk)
        messages.success(request, _("Your conflict of interest was recorded; the officer will assign someone else."))
        return redirect("funding:review_list")
    messages.error(request, _("Say briefly what the conflict is."))
    return redirect("funding:review", pk=assignment.pk)


# --- Contracts ------------------------------------------------------------------------------------


def _officer_contract(request, number) -> Contract:
    require_officer(request.user)
    return get_object_or_404(Contract, number=number)


@login_required
@require_POST
def milestone_add(request, number):
    contract = _officer_contract(request, number)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.add_milestone(actor=request.user, contract=contract, **form.cleaned_data)
            messages.success(request, _("The milestone was added."))
        except ValidationError as error:
            _message_errors(request, error)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(contract)


@login_required
@require_POST
def contract_status(request, number):
    contract = _officer_contract(request, number)
    form = ContractStatusForm(request.POST)
    if form.is_valid():
        try:
            services.transition_contract(actor=request.user, contract=contract, **form.cleaned_data)
            messages.success(request, _("The contract's status was changed."))
        except ValidationError as error:
            _message_errors(request, error)
    return redirect(contract)


@login_required
@require_POST
def contract_amend(request, number):
    contract = _officer_contract(request, number)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.amend_contract(
                actor=request.user,
                contract=contract,
                reason=data["reason"],
                amount_kzt=data["amount_kzt"],
                period_end=data["period_end"],
            )
            messages.success(request, _("The amendment was recorded as a new version."))
        except ValidationError as error:
            _message_errors(request, error)
    else:
        messages.error(request, _("Give the reason for the amendment."))
    return redirect(contract)


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
                files=request.FILES.getlist("evidence"),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your report was sent to the programme officer."))
            return redirect(milestone.contract)
    return render(request, "funding/milestone_report.html", {"milestone": milestone, "form": form})


@login_required
@require_POST
def report_decide(request, pk):
    require_officer(request.user)
    report = get_object_or_404(MilestoneReport.objects.select_related("milestone__contract"), pk=pk)
    form = ReportDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_milestone_report(actor=request.user, report=report, **form.cleaned_data)
            messages.success(request, _("The decision on the report was recorded."))
        except ValidationError as error:
            _message_errors(request, error)
    else:
        messages.error(request, _("Choose whether to accept or return the report."))
    return redirect(report.milestone.contract)


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = get_object_or_404(
        ReportEvidence.objects.select_related("report__milestone__contract__application"), pk=pk
    )
    application = evidence.report.milestone.contract.application
    if not (rules.is_officer(request.user) or rules.is_applicant(request.user, application)):
        raise Http404
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["Content-Disposition"] = f'attachment; filename="evidence-{evidence.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
