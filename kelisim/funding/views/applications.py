"""Applications: the applicant's list, draft editor and files; the application page (with the officer's
determination and contract forms)."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.core.forms import apply_validation_error
from kelisim.funding import rules, selectors, services
from kelisim.funding.forms import MAX_BUDGET_LINES, ApplicationForm, AssignForm, ContractForm, DeterminationForm
from kelisim.funding.models import Application, Attachment, Call, Contract, RevisionFile
from kelisim.funding.views.common import download, message_errors
from kelisim.organisations.models import Organisation

STASH_SECONDS = 24 * 3600


@login_required
@require_GET
def application_list(request):
    status = request.GET.get("status", "")
    if status not in selectors.APPLICATION_LIST_FILTERS:
        status = ""
    applications = selectors.filter_applications(selectors.applications_for(request.user), status)
    return render(
        request,
        "funding/application_list.html",
        {
            "applications": applications,
            "is_officer": rules.is_officer(request.user),
            "status": status,
            "status_choices": selectors.application_filter_choices(),
        },
    )


@login_required
@require_POST
def application_start(request, reference):
    call = get_object_or_404(Call.objects.exclude(status=Call.Status.DRAFT), reference=reference)
    organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation") or 0)
    try:
        application = services.start_application(actor=request.user, call=call, organisation=organisation)
    except ValidationError as error:
        message_errors(request, error)
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
    return render_application(request, _visible_application(request, pk))


def render_application(request, application, *, determination_form=None, contract_form=None):
    """The application page; an officer's refused determination or contract comes back with what was typed."""
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
        "is_officer": rules.is_officer(request.user),
        "can_edit": rules.can_edit_application(request.user, application),
        "general_attachments": [a for a in application.attachments.all() if a.question_id is None],
        "revisions": _submitted_revisions(application, questions),
    }
    if context["is_officer"]:
        context |= _officer_context(application, determination_form, contract_form)
    return render(request, "funding/application_detail.html", context)


def _officer_context(application, determination_form, contract_form) -> dict:
    """Reviewers, the determination and the contract, for officers."""
    reviews_in = rules.submitted_review_count(application)
    requested = application.budget_total or None  # the budget's total, when the call asks for a budget
    return {
        "assignments": application.assignments.select_related("reviewer"),
        "assign_form": AssignForm(application=application),
        "suggested": services.suggest_reviewers(application),
        "reviews_progress": rules.reviews_progress(reviews_in),
        "determination_form": determination_form
        or DeterminationForm(initial={"amount_kzt": requested}, reviews_in=reviews_in),
        "contract": Contract.objects.filter(application=application).first(),
        "contract_form": contract_form or ContractForm(),
    }


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


def _sign_in_keeping_typed(request, pk):
    """The session expired while the applicant was typing: keep what they sent and give it back after sign-in."""
    if request.method != "POST":
        return redirect_to_login(request.get_full_path())
    token = secrets.token_urlsafe(16)
    typed = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    cache.set(_stash_key(pk, token), typed, STASH_SECONDS)
    return redirect_to_login(f"{reverse('funding:application_edit', args=[pk])}?restore={token}")


def _form_to_continue(request, application, questions) -> ApplicationForm:
    """The saved draft, or what was typed before the session expired (``?restore=<token>``)."""
    token = request.GET.get("restore")
    stash = cache.get(_stash_key(application.pk, token)) if token else None
    if not stash:
        return ApplicationForm(questions=questions, application=application)
    messages.info(request, _("We kept what you typed before you were signed out. Save it to keep it."))
    return ApplicationForm(stash, questions=questions, application=application)


