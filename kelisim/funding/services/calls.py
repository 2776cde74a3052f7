"""Calls for proposals: the call itself, its application questions and evaluation criteria, its status."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.core.i18n import in_each_language
from kelisim.core.workflow import record_history, transition
from kelisim.funding.models import Call, Criterion, Question
from kelisim.funding.services.saving import save_unique
from kelisim.notifications.services import notify_followers

# A call's fields in the order the officer's form shows them; the relations are set after the call is saved.
CALL_FIELDS = (
    "reference",
    "title_kk",
    "title_ru",
    "title_en",
    "description_kk",
    "description_ru",
    "description_en",
    "strands",
    "plan_items",
    "budget_kzt",
    "min_award_kzt",
    "max_award_kzt",
    "opens_at",
    "closes_at",
    "require_verified",
    "eligible_regions",
    "min_years_registered",
    "scale_max",
    "reviewer_pool",
)
CALL_RELATIONS = ("strands", "plan_items", "eligible_regions", "reviewer_pool")


def _check_call(call: Call) -> None:
    errors = {}
    if not (call.title_kk or call.title_ru or call.title_en):
        errors["title_ru"] = _("Give the call a title in at least one language.")
    if call.closes_at and call.opens_at and call.closes_at <= call.opens_at:
        errors["closes_at"] = _("The call must close after it opens.")
    if call.min_award_kzt is not None and call.max_award_kzt is not None and call.min_award_kzt > call.max_award_kzt:
        errors["min_award_kzt"] = _("The minimum award cannot be larger than the maximum.")
    if call.max_award_kzt is not None and call.budget_kzt is not None and call.max_award_kzt > call.budget_kzt:
        errors["max_award_kzt"] = _("The maximum award cannot be larger than the budget envelope.")
    if errors:
        raise ValidationError(errors)


def _require_draft(call: Call, *, questions: bool = False) -> None:
    """A call's form and criteria change only while it is a draft: applicants and reviewers rely on them."""
    if call.status == Call.Status.DRAFT:
        return
    if questions:
        raise ValidationError(_("Questions can only change while the call is a draft."))
    raise ValidationError(_("Criteria can only change while the call is a draft."))


@transaction.atomic
def save_call(*, actor, call: Call | None = None, **values) -> Call:
    """Create or update a call; a published call keeps its reference and times unless cancelled."""
    require_officer(actor)
    relations = {name: values.pop(name) for name in CALL_RELATIONS if name in values}
    unknown = set(values) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown call fields: {sorted(unknown)}")
    if call is None:
        call = Call(created_by=actor)
    elif call.status == Call.Status.CANCELLED:
        raise ValidationError(_("A cancelled call cannot be changed."))
    for name, value in values.items():
        setattr(call, name, value)
    _check_call(call)
    record_history(call, actor=actor, reason="call saved")
    save_unique(call, {"reference": _("Another call already has this reference.")})
    for name, value in relations.items():
        getattr(call, name).set(value)
    return call


@transaction.atomic
def add_question(
    *,
    actor,
    call: Call,
    kind: str,
    label_en: str = "",
    label_ru: str = "",
    label_kk: str = "",
    help_text: str = "",
    required: bool = True,
    max_length: int | None = None,
    choices: str = "",
) -> Question:
    require_officer(actor)
    _require_draft(call, questions=True)
    if not (label_en or label_ru or label_kk):
        raise ValidationError({"label_ru": _("Write the question in at least one language.")})
    if kind == Question.Kind.CHOICE and len([c for c in choices.splitlines() if c.strip()]) < 2:
        raise ValidationError({"choices": _("A choice needs at least two options, one per line.")})
    call = Call.objects.select_for_update().get(pk=call.pk)  # two officers adding a budget table at once
    if kind == Question.Kind.BUDGET and call.questions.filter(kind=Question.Kind.BUDGET).exists():
        raise ValidationError({"kind": _("This call already has a budget table; an application has only one.")})
    position = (call.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    labels = {"label_en": label_en, "label_ru": label_ru, "label_kk": label_kk}
    return Question.objects.create(
        call=call,
        kind=kind,
        **labels,
        help_text=help_text,
        required=required,
        max_length=max_length if kind == Question.Kind.LONG_TEXT else None,
        choices=choices if kind == Question.Kind.CHOICE else "",
        position=position,
    )


@transaction.atomic
def remove_question(*, actor, question: Question) -> None:
    require_officer(actor)
    _require_draft(question.call, questions=True)
    question.delete()
    _renumber_questions(question.call)


def _renumber_questions(call: Call, ordered: list[Question] | None = None) -> None:
    ordered = ordered if ordered is not None else list(call.questions.order_by("position", "pk"))
    for number, question in enumerate(ordered, start=1):
        if question.position != number:
            question.position = number
            question.save(update_fields=["position"])


@transaction.atomic
def move_question(*, actor, question: Question, direction: str) -> Question:
    """Move a question one place up or down in a draft call's form (the budget table too)."""
    require_officer(actor)
    call = Call.objects.select_for_update().get(pk=question.call_id)
    _require_draft(call, questions=True)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a question up or down."))
    ordered = list(call.questions.order_by("position", "pk"))
    index = next(i for i, item in enumerate(ordered) if item.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber_questions(call, ordered)
    return ordered[other] if 0 <= other < len(ordered) else ordered[index]


@transaction.atomic
def add_criterion(
    *, actor, call: Call, weight: int, name_en: str = "", name_ru: str = "", name_kk: str = "", guidance: str = ""
) -> Criterion:
    require_officer(actor)
    _require_draft(call)
    if not (name_en or name_ru or name_kk):
        raise ValidationError({"name_ru": _("Name the criterion in at least one language.")})
    used = sum(call.criteria.values_list("weight", flat=True))
    if used + weight > 100:
        raise ValidationError({"weight": _("Weights add up to more than 100%% (%(used)d%% used).") % {"used": used}})
    names = {"name_en": name_en, "name_ru": name_ru, "name_kk": name_kk}
    return Criterion.objects.create(
        call=call, weight=weight, guidance=guidance, position=call.criteria.count() + 1, **names
    )


@transaction.atomic
def remove_criterion(*, actor, criterion: Criterion) -> None:
    require_officer(actor)
    _require_draft(criterion.call)
    criterion.delete()


@transaction.atomic
def transition_call(*, actor, call: Call, to: str, reason: str = "") -> Call:
    """Publish a draft call (once its criteria's weights make 100%) or cancel it."""
    require_officer(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if to == Call.Status.PUBLISHED:
        weights = sum(call.criteria.values_list("weight", flat=True))
        if weights != 100:
            raise ValidationError(
                _("The criteria's weights must add up to 100%% before publishing (now %(w)d%%).") % {"w": weights}
            )
    transition(call, to=to, actor=actor, reason=reason)
    if to == Call.Status.PUBLISHED:
        call.published_at = timezone.now()
    call.save()
    notify_followers(
        target=call,
        kind="funding.call_status",
        params={"title": in_each_language(lambda: call.title or call.reference), "status": call.status},
        url=call.get_absolute_url(),
        exclude=[actor],
    )
    return call
