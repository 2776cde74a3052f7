"""Every write on the expert roster (S7): self-listing, officers' edits, listing and unlisting,
and messages forwarded to an expert whose address is never shown."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import is_signed_in, require_officer, require_signed_in
from kelisim.core import ratelimit
from kelisim.core.i18n import LANGUAGE_CODES
from kelisim.core.models import OutboxEmail, Region
from kelisim.core.services import queue_templated_email
from kelisim.core.workflow import record_history
from kelisim.organisations.expert_selectors import organisations_user_may_link
from kelisim.organisations.models import Expert, ExpertiseField, Organisation
from kelisim.organisations.rules import can_manage_expert

# Messages to experts: a visitor is counted by (a hash of) their network address, an account by itself.
VISITOR_MESSAGE_LIMIT = 5
VISITOR_MESSAGE_WINDOW_SECONDS = 60 * 60
ACCOUNT_MESSAGE_LIMIT = 20
ACCOUNT_MESSAGE_WINDOW_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class ExpertProfile:
    """What a person (or an officer) says about an expert. The contact address is never shown."""

    full_name: str
    contact_email: str
    fields: Iterable[ExpertiseField]
    languages: Iterable[str]
    regions: Iterable[Region] = ()
    organisation: Organisation | None = None
    title_kk: str = ""
    title_ru: str = ""
    title_en: str = ""
    bio_kk: str = ""
    bio_ru: str = ""
    bio_en: str = ""


def _require_manager(actor, expert: Expert) -> None:
    if not can_manage_expert(user=actor, expert=expert):
        raise PermissionDenied(_("Only the expert themselves or a programme officer can change this profile."))


def _language_set(languages: Iterable[str]) -> str:
    codes = sorted({code for code in languages if code in LANGUAGE_CODES})
    return ",".join(codes)


def _validate_profile(*, actor, profile: ExpertProfile, current: Expert | None = None) -> None:
    errors = {}
    if not profile.full_name.strip():
        errors["full_name"] = _("Please give the expert's name.")
    if not profile.contact_email.strip():
        errors["contact_email"] = _("Please give an address to which messages can be forwarded.")
    if not list(profile.fields):
        errors["fields"] = _("Choose at least one field of expertise.")
    if not _language_set(profile.languages):
        errors["languages"] = _("Choose at least one language.")
    if profile.organisation is not None:
        unchanged = current is not None and current.organisation_id == profile.organisation.pk
        if not unchanged and not organisations_user_may_link(actor).filter(pk=profile.organisation.pk).exists():
            errors["organisation"] = _("You can link the profile only to an organisation you are an active member of.")
    if errors:
        raise ValidationError(errors)


def _apply_profile(expert: Expert, profile: ExpertProfile) -> Expert:
    expert.full_name = profile.full_name.strip()
    expert.contact_email = profile.contact_email.strip()
    expert.languages = _language_set(profile.languages)
    expert.organisation = profile.organisation
    for name in ("title_kk", "title_ru", "title_en", "bio_kk", "bio_ru", "bio_en"):
        setattr(expert, name, getattr(profile, name).strip())
    expert.full_clean(exclude=["user"])
    expert.save()
    expert.fields.set(list(profile.fields))
    expert.regions.set(list(profile.regions))
    return expert


@transaction.atomic
def create_own_expert_profile(*, actor, profile: ExpertProfile, consent: bool) -> Expert:
    """A signed-in person lists themselves. Listing needs their explicit consent."""
    require_signed_in(actor)
    if Expert.objects.filter(user=actor).exists():
        raise ValidationError(_("You already have an expert profile; edit it instead."))
    if not consent:
        raise ValidationError({"consent": _("You can be listed only if you agree to be listed publicly.")})
    _validate_profile(actor=actor, profile=profile)
    expert = Expert(user=actor, consent_given_at=timezone.now(), is_listed=True)
    record_history(expert, actor=actor, reason="listed themselves")
    return _apply_profile(expert, profile)


@transaction.atomic
def add_expert(*, actor, profile: ExpertProfile, consent: bool) -> Expert:
    """An officer lists an expert who agreed to it (outside the platform, e.g. in writing)."""
    require_officer(actor)
    if not consent:
        raise ValidationError({"consent": _("Confirm that the expert agreed to be listed publicly.")})
    _validate_profile(actor=actor, profile=profile)
    expert = Expert(consent_given_at=timezone.now(), is_listed=True)
    record_history(expert, actor=actor, reason=f"added by officer {actor.pk}")
    return _apply_profile(expert, profile)


@transaction.atomic
def update_expert(*, actor, expert: Expert, profile: ExpertProfile) -> Expert:
    _require_manager(actor, expert)
    _validate_profile(actor=actor, profile=profile, current=expert)
    record_history(expert, actor=actor, reason="profile edited")
    return _apply_profile(expert, profile)


@transaction.atomic
def set_expert_listed(*, actor, expert: Expert, listed: bool) -> Expert:
    """Take a profile off the public roster, or put it back.

    When the expert relists themselves, that is a fresh consent and its date is recorded.
    """
    _require_manager(actor, expert)
    if expert.is_listed == listed:
        return expert
    expert.is_listed = listed
    if listed and expert.user_id == actor.pk:
        expert.consent_given_at = timezone.now()
    record_history(expert, actor=actor, reason="relisted" if listed else "unlisted")
    expert.save(update_fields=["is_listed", "consent_given_at"])
    return expert


ACCOUNT_MESSAGES = ratelimit.Limit("expert-message-account", ACCOUNT_MESSAGE_LIMIT, ACCOUNT_MESSAGE_WINDOW_SECONDS)
VISITOR_MESSAGES = ratelimit.Limit("expert-message-visitor", VISITOR_MESSAGE_LIMIT, VISITOR_MESSAGE_WINDOW_SECONDS)


def _take_from_limit(*, sender, client_address: str) -> None:
    """Count one message; raise ``ratelimit.RateLimited`` when the sender has used up what they may send."""
    if is_signed_in(sender):
        ratelimit.hit(ACCOUNT_MESSAGES, f"account:{sender.pk}")
    else:
        ratelimit.hit(VISITOR_MESSAGES, client_address)


def message_language(expert: Expert) -> str:
    if expert.user_id and expert.user.preferred_language in LANGUAGE_CODES:
        return expert.user.preferred_language
    spoken = [code for code in expert.languages.split(",") if code in LANGUAGE_CODES]
    for code in ("ru", "kk", "en"):
        if code in spoken:
            return code
    return settings.LANGUAGE_CODE


@transaction.atomic
def send_expert_message(
    *,
    expert: Expert,
    sender,
    sender_name: str,
    sender_email: str,
    sender_organisation: str = "",
    message: str,
    client_address: str,
) -> OutboxEmail:
    """Forward a message to a listed expert's hidden address; the sender's address goes in the body
    so that the expert can answer directly (or not) without the platform disclosing theirs."""
    if not expert.is_listed:
        raise PermissionDenied(_("This expert is not listed."))
    _take_from_limit(sender=sender, client_address=client_address)
    return queue_templated_email(
        to=expert.contact_email,
        template="organisations/experts/email/message",
        context={
            "expert": expert,
            "sender_name": sender_name.strip(),
            "sender_email": sender_email.strip(),
            "sender_organisation": sender_organisation.strip(),
            "message": message.strip(),
            "signed_in": is_signed_in(sender),
            "site_url": settings.SITE_URL,
        },
        language=message_language(expert),
        topic="expert-message",
    )
