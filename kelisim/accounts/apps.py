from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kelisim.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        # Django's own admin sign-in form asks for a password only; sending it to allauth's sign-in
        # keeps the second factor and the rate limits in front of the admin too.
        admin.site.login = secure_admin_login(admin.site.login)
