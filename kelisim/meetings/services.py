"""Every write of the roundtables. Views, the API, the demo, tasks and tests call these."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kelisim.accounts.permissions import is_signed_in, require_officer
from kelisim.consultations import answers
from kelisim.consultations.models import OPEN_STATUSES, StatusChange, Suggestion
from kelisim.consultations.models import Status as SuggestionStatus
from kelisim.consultations.services.triage import merge_suggestions, transition_suggestion
from kelisim.core import files
from kelisim.core.i18n import ContentLanguage, localized_fields, require_one_language
from kelisim.core.services import email_url, queue_templated_email
from kelisim.core.workflow import record_history, transition
from kelisim.meetings.models import (
    ROUNDTABLE_FIELDS,
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    Registration,
    Roundtable,
)
from kelisim.meetings.rules import can_cancel_registration
from kelisim.meetings.text import render_minutes
from kelisim.organisations.models import Membership, Organisation


def _require_scheduled(roundtable: Roundtable) -> None:
    if roundtable.status != Roundtable.Status.SCHEDULED:
        raise ValidationError(_("This roundtable is closed: its record can no longer change."))


# --- Scheduling ---------------------------------------------------------------------------------


def _require_title(obj) -> None:
    titles = {name: getattr(obj, name) for name in localized_fields("title")}
    require_one_language(titles, "title", _("Give the title in at least one language."))


@transaction.atomic
def save_roundtable(
    *, actor, roundtable: Roundtable | None = None, invited_organisations=None, reason: str = "", **fields
) -> Roundtable:
    """Schedule a roundtable or change a scheduled one. ``fields`` are those of ROUNDTABLE_FIELDS."""
    require_officer(actor, system=True)
    unknown = set(fields) - set(ROUNDTABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    creating = roundtable is None
    if creating:
        roundtable = Roundtable(created_by=actor)
    else:
        roundtable = Roundtable.objects.select_for_update().get(pk=roundtable.pk)
        _require_scheduled(roundtable)
    for name, value in fields.items():
        setattr(roundtable, name, value)
    _require_title(roundtable)
    if roundtable.ends_at <= roundtable.starts_at:
        raise ValidationError({"ends_at": _("The roundtable must end after it starts.")})
    if not roundtable.place and not roundtable.online_url:
        raise ValidationError({"place": _("Give a place, an online link, or both.")})
    if roundtable.capacity < roundtable.seats_taken:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(count)d seat is already taken; the capacity cannot be lower.",
                    "%(count)d seats are already taken; the capacity cannot be lower.",
                    roundtable.seats_taken,
                )
                % {"count": roundtable.seats_taken}
            }
        )
    record_history(roundtable, actor=actor, reason=reason or ("scheduled" if creating else "changed"))
    roundtable.save()
    if invited_organisations is not None:
        roundtable.invited_organisations.set(invited_organisations)
    if not creating:
        _promote_waiting(roundtable)
    return roundtable


@transaction.atomic
def cancel_roundtable(*, actor, roundtable: Roundtable, reason: str) -> Roundtable:
    require_officer(actor, system=True)
    roundtable = Roundtable.objects.select_for_update().get(pk=roundtable.pk)
    transition(roundtable, to=Roundtable.Status.CANCELLED, actor=actor, reason=reason or "cancelled")
    roundtable.save()
    for registration in roundtable.registrations.exclude(status=Registration.Status.CANCELLED).select_related("user"):
        _email(registration, "meetings/email/cancelled", "meetings.cancelled")
    return roundtable


# --- Registration -------------------------------------------------------------------------------


def organisations_for_registration(user, roundtable: Roundtable):
    """The organisations through which ``user`` may register for ``roundtable``."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    organisations = Organisation.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.ACTIVE
    ).exclude(verification_status__in=[Organisation.Verification.REJECTED, Organisation.Verification.EXCLUDED])
    if roundtable.access == Roundtable.Access.INVITATION:
        organisations = organisations.filter(roundtable_invitations=roundtable)
    return organisations.distinct()


