"""Every write on the NGO registry: one function per use case, permission checked inside.

Official changes (verification, membership status and role) are saved with simple-history,
carrying the acting user and the reason, so that an officer can read who did what and why.
Membership requests and decisions are emailed through the outbox, in each recipient's language.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import is_signed_in, require_officer, require_signed_in
from kelisim.core import files
from kelisim.core.i18n import in_each_language
from kelisim.core.models import Strand
from kelisim.core.services import email_url, queue_templated_email
from kelisim.core.workflow import record_history, transition
from kelisim.notifications.services import followers, notify
from kelisim.organisations import rules
from kelisim.organisations.models import PROFILE_FIELDS, ImportJob, Membership, Organisation
from kelisim.organisations.validators import normalise_bin, validate_bin


def _require_manager(actor, organisation: Organisation) -> None:
    if not rules.can_manage(actor, organisation):
        raise PermissionDenied(_("Only this organisation's admins and programme officers can do this."))


def _set_profile(organisation: Organisation, data: dict) -> None:
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    organisation.full_clean()


def clean_new_bin(value: str | None) -> str:
    """The BIN of a new registration, normalised: well formed, with the right check digit, not registered yet.

    The registration form and ``register_organisation`` both ask this, so that they refuse alike.
    """
    bin_number = normalise_bin(value)
    validate_bin(bin_number)
    if Organisation.objects.filter(bin=bin_number).exists():
        raise ValidationError(
            _("An organisation with this BIN is already registered. Ask to join it instead."), code="bin_registered"
        )
    return bin_number


@transaction.atomic
def register_organisation(*, actor, data: dict, strands: list[Strand] | None = None) -> Organisation:
    """A signed-in user registers an organisation; they become its NGO admin; it awaits verification."""
    require_signed_in(actor)
    try:
        bin_number = clean_new_bin(data.get("bin"))
    except ValidationError as error:
        raise ValidationError({"bin": error.error_list}) from error
    organisation = Organisation(bin=bin_number, verification_status=Organisation.Verification.UNVERIFIED)
    _set_profile(organisation, data)
    record_history(organisation, actor=actor, reason="registered")
    organisation.save()
    organisation.focus_strands.set(strands or [])
    membership = Membership(
        user=actor,
        organisation=organisation,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    record_history(membership, actor=actor, reason="registered the organisation")
    membership.save()
    return organisation


@transaction.atomic
def update_organisation(*, actor, organisation: Organisation, data: dict, strands: list[Strand] | None = None):
    _require_manager(actor, organisation)
    _set_profile(organisation, data)
    record_history(organisation, actor=actor, reason="profile edited")
    organisation.save()
    if strands is not None:
        organisation.focus_strands.set(strands)
    return organisation


@transaction.atomic
def transition_verification(*, actor, organisation: Organisation, to: str, reason: str) -> Organisation:
    """An officer verifies, refuses, excludes or resets an organisation, always saying why: the reason is
    kept as the organisation's verification note and in its history."""
    require_officer(actor)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not Organisation.VERIFICATION_WORKFLOW.can_move(organisation, to):
        raise ValidationError({"status": _("The organisation already has this status.")}, code="same_status")
    note = (reason or "").strip()
    if not note:
        raise ValidationError({"note": _("Please say why.")}, code="note_required")
    transition(
        organisation,
        to=to,
        actor=actor,
        reason=f"verification: {to}: {note}",
        workflow=Organisation.VERIFICATION_WORKFLOW,
    )
    organisation.verification_note = note[:500]
    organisation.verified_by = actor
    organisation.verified_at = timezone.now()
    organisation.save()
    admins = organisation.memberships.filter(
        status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    ).select_related("user")
    notify(
        recipients=[*(membership.user for membership in admins), *followers(organisation)],
        kind="organisations.verification",
        params={"name": in_each_language(lambda: str(organisation)), "status": to},
        url=organisation.get_absolute_url(),
        exclude=[actor],
    )
    return organisation


@transaction.atomic
def request_membership(*, actor, organisation: Organisation) -> Membership:
    """A signed-in user asks to join; an NGO admin of the organisation decides."""
    require_signed_in(actor)
    if organisation.verification_status == Organisation.Verification.EXCLUDED:
        raise PermissionDenied(_("This organisation is excluded from the registry."))
    membership = Membership.objects.select_for_update().filter(user=actor, organisation=organisation).first()
    if membership is None:
        membership = Membership(user=actor, organisation=organisation, status=Membership.Status.PENDING)
        record_history(membership, actor=actor, reason="asked to join")
        membership.save()
        _tell_admins_of_request(membership)
        return membership
    if membership.status == Membership.Status.ACTIVE:
        raise ValidationError(_("You are already a member of this organisation."), code="already_member")
    if membership.status == Membership.Status.PENDING:
        raise ValidationError(_("Your request is already waiting for an admin's decision."), code="already_pending")
    transition(membership, to=Membership.Status.PENDING, actor=actor, reason="asked to join again")
    membership.role = Membership.Role.MEMBER
    membership.created_at = timezone.now()
    membership.decided_by = None
    membership.decided_at = None
    membership.save()
    _tell_admins_of_request(membership)
    return membership


