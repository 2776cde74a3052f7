from django.utils.translation import gettext as _

from kelisim.notifications.registry import Kind, register_kind


def register() -> None:
    register_kind(
        Kind(
            "comments.reply",
            lambda p: _("%(name)s replied to your comment on “%(title)s”.") % {"name": p["name"], "title": p["title"]},
        )
    )
