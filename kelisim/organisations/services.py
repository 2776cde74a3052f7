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

from kelisim.core.models import Strand
from kelisim.core.services import email_url, queue_templated_email
from kelisim.organisations import selectors
from kelisim.organisations.models import VERIFICATION_TRANSITIONS, ImportJob, Membership, Organisation

# The fields an NGO admin keeps up to date. The BIN is the organisation's identity and the
# verification fields are the officers': neither is editable here.
PROFILE_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "legal_form",
    "registration_date",
    "region",
    "address",
    "working_languages",
    "public_email",
    "public_phone",
    "private_email",
    "private_phone",
    "website",
    "description_kk",
    "description_ru",
    "description_en",
)


def _require_signed_in(actor) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in first."))


def _require_manager(actor, organisation: Organisation) -> None:
    if not selectors.can_manage(actor, organisation):
        raise PermissionDenied(_("Only this organisation's admins and programme officers can do this."))


def _save_with_history(instance, *, actor, reason: str, **save_kwargs) -> None:
    instance._history_user = actor
    instance._change_reason = reason[:100]
    instance.save(**save_kwargs)


@transaction.atomic
def register_organisation(*, actor, data: dict, strands: list[Strand] | None = None) -> Organisation:
    """A signed-in user registers an organisation; they become its NGO admin; it awaits verification."""
    _require_signed_in(actor)
    bin_number = (data.get("bin") or "").strip()
    if Organisation.objects.filter(bin=bin_number).exists():
        raise ValidationError({"bin": _("An organisation with this BIN is already registered.")}, code="bin_registered")
    organisation = Organisation(bin=bin_number, verification_status=Organisation.Verification.UNVERIFIED)
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    organisation.full_clean()
    _save_with_history(organisation, actor=actor, reason="registered")
    organisation.focus_strands.set(strands or [])
    membership = Membership(
        user=actor,
        organisation=organisation,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    _save_with_history(membership, actor=actor, reason="registered the organisation")
    return organisation


@transaction.atomic
def update_organisation(*, actor, organisation: Organisation, data: dict, strands: list[Strand] | None = None):
    _require_manager(actor, organisation)
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    organisation.full_clean()
    _save_with_history(organisation, actor=actor, reason="profile edited")
    if strands is not None:
        organisation.focus_strands.set(strands)
    return organisation


@transaction.atomic
def set_verification(*, actor, organisation: Organisation, status: str, note: str) -> Organisation:
    """An officer verifies, refuses, excludes or resets an organisation, always saying why."""
    if actor is None or not actor.is_authenticated or not actor.is_officer:
        raise PermissionDenied(_("Only programme officers can verify organisations."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if status not in VERIFICATION_TRANSITIONS.get(organisation.verification_status, set()):
        raise ValidationError({"status": _("The organisation already has this status.")}, code="same_status")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Please say why.")}, code="note_required")
    organisation.verification_status = status
    organisation.verification_note = note[:500]
    organisation.verified_by = actor
    organisation.verified_at = timezone.now()
    _save_with_history(organisation, actor=actor, reason=f"verification: {status}: {note}")
    return organisation


@transaction.atomic
def request_membership(*, actor, organisation: Organisation) -> Membership:
    """A signed-in user asks to join; an NGO admin of the organisation decides."""
    _require_signed_in(actor)
    if organisation.verification_status == Organisation.Verification.EXCLUDED:
        raise PermissionDenied(_("This organisation is excluded from the registry."))
    membership = Membership.objects.select_for_update().filter(user=actor, organisation=organisation).first()
    if membership is None:
        membership = Membership(user=actor, organisation=organisation, status=Membership.Status.PENDING)
        _save_with_history(membership, actor=actor, reason="asked to join")
        _tell_admins_of_request(membership)
        return membership
    if membership.status == Membership.Status.ACTIVE:
        raise ValidationError(_("You are already a member of this organisation."), code="already_member")
    if membership.status == Membership.Status.PENDING:
        raise ValidationError(_("Your request is already waiting for an admin's decision."), code="already_pending")
    membership.status = Membership.Status.PENDING
    membership.role = Membership.Role.MEMBER
    membership.created_at = timezone.now()
    membership.decided_by = None
    membership.decided_at = None
    _save_with_history(membership, actor=actor, reason="asked to join again")
    _tell_admins_of_request(membership)
    return membership


@transaction.atomic
def decide_membership(*, actor, membership: Membership, approve: bool, reason: str = "") -> Membership:
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    _require_manager(actor, membership.organisation)
    target = Membership.Status.ACTIVE if approve else Membership.Status.DECLINED
    if not membership.can_become(target):
        raise ValidationError(_("This request has already been decided."), code="already_decided")
    membership.status = target
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    _save_with_history(membership, actor=actor, reason=reason or ("approved" if approve else "declined"))
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
    _save_with_history(membership, actor=actor, reason=reason or f"role: {role}")
    return membership


@transaction.atomic
def remove_member(*, actor, membership: Membership, reason: str = "") -> None:
    """An admin removes a member, or a member leaves. The last admin can do neither."""
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    leaving = actor is not None and actor.is_authenticated and membership.user_id == actor.pk
    if not leaving:
        _require_manager(actor, membership.organisation)
    if membership.is_active_admin and _lock_admins(membership.organisation) <= 1:
        raise ValidationError(
            _("An organisation needs at least one admin: make someone else admin first."), code="last_admin"
        )
    membership._history_user = actor
    membership._change_reason = (reason or ("left" if leaving else "removed"))[:100]
    membership.delete()


def erase_memberships(user) -> None:
    """Account deletion: the person's memberships go; their history keeps only the account number."""
    with transaction.atomic():
        for membership in Membership.objects.filter(user=user):
            membership._change_reason = "account erased"
            membership.delete()


@transaction.atomic
def start_import(*, actor, uploaded_file, mode: str) -> ImportJob:
    """An officer uploads a CSV or XLSX file; a background task checks and imports it."""
    from kelisim.organisations.tasks import run_import

    if actor is None or not actor.is_authenticated or not actor.is_officer:
        raise PermissionDenied(_("Only programme officers can import organisations."))
    if mode not in ImportJob.Mode.values:
        raise ValidationError({"mode": _("Unknown import mode.")}, code="unknown_mode")
    job = ImportJob(created_by=actor, mode=mode, original_name=uploaded_file.name[:255])
    job.source.save(uploaded_file.name, uploaded_file, save=False)
    job.save()
    language = get_language() or ""
    transaction.on_commit(lambda: run_import.enqueue(job.pk, language))
    return job
