"""Officers' work on suggestions: assigning, moving along the workflow with an official answer, merging
duplicates; and telling the authors."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import is_officer, require_officer
from kelisim.consultations.models import (
    ANSWERED_STATUSES,
    DocumentVersion,
    PairDecision,
    Status,
    StatusChange,
    Suggestion,
    Support,
)
from kelisim.core.services import email_url, queue_templated_email
from kelisim.core.text import normalise_text
from kelisim.core.workflow import record_history, transition
from kelisim.notifications.services import notify


@transaction.atomic
def assign_suggestions(*, actor, suggestions, assignee) -> int:
    require_officer(actor, system=True)
    if assignee is not None and not is_officer(assignee):
        raise ValidationError({"assignee": _("Suggestions can only be assigned to programme officers.")})
    changed = []
    for suggestion in suggestions:
        if suggestion.assigned_to_id != (assignee.pk if assignee else None):
            suggestion.assigned_to = assignee
            record_history(suggestion, actor=actor, reason="assigned")
            suggestion.save(update_fields=["assigned_to"])
            changed.append(suggestion)
    if assignee is not None and changed:
        notify(
            recipients=[assignee],
            kind="consultations.assigned",
            params={"count": len(changed), "reference": changed[0].reference},
            url=reverse("consultations:triage_detail", args=[changed[0].reference])
            if len(changed) == 1
            else reverse("consultations:triage") + "?assigned=me",
            exclude=[actor],
        )
    return len(changed)


def _recipient(suggestion: Suggestion) -> tuple[str, str]:
    if suggestion.author_id and suggestion.author.is_active:
        return suggestion.author.email, suggestion.author.preferred_language
    if suggestion.contact_email and suggestion.contact_email_confirmed_at:
        return suggestion.contact_email, suggestion.language
    return "", ""


def _notify(suggestion: Suggestion, template: str, topic: str, answered: Suggestion | None = None) -> None:
    """Tell the suggestion's author, if they can be reached; ``answered`` is the suggestion whose answer it
    is, when that is the one this suggestion was merged into. An account holder gets a notification and this
    email as they chose (at once, in the daily digest, or not); a visitor who confirmed an address, the email."""
    to, language = _recipient(suggestion)
    if not to:
        return

    def send(person=None) -> None:
        queue_templated_email(
            to=to,
            template=template,
            context={
                "suggestion": suggestion,
                "answered": answered or suggestion,
                "status": suggestion.get_status_display,
                "follow_url": email_url("consultations:follow", suggestion.follow_token),
            },
            language=language or "ru",
            topic=topic,
        )

    if suggestion.author_id and suggestion.author.is_active:
        notify(
            recipients=[suggestion.author],
            kind="consultations.answer",
            params={"reference": suggestion.reference, "status": (answered or suggestion).status},
            url=reverse("consultations:suggestion", args=[suggestion.reference]),
            own_email=send,
        )
    else:
        send()


def _steps(suggestion: Suggestion, to: str) -> list[str]:
    """A suggestion still 'received' passes through 'under review' before an answer, as its own step."""
    if to in ANSWERED_STATUSES and suggestion.status == Status.RECEIVED and to != Status.OUT_OF_SCOPE:
        return [Status.UNDER_REVIEW, to]
    return [to]


@transaction.atomic
def transition_suggestion(
    *, actor, suggestion: Suggestion, to: str, answer: str = "", answer_facts: dict | None = None, reason: str = ""
) -> Suggestion:
    """Move a suggestion along its workflow (``Suggestion.WORKFLOW``). An answering status publishes
    ``answer`` (an officer's text) or ``answer_facts`` (the system's, worded for each reader, see
    ``consultations.answers``) and tells the author. Each step is also kept as a StatusChange, the history
    officers read."""
    require_officer(actor, system=True)
    suggestion = Suggestion.objects.select_for_update(of=("self",)).select_related("author").get(pk=suggestion.pk)
    if to == Status.MERGED:
        raise ValidationError({"status": _("Use “merge” to merge suggestions.")})
    answer = normalise_text(answer)
    if to in ANSWERED_STATUSES and not (answer or answer_facts):
        raise ValidationError({"answer": _("An official answer is required with this status.")})
    steps = _steps(suggestion, to)
    history_reason = reason or f"status: {suggestion.status} -> {to}"
    for step in steps:
        previous = transition(suggestion, to=step, actor=actor, reason=history_reason)
        step_reason = (reason or answer) if step == to else reason
        StatusChange.objects.create(
            suggestion=suggestion, from_status=previous, to_status=step, actor=actor, reason=step_reason
        )
    if to in ANSWERED_STATUSES:
        suggestion.official_answer = "" if answer_facts else answer
        suggestion.answer_facts = answer_facts or {}
        suggestion.answered_at = timezone.now()
    elif to == Status.UNDER_REVIEW:
        suggestion.merged_into = None
    suggestion.save()
    if to == Status.UNDER_REVIEW and suggestion.author_id and suggestion.author.is_active:
        notify(
            recipients=[suggestion.author],
            kind="consultations.status",
            params={"reference": suggestion.reference, "status": to},
            url=reverse("consultations:suggestion", args=[suggestion.reference]),
        )
    if to in ANSWERED_STATUSES:
        _notify(suggestion, "consultations/email/answer", "consultations.answer")
        # Authors of suggestions merged into this one were told they would be answered together.
        for merged in suggestion.merged_suggestions.select_related("author"):
            _notify(merged, "consultations/email/answer", "consultations.answer", answered=suggestion)
    return suggestion


@transaction.atomic
def answer_suggestions(*, actor, suggestions, to: str, answer: str, reason: str = "") -> list[Suggestion]:
    """One answer for several suggestions (officers answer similar ones together)."""
    require_officer(actor, system=True)
    if to not in ANSWERED_STATUSES:
        raise ValidationError({"status": _("Choose an answering status.")})
    return [
        transition_suggestion(actor=actor, suggestion=suggestion, to=to, answer=answer, reason=reason)
        for suggestion in suggestions
    ]


def _move_supporters(duplicate: Suggestion, primary: Suggestion) -> None:
    """The duplicate's supporters, and its author, now support the primary."""
    for support in Support.objects.filter(suggestion=duplicate):
        lookup = {"user_id": support.user_id} if support.user_id else {"browser_key": support.browser_key}
        Support.objects.get_or_create(suggestion=primary, **lookup, defaults={"created_at": support.created_at})
    if duplicate.author_id and duplicate.author_id != primary.author_id:
        Support.objects.get_or_create(suggestion=primary, user_id=duplicate.author_id)


