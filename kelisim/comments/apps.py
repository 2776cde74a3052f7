from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "kelisim.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from kelisim.comments import selectors, services
        from kelisim.core import registry

        registry.register_personal_data("comments", services.export_personal_data)
        registry.register_account_eraser("comments", services.erase_account_comments)
        registry.register_profile_section(
            registry.ProfileSection(
                key="comments",
                template_name="comments/includes/profile_section.html",
                context=lambda request: {"own_comments": selectors.own_comments(request.user)},
                order=60,
            )
        )
