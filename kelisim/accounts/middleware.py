import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Pages a staff member without a second factor may still open: setting one up, signing out,
# static files, and the language switch.
MFA_SETUP_ALLOWED_PREFIXES = ("/static/", "/media/", "/i18n/", "/healthz", "/api/")
MFA_SETUP_ALLOWED_URL_NAMES = (
    "account_logout",
    "mfa_activate_totp",
    "mfa_index",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "account_reauthenticate",
    "account_login",
    # allauth refuses to add an authenticator before the address is confirmed; confirming must stay open.
    "account_confirm_email",
    "account_email_verification_sent",
)
# How often a staff member's activity is written to the session (see StaffSessionPolicyMiddleware._enforce).
ACTIVITY_STAMP_SECONDS = 60


class StaffSessionPolicyMiddleware:
    """Officers, moderators and administrators: 30 idle minutes at most, and a second factor always.

    Citizens and NGO members keep the ordinary two-week session and may add a second factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.needs_second_factor:
            response = self._enforce(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _enforce(self, request, user):
        now = int(time.time())
        last_seen = request.session.get("staff_last_seen")
        idle_limit = settings.STAFF_SESSION_IDLE_SECONDS
        if last_seen is not None and now - last_seen > idle_limit:
            logout(request)
            messages.info(
                request,
                ngettext(
                    "You were signed out after %(minutes)d minute without activity.",
                    "You were signed out after %(minutes)d minutes without activity.",
                    idle_limit // 60,
                )
                % {"minutes": idle_limit // 60},
            )
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
        stamping = last_seen is None or now - last_seen >= ACTIVITY_STAMP_SECONDS
        if stamping:
            # Stamped at most once a minute: writing the session on every request cost three queries per staff
            # page and serialised staff requests on SQLite's single writer (issue 13). The idle limit is kept
            # to within that minute.
            request.session["staff_last_seen"] = now
            request.session.set_expiry(idle_limit)
        # A second factor found is remembered until the next stamp (one query fewer per page); a missing one is
        # looked up on every request, so that the page after setting it up lets the person through at once.
        has_second_factor = not stamping and request.session.get("staff_second_factor", False)
        if not has_second_factor:
            has_second_factor = self._has_second_factor(user)
            if has_second_factor:
                request.session["staff_second_factor"] = True
            else:
                request.session.pop("staff_second_factor", None)

        if has_second_factor:
            if self._url_name(request) == "mfa_deactivate_totp":
                messages.error(request, _("Your role requires a second sign-in factor, so it cannot be turned off."))
                return redirect("mfa_index")
            return None
        if self._setup_allowed(request):
            return None
        messages.warning(request, _("Your role requires a second sign-in factor. Please set up an authenticator app."))
        return redirect("mfa_activate_totp")

    @staticmethod
    def _has_second_factor(user) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    @staticmethod
    def _url_name(request) -> str | None:
        try:
            return resolve(request.path_info).url_name
        except Resolver404:
            return None

    def _setup_allowed(self, request) -> bool:
        if request.path_info.startswith(MFA_SETUP_ALLOWED_PREFIXES):
            return True
        url_name = self._url_name(request)
        # An unknown address answers 404 anyway; sending it to the setup page would hide the mistake.
        return url_name is None or url_name in MFA_SETUP_ALLOWED_URL_NAMES
