from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import ngettext

from kelisim.accounts import signin_limits
from kelisim.core.i18n import ContentLanguage
from kelisim.core.services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Before allauth's per-address limits: the account's own limit, counted across every address."""
        login = credentials.get("email", credentials.get("username", ""))
        if request is not None and signin_limits.password_paused(login):
            signin_limits.alert_owner_once(request, login)
            minutes = signin_limits.ACCOUNT_FAILURES.window_seconds // 60
            raise ValidationError(
                ngettext(
                    "Too many wrong passwords were tried for this account. To protect it, signing in with a password "
                    "is paused for up to %(minutes)d minute. If this is your account, we have emailed you a one-time "
                    "sign-in link; you can also reset your password.",
                    "Too many wrong passwords were tried for this account. To protect it, signing in with a password "
                    "is paused for up to %(minutes)d minutes. If this is your account, we have emailed you a one-time "
                    "sign-in link; you can also reset your password.",
                    minutes,
                )
                % {"minutes": minutes},
                code="signin_paused",
            )
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        if request is not None:
            signin_limits.password_failed(request, credentials.get("email", credentials.get("username", "")))
        super().authentication_failed(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Count failed sign-ins per (account, address) pair.

        allauth's default key is the account alone, so anyone could lock a user out by failing
        five times with their email. With the address in the key, an attacker only exhausts their
        own pair; the separate per-address limit in ACCOUNT_RATE_LIMITS caps spraying many accounts.
        """
        login = credentials.get("email", credentials.get("username", "")).lower()
        address = self.get_client_ip(request) if request is not None else "-"
        return f"{login}|{address}"

    def save_user(self, request, user, form, commit=True):
        """A new account starts in the language its owner signed up in."""
        language = translation.get_language() or ""
        if language[:2] in ContentLanguage.values:
            user.preferred_language = language[:2]
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        """Without a ``next`` page, sign-in leads to the person's work, in the language of the page they signed in on.

        The profile's preferred language is for emails; the interface stays in the language the visitor chose by
        the address they are reading (``/en/…``), as every other page does.
        """
        url = super().get_login_redirect_url(request)
        language = translation.get_language() or ""
        if language[:2] in ContentLanguage.values and url.startswith("/"):
            return translate_url(url, language[:2])
        return url

    def send_mail(self, template_prefix, email, context):
        """Every account email goes through the outbox and the background worker.

        An account's emails are written in the language its profile prefers, whichever page asked for them
        (a password reset asked for on a Russian page reaches a Kazakh speaker in Kazakh, its link opening
        the Kazakh page); an address without an account gets the language of the page."""
        language = self._recipient_language(email, context)
        request = self.request or allauth_context.request
        # Resolved in the page's language (its prefix is the one the address carries), then reversed in the reader's.
        links = {key: translate_url(value, language) for key, value in context.items() if key.endswith("_url")}
        with translation.override(language):
            # The Site row says "example.com" unless someone edits it; emails name the platform and its address.
            context = {"request": request, "email": email, **context, **links, "current_site": self._site()}
            subject = render_to_string(f"{template_prefix}_subject.txt", context, request=request).strip()
            subject = self.format_email_subject(" ".join(subject.splitlines()))
            body_text = render_to_string(f"{template_prefix}_message.txt", context, request=request).strip()
            try:
                body_html = render_to_string(f"{template_prefix}_message.html", context, request=request)
            except TemplateDoesNotExist:
                body_html = ""
        queue_email(to=email, subject=subject, body_text=body_text, body_html=body_html, topic=f"account:{language}")

    @staticmethod
    def _recipient_language(email: str, context: dict) -> str:
        from kelisim.accounts.models import User

        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).first()
        preferred = (getattr(user, "preferred_language", "") or "")[:2]
        if preferred in ContentLanguage.values:
            return preferred
        page = (translation.get_language() or "ru")[:2]
        return page if page in ContentLanguage.values else "ru"

    @staticmethod
    def _site():
        return SimpleNamespace(name="Kelisim", domain=urlsplit(settings.SITE_URL).netloc)