def _save_typed(request, application, form, questions) -> dict[str, list[str]]:
    """Save the draft as typed and attach the uploaded files; return the refused files' problems by field."""
    title, summary, answers, budget, files = form.values()
    services.save_draft(
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
    return file_problems


def _submit(request, application) -> list[str] | None:
    """Submit the saved draft. None once submitted; otherwise the refusals to show above the form (an incomplete
    draft's problems are shown beside their fields instead)."""
    try:
        services.submit_application(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, _("The application was saved but not submitted: please see the problems below."))
        return [] if getattr(error, "code", None) == "incomplete" else error.messages
    messages.success(request, _("The application was submitted. A receipt was sent by email."))
    return None


@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    if not request.user.is_authenticated:
        return _sign_in_keeping_typed(request, pk)
    application = selectors.application_page(pk)
    if application is None or not rules.is_applicant(request.user, application):
        raise Http404
    if not application.is_editable:
        messages.info(request, _("This application was submitted and is read-only."))
        return redirect(application)
    questions = list(application.call.questions.all())
    eligibility = rules.eligibility_problems(application.call, application.organisation)
    if request.method == "GET":
        return _edit_page(request, application, _form_to_continue(request, application, questions), eligibility)
    form = ApplicationForm(request.POST, request.FILES, questions=questions, application=application)
    file_problems = _save_typed(request, application, form, questions)
    application = selectors.application_page(pk)
    problems = rules.application_problems(application)
    for name, messages_ in file_problems.items():
        problems.setdefault(name, []).extend(messages_)
    if form.budget_problems:
        problems.setdefault("budget", []).extend(form.budget_problems)
    refusals = []
    if request.POST.get("action") == "submit" and not file_problems and not form.budget_problems:
        refusals = _submit(request, application)
        if refusals is None:
            return redirect(application)
    else:
        messages.success(request, _("Your draft was saved."))
    # The bound form shows exactly what was typed; the problems come from the saved draft's rules.
    form._errors = {}
    form.cleaned_data = {}
    for message in refusals:
        form.add_error(None, message)
    form.show_problems(problems)
    return _edit_page(request, application, form, eligibility)


def _edit_page(request, application, form, eligibility):
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "eligibility": eligibility,
        "attachments": {a.question_id: a for a in application.attachments.all()},
        "budget_total": application.budget_total,
        "max_budget_lines": MAX_BUDGET_LINES,
    }
    return render(request, "funding/application_edit.html", context)


def _attachment_for(request, pk) -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    if not rules.can_view_application(request.user, attachment.application):
        raise Http404
    return attachment


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = _attachment_for(request, pk)
    return download(attachment.file, attachment.original_name, f"attachment-{attachment.pk}")


@login_required
@require_GET
def revision_file_download(request, pk):
    """A file as a revision was submitted with, for whoever may read the application."""
    submitted = get_object_or_404(RevisionFile.objects.select_related("revision__application"), pk=pk)
    if not rules.can_view_application(request.user, submitted.revision.application):
        raise Http404
    return download(submitted.file, submitted.original_name, f"r{submitted.revision.number}-file")


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
        message_errors(request, error)
    return redirect("funding:application_edit", pk=application.pk)


def _officer_decision(request, pk, form, act, *, done: str, form_key: str):
    """Record an officer's determination or contract from the application page; a refused one comes back on the
    page with what was typed. ``act(application, data)`` returns where to go next."""
    application = get_object_or_404(Application, pk=pk)
    if form.is_valid():
        try:
            target = act(application, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, done)
            return redirect(target)
    return render_application(request, selectors.application_page(pk), **{form_key: form})


@officer_required
@require_POST
def application_determine(request, pk):
    reviews_in = rules.submitted_review_count(get_object_or_404(Application, pk=pk))
    return _officer_decision(
        request,
        pk,
        DeterminationForm(request.POST, reviews_in=reviews_in),
        lambda application, data: services.determine_application(actor=request.user, application=application, **data),
        done=_("The decision was recorded and sent to the applicant."),
        form_key="determination_form",
    )


@officer_required
@require_POST
def contract_create(request, pk):
    return _officer_decision(
        request,
        pk,
        ContractForm(request.POST),
        lambda application, data: services.create_contract(actor=request.user, application=application, **data),
        done=_("The contract was drafted. Add its milestones, then sign it."),
        form_key="contract_form",
    )
