"""Calls: the public list and page, and the officers' dashboard, call editor, status and ranking."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.core import pagecache
from kelisim.core.forms import apply_validation_error
from kelisim.core.pagecache import public_page
from kelisim.funding import rules, selectors, services
from kelisim.funding.forms import CallForm, CriterionForm, QuestionForm
from kelisim.funding.models import MIN_REVIEWERS, Application, Call, Criterion, Question
from kelisim.funding.views.common import message_errors
from kelisim.organisations.models import Organisation


@require_GET
@public_page("funding", "core")
def call_list(request):
    q = (request.GET.get("q") or "").strip()[:200]
    calls = selectors.search_calls(selectors.calls_for(request.user), q)
    return render(
        request, "funding/call_list.html", {"calls": calls, "is_officer": rules.is_officer(request.user), "q": q}
    )


def _applicant_organisations(call: Call, user) -> list[dict]:
    """The visitor's organisations, each with why it may not apply and the application it already has."""
    if not user.is_authenticated:
        return []
    organisations = Organisation.objects.filter(pk__in=rules.member_organisation_ids(user)).select_related("region")
    return [
        {
            "organisation": organisation,
            "problems": rules.eligibility_problems(call, organisation),
            "application": Application.objects.filter(call=call, organisation=organisation).first(),
        }
        for organisation in organisations
    ]


@require_GET
@public_page("funding", "organisations", "core")
def call_detail(request, reference):
    call = selectors.call_detail(reference, request.user)
    if call is None:
        raise Http404
    context = {
        "call": call,
        "is_open": call.is_open(),
        "organisations": _applicant_organisations(call, request.user),
        "is_officer": rules.is_officer(request.user),
        "awarded": selectors.public_contracts().filter(application__call=call),
    }
    return render(request, "funding/call_detail.html", context)


@officer_required
@require_GET
def dashboard(request):
    # Every officer sees the same sections: they are rendered once per change of what they show (and once a day,
    # since "overdue" moves with the date), not on every look at the dashboard (issue 13).
    today = timezone.localdate()
    sections = pagecache.kept_value("funding dashboard", today.isoformat(), lambda: _dashboard_sections(request.user))
    return render(request, "funding/dashboard.html", {"sections": sections})


def _dashboard_sections(officer) -> str:
    context = {
        "calls": selectors.calls_for(officer),
        "overdue": selectors.overdue_milestones(),
        "reports": selectors.reports_waiting(),
        "contracts": selectors.contracts_for(officer)[:50],
    }
    return render_to_string("funding/includes/dashboard_sections.html", context)


@officer_required
@require_http_methods(["GET", "POST"])
def call_create(request):
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


@officer_required
@require_http_methods(["GET", "POST"])
def call_edit(request, reference):
    call = get_object_or_404(Call, reference=reference)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_call(actor=request.user, call=call, **form.cleaned_data)
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


def _call_part_adder(form_class, add, form_key: str, added):
    """The view that adds a question or a criterion; a refused one comes back on the page with what was typed."""

    @officer_required
    @require_POST
    def view(request, reference):
        call = get_object_or_404(Call, reference=reference)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                add(actor=request.user, call=call, **form.cleaned_data)
            except ValidationError as error:
                if not hasattr(error, "error_dict"):  # about the call itself (e.g. no longer a draft)
                    message_errors(request, error)
                    return redirect("funding:call_edit", reference=call.reference)
                apply_validation_error(form, error)
            else:
                messages.success(request, added)
                return redirect("funding:call_edit", reference=call.reference)
        return _render_call_edit(request, call, **{form_key: form})

    return view


question_add = _call_part_adder(
    QuestionForm, services.add_question, "question_form", gettext_lazy("The question was added.")
)
criterion_add = _call_part_adder(
    CriterionForm, services.add_criterion, "criterion_form", gettext_lazy("The criterion was added.")
)


def _back_to_call_edit(request, call: Call, change) -> object:
    """Run ``change()``; a refusal is shown as a message on the call editor."""
    try:
        change()
    except ValidationError as error:
        message_errors(request, error)
    return redirect("funding:call_edit", reference=call.reference)


def _call_part_remover(model, remove, name: str):
    """The view that removes a question or a criterion from a draft call."""

    @officer_required
    @require_POST
    def view(request, pk):
        part = get_object_or_404(model.objects.select_related("call"), pk=pk)
        return _back_to_call_edit(request, part.call, lambda: remove(actor=request.user, **{name: part}))

    return view


question_remove = _call_part_remover(Question, services.remove_question, "question")
criterion_remove = _call_part_remover(Criterion, services.remove_criterion, "criterion")


@officer_required
@require_POST
def question_move(request, pk):
    question = get_object_or_404(Question.objects.select_related("call"), pk=pk)
    direction = request.POST.get("direction", "")
    return _back_to_call_edit(
        request,
        question.call,
        lambda: services.move_question(actor=request.user, question=question, direction=direction),
    )


@officer_required
@require_POST
def call_status(request, reference):
    call = get_object_or_404(Call, reference=reference)

    def change():
        services.transition_call(
            actor=request.user, call=call, to=request.POST.get("status", ""), reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The call's status was changed."))

    return _back_to_call_edit(request, call, change)


@officer_required
@require_GET
def ranking(request, reference):
    call = get_object_or_404(Call, reference=reference)
    context = {
        "call": call,
        "rows": selectors.ranking(call),
        "criteria": list(call.criteria.all()),
        "divergence": selectors.DIVERGENCE_POINTS,
        "min_reviewers": MIN_REVIEWERS,
        "has_budget": rules.budget_question(call.questions.all()) is not None,
    }
    return render(request, "funding/ranking.html", context)