@transaction.atomic
def decide_membership(*, actor, membership: Membership, approve: bool, reason: str = "") -> Membership:
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    _require_manager(actor, membership.organisation)
    target = Membership.Status.ACTIVE if approve else Membership.Status.DECLINED
    if not Membership.WORKFLOW.can_move(membership, target):
        raise ValidationError(_("This request has already been decided."), code="already_decided")
    transition(membership, to=target, actor=actor, reason=reason or ("approved" if approve else "declined"))
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save()
    _email_person(
        membership.user,
        "organisations/email/join_approved" if approve else "organisations/email/join_declined",
        topic="organisations.join_decided",
        organisation=membership.organisation,
        url_name="organisations:detail",
        reason=(reason or "").strip(),
    )
    return membership


def _email_person(user, template: str, *, topic: str, organisation: Organisation, url_name: str, **context) -> None:
    """Queue one email in ``user``'s language (in the caller's transaction), with a link in that language too."""
    if not user.is_active or not user.email:
        return
    language = user.preferred_language or settings.LANGUAGE_CODE
    queue_templated_email(
        to=user.email,
        template=template,
        context={"organisation": organisation, "url": email_url(url_name, organisation.pk), **context},
        language=language,
        topic=topic,
    )


def _tell_admins_of_request(membership: Membership) -> None:
    """Each active admin of the organisation learns of a request to join, with a link to where they decide."""
    admins = Membership.objects.filter(
        organisation=membership.organisation, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    ).select_related("user")
    for admin in admins.order_by("pk"):
        _email_person(
            admin.user,
            "organisations/email/join_request",
            topic="organisations.join_request",
            organisation=membership.organisation,
            url_name="organisations:members",
            person=str(membership.user),
        )


def _lock_admins(organisation: Organisation) -> int:
    """Count active admins while holding their rows, so two removals cannot both leave none."""
    return len(
        list(
            Membership.objects.select_for_update()
            .filter(organisation=organisation, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN)
            .values_list("pk", flat=True)
        )
    )


@transaction.atomic
def change_member_role(*, actor, membership: Membership, role: str, reason: str = "") -> Membership:
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    _require_manager(actor, membership.organisation)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code="unknown_role")
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError(_("Only active members can have their role changed."), code="not_active")
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.ADMIN and _lock_admins(membership.organisation) <= 1:
        raise ValidationError(
            _("An organisation needs at least one admin: make someone else admin first."), code="last_admin"
        )
    membership.role = role
    record_history(membership, actor=actor, reason=reason or f"role: {role}")
    membership.save()
    return membership


@transaction.atomic
def remove_member(*, actor, membership: Membership, reason: str = "") -> None:
    """An admin removes a member, or a member leaves. The last admin can do neither."""
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    leaving = is_signed_in(actor) and membership.user_id == actor.pk
    if not leaving:
        _require_manager(actor, membership.organisation)
    if membership.is_active_admin and _lock_admins(membership.organisation) <= 1:
        raise ValidationError(
            _("An organisation needs at least one admin: make someone else admin first."), code="last_admin"
        )
    record_history(membership, actor=actor, reason=reason or ("left" if leaving else "removed"))
    membership.delete()


@transaction.atomic
def confirm_import(*, actor, job: ImportJob) -> ImportJob:
    """After reading the preview, an officer has the checked file written (by the background task)."""
    from kelisim.organisations.tasks import run_import

    require_officer(actor)
    changed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
        status=ImportJob.Status.CONFIRMED,
        stage=ImportJob.Stage.WAITING,
        confirmed_by=actor,
        confirmed_at=timezone.now(),
    )
    if not changed:
        raise ValidationError(_("This import is not waiting for a confirmation."), code="not_in_preview")
    language = get_language() or ""
    transaction.on_commit(lambda: run_import.enqueue(job.pk, language))
    job.refresh_from_db()
    return job


@transaction.atomic
def cancel_import(*, actor, job: ImportJob) -> ImportJob:
    require_officer(actor)
    changed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
        status=ImportJob.Status.CANCELLED, finished_at=timezone.now()
    )
    if not changed:
        raise ValidationError(_("This import is not waiting for a confirmation."), code="not_in_preview")
    job.refresh_from_db()
    return job


@transaction.atomic
def start_import(*, actor, uploaded_file, mode: str) -> ImportJob:
    """An officer uploads a CSV or XLSX file; a background task checks it and shows what it would do (the
    preview); nothing is written before the officer confirms (``confirm_import``)."""
    from kelisim.organisations.tasks import run_import

    require_officer(actor)
    if mode not in ImportJob.Mode.values:
        raise ValidationError({"mode": _("Unknown import mode.")}, code="unknown_mode")
    try:
        files.REGISTRY_IMPORT.check(uploaded_file)
    except ValidationError as error:
        raise ValidationError({"source": error.messages}) from None
    job = ImportJob(created_by=actor, mode=mode, original_name=files.given_name(uploaded_file))
    job.source.save(uploaded_file.name, uploaded_file, save=False)
    job.save()
    language = get_language() or ""
    transaction.on_commit(lambda: run_import.enqueue(job.pk, language))
    return job
