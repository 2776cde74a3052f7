"""What the registry and the expert roster keep about a person: exported on request, erased with the account.

Registered in ``apps.py`` under the keys "organisation_memberships" and "expert_profile".
"""

from django.db import transaction

from kelisim.core.workflow import record_history
from kelisim.organisations.models import Expert, Membership
from kelisim.organisations.selectors import memberships_of_user


def export_memberships(user) -> list[dict]:
    return [
        {
            "organisation": str(membership.organisation),
            "organisation_bin": membership.organisation.bin,
            "role": membership.role,
            "status": membership.status,
            "asked_on": membership.created_at.isoformat(),
            "decided_on": membership.decided_at.isoformat() if membership.decided_at else None,
        }
        for membership in memberships_of_user(user)
    ]


@transaction.atomic
def erase_memberships(user) -> None:
    """The person's memberships go; their history keeps only the account number."""
    for membership in Membership.objects.filter(user=user):
        # Who erased it is left to simple-history, which reads it from the request (the person, or an
        # administrator); the account number goes with the account.
        membership._change_reason = "account erased"
        membership.delete()


def export_expert_profile(user) -> dict | None:
    expert = (
        Expert.objects.filter(user=user).prefetch_related("fields", "regions").select_related("organisation").first()
    )
    if expert is None:
        return None
    return {
        "id": expert.pk,
        "full_name": expert.full_name,
        "title": {"kk": expert.title_kk, "ru": expert.title_ru, "en": expert.title_en},
        "bio": {"kk": expert.bio_kk, "ru": expert.bio_ru, "en": expert.bio_en},
        "fields": [expertise.code for expertise in expert.fields.all()],
        "languages": [code for code in expert.languages.split(",") if code],
        "regions": [region.code for region in expert.regions.all()],
        "organisation": expert.organisation.bin if expert.organisation else None,
        "contact_email": expert.contact_email,
        "listed": expert.is_listed,
        "consent_given_at": expert.consent_given_at.isoformat(),
        "created_at": expert.created_at.isoformat(),
    }


@transaction.atomic
def erase_expert_profile(user) -> None:
    """A deleted account takes its expert profile with it: the listing exists only by its owner's consent."""
    for expert in Expert.objects.filter(user=user):
        record_history(expert, actor=None, reason="account deleted")
        expert.delete()
