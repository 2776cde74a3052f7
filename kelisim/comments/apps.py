from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "kelisim.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from kelisim.comments import notifying, parts  # noqa: F401 (parts registers the kept pages' comment parts)

        notifying.register()
        from kelisim.comments import personal_data, selectors
        from kelisim.core import registry

        registry.register_personal_data("comments", personal_data.export_personal_data)
        registry.register_account_eraser("comments", personal_data.erase_personal_data)
        registry.register_profile_section(
            registry.ProfileSection(
                key="comments",
                template_name="comments/includes/profile_section.html",
                context=lambda request: {"own_comments": selectors.own_comments(request.user)},
                order=60,
            )
        )
