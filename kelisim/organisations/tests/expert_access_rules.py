"""Who may open which page of the expert roster (collected by kelisim/tests/test_access.py)."""

from kelisim.core.tests.access import EVERYONE, OFFICERS, SIGNED_IN, Rule, page_and_form

OWNER_AND_OFFICERS = frozenset({"citizen", "officer", "administrator"})


def extend_world(world):
    """An unlisted profile that belongs to the citizen: visible to them and to officers only."""
    from kelisim.organisations.models import Expert, ExpertiseField

    world.unlisted_expert = Expert.objects.create(
        user=world.users["citizen"],
        full_name="Unlisted Citizen Expert",
        languages="ru",
        contact_email="citizen-expert@world.test",
        is_listed=False,
    )
    world.unlisted_expert.fields.set(ExpertiseField.objects.filter(code="theology"))


def _listed(world):
    return {"pk": world.expert.pk}


def _unlisted(world):
    return {"pk": world.unlisted_expert.pk}


def _listing(kwargs, *, listed: str, allowed, note: str = "") -> Rule:
    data = {"listed": listed}
    return Rule(
        "organisations:expert_listing",
        method="POST",
        kwargs=kwargs,
        data=lambda world: data,
        allowed=allowed,
        note=note,
    )


ACCESS_RULES = [
    Rule("organisations:expert_list", allowed=EVERYONE),
    Rule("organisations:expert_list", allowed=EVERYONE, query="q=world&language=ru&region=KZ-71", note="filtered"),
    Rule("organisations:expert_detail", kwargs=_listed, allowed=EVERYONE),
    Rule("organisations:expert_detail", kwargs=_unlisted, allowed=OWNER_AND_OFFICERS, note="unlisted"),
    *page_and_form(
        "organisations:expert_message",
        kwargs=_listed,
        data=lambda world: {"name": "Aigerim", "email": "aigerim@example.kz", "message": "Could you lecture in May?"},
        allowed=EVERYONE,
    ),
    Rule("organisations:expert_message", kwargs=_unlisted, allowed=frozenset(), note="unlisted: nobody can write"),
    Rule("organisations:expert_join", allowed=SIGNED_IN),
    Rule("organisations:expert_add", allowed=OFFICERS),
    Rule("organisations:expert_edit", kwargs=_listed, allowed=OFFICERS),
    Rule("organisations:expert_edit", kwargs=_unlisted, allowed=OWNER_AND_OFFICERS, note="own profile"),
    _listing(_listed, listed="0", allowed=OFFICERS),
    _listing(_unlisted, listed="1", allowed=OWNER_AND_OFFICERS, note="own profile"),
]
