import importlib.util
import sys

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
        defer_webauthn()


# allauth's second-factor views import its WebAuthn module, which loads fido2 (with the public suffix list) and
# cryptography's Rust library: about 10 MB in every web process (docs/performance.md, issue 13). Kelisim offers
# TOTP and recovery codes only, and allauth reads that module's attributes only inside WebAuthn's own functions, so
# it is registered to load on first use instead.
WEBAUTHN_MODULE = "allauth.mfa.webauthn.internal.auth"


def defer_webauthn() -> None:
    from django.conf import settings

    if "webauthn" in settings.MFA_SUPPORTED_TYPES or WEBAUTHN_MODULE in sys.modules:
        return
    spec = importlib.util.find_spec(WEBAUTHN_MODULE)
    if spec is None or spec.loader is None:  # allauth moved it: nothing to defer
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[WEBAUTHN_MODULE] = module
    spec.loader.exec_module(module)
    parent, _dot, child = WEBAUTHN_MODULE.rpartition(".")
    setattr(sys.modules[parent], child, module)
