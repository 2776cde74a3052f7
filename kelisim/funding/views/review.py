"""Review: the officer assigns reviewers; a reviewer scores an application or declares a conflict."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.accounts.decorators import officer_required, reviewer_required
from kelisim.core.forms import apply_validation_error
from kelisim.funding import rules, selectors, services
from kelisim.funding.forms import AssignForm, ConflictForm, ReviewForm
from kelisim.funding.models import DECIDED_STATUSES, Application, ReviewAssignment
from kelisim.funding.views.common import message_errors


def _assign_one(request, application) -> None:
    form = AssignForm(request.POST, application=application)
    if not form.is_valid():
        messages.error(request, _("Choose a reviewer."))
        return
    assignment = services.assign_reviewer(
        actor=request.user, application=application, reviewer=form.cleaned_data["reviewer"]
    )
    if assignment.automatic_conflict:
        messages.warning(request, _("This reviewer is a member of the applicant and was flagged as conflicted."))
    else:
        messages.success(request, _("The reviewer was assigned."))


@officer_required
@require_POST
def application_assign(request, pk):
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
            _assign_one(request, application)
    except ValidationError as error:
        message_errors(request, error)
    return redirect(application)


@reviewer_required
@require_GET
def review_list(request):
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


def _submit_review(request, assignment, form) -> bool:
    if not form.is_valid():
        return False
    try:
        services.submit_review(
            actor=request.user, assignment=assignment, scores=form.scores(), comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    messages.success(request, _("Your review was submitted. You can now see the other reviewers' scores."))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    assignment = _own_assignment(request, pk)
    application = selectors.application_page(assignment.application_id)
    call = application.call
    form = ReviewForm(request.POST or None, criteria=list(call.criteria.all()), scale_max=call.scale_max)
    if request.method == "POST":
        if assignment.status != ReviewAssignment.Status.ASSIGNED:
            messages.info(request, _("Your review was already submitted."))
            return redirect("funding:review", pk=assignment.pk)
        if _submit_review(request, assignment, form):
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
        "decided": application.status in DECIDED_STATUSES,
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
            message_errors(request, error)
            return redirect("funding:review", pk=assignment.pk)
        messages.success(request, _("Your conflict of interest was recorded; the officer will assign someone else."))
        return redirect("funding:reviews")
    messages.error(request, _("Say briefly what the conflict is."))
    return redirect("funding:review", pk=assignment.pk)