@transaction.atomic
def merge_suggestions(*, actor, primary: Suggestion, duplicates, reason: str = "") -> Suggestion:
    """Merge duplicates into ``primary``: each stays visible, linked to it; their supporters move over."""
    require_officer(actor, system=True)
    primary = Suggestion.objects.select_for_update(of=("self",)).get(pk=primary.pk)
    if primary.status == Status.MERGED:
        raise ValidationError({"primary": _("The suggestion to merge into is itself merged.")})
    for duplicate in duplicates:
        duplicate = Suggestion.objects.select_for_update(of=("self",)).select_related("author").get(pk=duplicate.pk)
        if duplicate.pk == primary.pk:
            continue
        if duplicate.version.document_id != primary.version.document_id:
            raise ValidationError({"duplicates": _("Only suggestions on the same document can be merged.")})
        previous = transition(duplicate, to=Status.MERGED, actor=actor, reason=f"merged into {primary.reference}")
        StatusChange.objects.create(
            suggestion=duplicate,
            from_status=previous,
            to_status=Status.MERGED,
            actor=actor,
            reason=reason or primary.reference,
        )
        duplicate.merged_into = primary
        duplicate.save()
        # Suggestions merged earlier into this duplicate now point at the primary.
        Suggestion.objects.filter(merged_into=duplicate).update(merged_into=primary)
        _move_supporters(duplicate, primary)
        _notify(duplicate, "consultations/email/merged", "consultations.merged")
    primary.support_count = Support.objects.filter(suggestion=primary).count()
    primary.save(update_fields=["support_count"])
    return primary


@transaction.atomic
def decide_duplicate(*, actor, suggestion: Suggestion, other: Suggestion, decision: str) -> PairDecision:
    """An officer confirms (same proposal: they join one group) or dismisses (never shown again) a possible
    duplicate. A later decision on the same pair replaces the earlier one (the row keeps who and when)."""
    from kelisim.consultations.pairs import ordered

    require_officer(actor, system=True)
    if suggestion.pk == other.pk:
        raise ValidationError({"other": _("A suggestion cannot be a duplicate of itself.")})
    if decision not in PairDecision.Decision.values:
        raise ValidationError({"decision": _("Choose whether the two are the same proposal.")})
    first, second = ordered(suggestion.pk, other.pk)
    pair, _created = PairDecision.objects.update_or_create(
        first_id=first,
        second_id=second,
        defaults={
            "decision": decision,
            "actor": actor if getattr(actor, "pk", None) else None,
            "decided_at": timezone.now(),
        },
    )
    return pair


@transaction.atomic
def set_duplicate_threshold(*, actor, version: DocumentVersion, threshold: float) -> DocumentVersion:
    """How similar two suggestions of this consultation must be to be shown as possible duplicates."""
    require_officer(actor, system=True)
    field = DocumentVersion._meta.get_field("duplicate_threshold")
    version.duplicate_threshold = threshold
    field.run_validators(threshold)
    version.save(update_fields=["duplicate_threshold"])
    return version