@transaction.atomic
def register(*, user, roundtable: Roundtable, organisation: Organisation) -> Registration:
    """A seat if one is free, else a place on the waiting list. Safe under concurrent requests: the seat
    is taken by one conditional UPDATE (no two requests can both see the last free seat), and a second
    live registration of the same person breaks a unique constraint."""
    if not is_signed_in(user):
        raise PermissionDenied(_("Sign in to register."))
    roundtable = Roundtable.objects.get(pk=roundtable.pk)
    if not roundtable.is_upcoming:
        raise ValidationError(_("Registration is closed for this roundtable."))
    if not organisations_for_registration(user, roundtable).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only active members of an invited organisation can register."))
    if (
        Registration.objects.filter(roundtable=roundtable, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    ):
        raise ValidationError(_("You are already registered for this roundtable."))
    got_seat = Roundtable.objects.filter(pk=roundtable.pk, seats_taken__lt=F("capacity")).update(
        seats_taken=F("seats_taken") + 1
    )
    status = Registration.Status.CONFIRMED if got_seat else Registration.Status.WAITING
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                roundtable=roundtable, user=user, organisation=organisation, status=status
            )
    except IntegrityError:
        # A concurrent request of the same person won; give the seat back.
        if got_seat:
            Roundtable.objects.filter(pk=roundtable.pk).update(seats_taken=F("seats_taken") - 1)
        raise ValidationError(_("You are already registered for this roundtable.")) from None
    _email(registration, "meetings/email/registered", "meetings.registered")
    return registration


