from kelisim.core.tests.access import NOBODY, SIGNED_IN, Rule


def extend_world(world):
    from kelisim.notifications.models import Notification

    world.notification = Notification.objects.create(
        recipient=world.users["citizen"], kind="world.news", params={"title": "World news"}, url="/en/news/"
    )


def _organisation_target(world):
    return {"label": "organisations.organisation", "object_id": world.organisation.pk}


ACCESS_RULES = [
    Rule("notifications:inbox", allowed=SIGNED_IN),
    Rule("notifications:inbox", method="POST", data=lambda world: {"email": "daily"}, allowed=SIGNED_IN, note="email"),
    # A notification opens only for its recipient; anyone else finds nothing (404).
    Rule(
        "notifications:open",
        method="POST",
        kwargs=lambda world: {"pk": world.notification.pk},
        allowed={"citizen"},
        note="only the recipient",
    ),
    Rule("notifications:read_all", method="POST", allowed=SIGNED_IN),
    Rule("notifications:follow", method="POST", kwargs=_organisation_target, allowed=SIGNED_IN),
    Rule(
        "notifications:follow",
        method="POST",
        kwargs=lambda world: {"label": "accounts.user", "object_id": world.users["citizen"].pk},
        allowed=NOBODY,
        note="a kind that cannot be followed",
    ),
]