@transaction.atomic
def cancel_registration(*, user, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().select_related("roundtable").get(pk=registration.pk)
    if not can_cancel_registration(user, registration):
        raise PermissionDenied(_("You can only cancel your own registration."))
    if registration.status == Registration.Status.CANCELLED:
        return registration
    had_seat = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if had_seat:
        Roundtable.objects.filter(pk=registration.roundtable_id).update(seats_taken=F("seats_taken") - 1)
        _promote_waiting(registration.roundtable)
    return registration


def _promote_waiting(roundtable: Roundtable) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served; each promoted person is told."""
    promoted = []
    while True:
        waiting = (
            Registration.objects.select_for_update()
            .filter(roundtable=roundtable, status=Registration.Status.WAITING)
            .order_by("created_at", "pk")
            .select_related("user", "roundtable")
            .first()
        )
        if waiting is None:
            break
        if not Roundtable.objects.filter(pk=roundtable.pk, seats_taken__lt=F("capacity")).update(
            seats_taken=F("seats_taken") + 1
        ):
            break
        waiting.status = Registration.Status.CONFIRMED
        waiting.save(update_fields=["status"])
        _email(waiting, "meetings/email/promoted", "meetings.promoted")
        promoted.append(waiting)
    return promoted


def _email(registration: Registration, template: str, topic: str) -> None:
    user = registration.user
    if not user.is_active or not user.email:
        return
    roundtable = registration.roundtable
    queue_templated_email(
        to=user.email,
        template=template,
        context={
            "roundtable": roundtable,
            "registration": registration,
            "url": email_url("meetings:detail", roundtable.pk),
        },
        language=getattr(user, "preferred_language", "") or "ru",
        topic=topic,
    )


def send_reminders(*, now=None) -> int:
    """Remind confirmed participants of roundtables starting within the next day. Each roundtable is
    claimed by a conditional update first, so two sweeps running at once never remind twice."""
    now = now or timezone.now()
    due = Roundtable.objects.filter(
        status=Roundtable.Status.SCHEDULED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=1),
    ).values_list("pk", flat=True)
    sent = 0
    for roundtable_id in list(due):
        with transaction.atomic():
            if not Roundtable.objects.filter(pk=roundtable_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            registrations = Registration.objects.filter(
                roundtable_id=roundtable_id, status=Registration.Status.CONFIRMED
            ).select_related("user", "roundtable")
            for registration in registrations:
                _email(registration, "meetings/email/reminder", "meetings.reminder")
                sent += 1
    return sent


# --- Agenda, attendance, minutes, attachments ----------------------------------------------------


@transaction.atomic
def save_agenda_item(
    *, actor, roundtable: Roundtable, agenda_item: AgendaItem | None = None, suggestions=(), **fields
) -> AgendaItem:
    require_officer(actor, system=True)
    _require_scheduled(roundtable)
    agenda_item = agenda_item or AgendaItem(roundtable=roundtable)
    if agenda_item.roundtable_id != roundtable.pk:
        raise ValidationError(_("This agenda item belongs to another roundtable."))
    for name in ("starts_at", "duration_minutes", "title_kk", "title_ru", "title_en", "plan_item_codes", "position"):
        if name in fields:
            setattr(agenda_item, name, fields[name])
    _require_title(agenda_item)
    agenda_item.plan_item_codes = " ".join(agenda_item.plan_item_code_list)
    agenda_item.save()
    agenda_item.suggestions.set(suggestions)
    return agenda_item


@transaction.atomic
def remove_agenda_item(*, actor, agenda_item: AgendaItem) -> None:
    require_officer(actor, system=True)
    _require_scheduled(agenda_item.roundtable)
    if agenda_item.decisions.exists():
        raise ValidationError(_("This agenda item has decisions; remove them first."))
    agenda_item.delete()


@transaction.atomic
def record_attendance(*, actor, roundtable: Roundtable, counts: dict) -> list[Attendance]:
    """``counts`` maps organisations to the number of people they sent; 0 removes the row."""
    require_officer(actor, system=True)
    _require_scheduled(roundtable)
    rows = []
    for organisation, people in counts.items():
        if people is None or people < 0:
            raise ValidationError({"people": _("The number of people cannot be negative.")})
        if people == 0:
            Attendance.objects.filter(roundtable=roundtable, organisation=organisation).delete()
            continue
        row, _created = Attendance.objects.update_or_create(
            roundtable=roundtable, organisation=organisation, defaults={"people": people}
        )
        rows.append(row)
    return rows


@transaction.atomic
def save_minutes(*, actor, roundtable: Roundtable, markdown: str) -> Roundtable:
    require_officer(actor, system=True)
    roundtable = Roundtable.objects.select_for_update().get(pk=roundtable.pk)
    _require_scheduled(roundtable)
    roundtable.minutes_markdown = markdown.strip()
    roundtable.minutes_html = render_minutes(roundtable.minutes_markdown)
    record_history(roundtable, actor=actor, reason="minutes edited")
    roundtable.save()
    return roundtable


@transaction.atomic
def add_attachment(*, actor, roundtable: Roundtable, title: str, upload) -> Attachment:
    require_officer(actor, system=True)
    _require_scheduled(roundtable)
    try:
        content_type = files.DOCUMENTS.check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    return Attachment.objects.create(
        roundtable=roundtable,
        title=title.strip() or files.given_name(upload),
        file=upload,
        original_name=files.given_name(upload),
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )


# --- Decisions and closing -----------------------------------------------------------------------


@transaction.atomic
def record_decision(
    *,
    actor,
    agenda_item: AgendaItem,
    kind: str,
    text_kk: str = "",
    text_ru: str = "",
    text_en: str = "",
    suggestion: Suggestion | None = None,
    merge_into: Suggestion | None = None,
    acceptance: str = "",
    plan_item_code: str = "",
    plan_item_number: str = "",
) -> Decision:
    """Record what the roundtable decided. Nothing is public, and no suggestion changes, until the close.

    An "incorporate" decision is recorded by the plans app (which fills the plan item's code and label).
    """
    require_officer(actor, system=True)
    roundtable = agenda_item.roundtable
    _require_scheduled(roundtable)
    given = {"kk": text_kk, "ru": text_ru, "en": text_en}
    # A decline's reason is published as the official answer and keeps its paragraphs; other wordings are one line.
    texts = {
        code: (" ".join(value.split()) if kind != Decision.Kind.DECLINE else value.strip())
        for code, value in given.items()
    }
    if kind not in Decision.Kind.values:
        raise ValidationError({"kind": _("Choose a decision.")})
    if not any(texts.values()):
        raise ValidationError({"text_ru": _("Write the decision down (for a decline: the reason).")})
    if suggestion is not None and not agenda_item.suggestions.filter(pk=suggestion.pk).exists():
        raise ValidationError({"suggestion": _("This suggestion is not on this agenda item.")})
    if kind == Decision.Kind.MERGE and (suggestion is None or merge_into is None or merge_into.pk == suggestion.pk):
        raise ValidationError({"merge_into": _("Choose the suggestion to merge this one into.")})
    if kind == Decision.Kind.INCORPORATE:
        if not plan_item_code:
            raise ValidationError({"plan_item": _("Choose the plan item.")})
        acceptance = acceptance or Decision.Acceptance.ACCEPTED
    else:
        acceptance, plan_item_code, plan_item_number = "", "", ""
    if suggestion is not None and Decision.objects.filter(agenda_item=agenda_item, suggestion=suggestion).exists():
        raise ValidationError({"suggestion": _("This suggestion already has a decision under this agenda item.")})
    decision = Decision(
        roundtable=roundtable,
        agenda_item=agenda_item,
        suggestion=suggestion,
        kind=kind,
        acceptance=acceptance,
        **{f"text_{code}": value for code, value in texts.items()},
        merge_into=merge_into if kind == Decision.Kind.MERGE else None,
        plan_item_code=plan_item_code,
        plan_item_number=plan_item_number,
        created_by=actor,
    )
    record_history(decision, actor=actor, reason="recorded")
    decision.save()
    return decision


@transaction.atomic
def translate_decision(*, actor, decision: Decision, text_kk: str, text_ru: str, text_en: str) -> Decision:
    """Give a decision's wording in the languages it lacks (or correct one), before or after the close.

    What the decision decided does not change. Once the roundtable is closed, the answer its suggestion received
    keeps the wording as facts: it follows the new wording while it is still the roundtable's answer.
    """
    require_officer(actor, system=True)
    decision = Decision.objects.select_for_update().select_related("roundtable").get(pk=decision.pk)
    before = {code: getattr(decision, f"text_{code}") for code in ContentLanguage.values}
    texts = {"kk": text_kk.strip(), "ru": text_ru.strip(), "en": text_en.strip()}
    if not any(texts.values()):
        raise ValidationError({"text_ru": _("Write the decision down (for a decline: the reason).")})
    for code, value in texts.items():
        setattr(decision, f"text_{code}", value)
    record_history(decision, actor=actor, reason="wording translated")
    decision.save()
    if decision.suggestion_id and decision.roundtable.status == Roundtable.Status.CLOSED:
        suggestion = Suggestion.objects.select_for_update().get(pk=decision.suggestion_id)
        facts = suggestion.answer_facts or {}
        if facts.get("kind") == answers.ROUNDTABLE and facts.get("text") in (before, before["ru"]):
            suggestion.answer_facts = {**facts, "text": texts}
            record_history(suggestion, actor=actor, reason="the roundtable's answer translated")
            suggestion.save(update_fields=["answer_facts"])
    return decision


@transaction.atomic
def withdraw_decision(*, actor, decision: Decision) -> None:
    require_officer(actor, system=True)
    _require_scheduled(decision.roundtable)
    record_history(decision, actor=actor, reason="withdrawn before the close")
    decision.delete()


def _answer_facts(decision: Decision) -> dict:
    """The roundtable's answer as facts, worded in each reader's language when shown (``consultations.answers``)."""
    roundtable = decision.roundtable
    incorporated = decision.kind == Decision.Kind.INCORPORATE
    return answers.roundtable_facts(
        title={language: getattr(roundtable, f"title_{language}") for language in ContentLanguage.values},
        held_on=timezone.localdate(roundtable.starts_at),
        text={language: getattr(decision, f"text_{language}") for language in ContentLanguage.values},
        item_number=decision.plan_item_number if incorporated else "",
        item_code=decision.plan_item_code if incorporated else "",
    )


def _answer(decision: Decision, suggestion: Suggestion, actor, to: str) -> None:
    """Give the roundtable's answer; an answered suggestion is reopened first (its workflow says so)."""
    if suggestion.status == to:
        return
    if suggestion.status not in OPEN_STATUSES:
        transition_suggestion(
            actor=actor,
            suggestion=suggestion,
            to=SuggestionStatus.UNDER_REVIEW,
            reason=StatusChange.REOPENED_BY_ROUNDTABLE,
        )
    transition_suggestion(
        actor=actor,
        suggestion=suggestion,
        to=to,
        answer_facts=_answer_facts(decision),
        reason=StatusChange.ROUNDTABLE_DECISION,
    )


def _apply(decision: Decision, actor) -> None:
    """Carry a decision to its suggestion through the consultation's own services (status, answer, email)."""
    suggestion = Suggestion.objects.get(pk=decision.suggestion_id)
    if decision.kind == Decision.Kind.INCORPORATE:
        _answer(decision, suggestion, actor, decision.acceptance or SuggestionStatus.ACCEPTED)
    elif decision.kind == Decision.Kind.DECLINE:
        _answer(decision, suggestion, actor, SuggestionStatus.DECLINED)
    elif decision.kind == Decision.Kind.MERGE:
        if suggestion.status != SuggestionStatus.MERGED:
            merge_suggestions(actor=actor, primary=decision.merge_into, duplicates=[suggestion], reason=decision.text)
    elif decision.kind == Decision.Kind.DEFER and suggestion.status == SuggestionStatus.RECEIVED:
        # Deferred: still open, but no longer untouched. A suggestion under review stays as it is.
        transition_suggestion(
            actor=actor,
            suggestion=suggestion,
            to=SuggestionStatus.UNDER_REVIEW,
            reason=StatusChange.DEFERRED_BY_ROUNDTABLE,
        )


@transaction.atomic
def close_roundtable(*, actor, roundtable: Roundtable) -> Roundtable:
    """Publish the minutes and decisions and carry every decision to its suggestion, all or nothing."""
    require_officer(actor, system=True)
    roundtable = Roundtable.objects.select_for_update().get(pk=roundtable.pk)
    if not roundtable.minutes_markdown.strip():
        raise ValidationError({"minutes": _("Write the minutes before closing the roundtable.")})
    transition(roundtable, to=Roundtable.Status.CLOSED, actor=actor, reason="closed; minutes and decisions published")
    roundtable.closed_at = timezone.now()
    roundtable.save()
    decisions = roundtable.decisions.select_related("roundtable", "merge_into").filter(suggestion__isnull=False)
    for decision in decisions:
        _apply(decision, actor)
    roundtable.decisions.update(applied_at=roundtable.closed_at)
    return roundtable
