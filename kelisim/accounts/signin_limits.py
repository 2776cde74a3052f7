"""Limits on guessing passwords and second-factor codes that hold against an attacker with many addresses,
without letting that attacker lock the account's owner out.

Three counters, in windows (kelisim.core.ratelimit: nothing reaches the database, identities are HMACs):

- Passwords, per (account, address) and per address: allauth's ``login_failed`` limits (settings).
- Passwords, per account across every address: ``ACCOUNT_FAILURES``. When it trips, password sign-in for that
  account pauses until the window ends, for everyone, so guessing from more addresses gains nothing. The owner
  is not locked out: the first time in a window, the account's address gets an email that says what happened
  and carries a one-time sign-in link (a CAPTCHA-free challenge only the owner can answer), and password reset
  keeps working. The email goes once per window, never once per attempt.
- Second-factor codes, per (account, address): ``MFA_FAILURES``. Whoever has the password can exhaust only their
  own address, never the staff member's. Across every address they are counted too (``MFA_ACCOUNT_ALERT``), not
  to block, but to warn the owner once per window that someone who knows their password is trying codes.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from kelisim.core.ratelimit import Limit, client_address, count, is_exhausted, once_per_window
from kelisim.core.services import queue_templated_email

ACCOUNT_FAILURES = Limit("signin-account", count=10, window_seconds=15 * 60)
MFA_FAILURES = Limit("mfa-account-address", count=5, window_seconds=5 * 60)
MFA_ACCOUNT_ALERT = Limit("mfa-account", count=10, window_seconds=60 * 60)

LINK_SALT = "kelisim.accounts.signin-link"
LINK_MAX_AGE = 15 * 60


def _account(login: str) -> str:
    return (login or "").strip().lower()


def password_paused(login: str) -> bool:
    """True while the account has used up its failed passwords in this window (from every address)."""
    return bool(_account(login)) and is_exhausted(ACCOUNT_FAILURES, _account(login))


def password_failed(request, login: str) -> None:
    """Count one wrong password for the account; on the failure that trips the limit, write to its owner."""
    account = _account(login)
    if account and count(ACCOUNT_FAILURES, account):
        alert_owner_once(request, account)


def alert_owner_once(request, account: str) -> None:
    """The email with a one-time sign-in link, at most once per window whatever the number of attempts."""
    if not once_per_window(ACCOUNT_FAILURES, account):
        return
    user = _user_for(account)
    if user is None:
        return
    _email(
        user,
        "accounts/email/signin_paused",
        minutes=ACCOUNT_FAILURES.window_seconds // 60,
        link=request.build_absolute_uri(reverse("accounts:signin_link", args=[make_link_token(user)])),
    )


def mfa_paused(request, user) -> bool:
    return is_exhausted(MFA_FAILURES, _mfa_identity(request, user))


def mfa_failed(request, user) -> None:
    count(MFA_FAILURES, _mfa_identity(request, user))
    if count(MFA_ACCOUNT_ALERT, str(user.pk)) and once_per_window(MFA_ACCOUNT_ALERT, str(user.pk)):
        _email(user, "accounts/email/mfa_failures", minutes=MFA_ACCOUNT_ALERT.window_seconds // 60, link="")


def _mfa_identity(request, user) -> str:
    return f"{user.pk}|{client_address(request)}"


def _user_for(account: str):
    return get_user_model().objects.filter(email__iexact=account, is_active=True).first()


def _email(user, template: str, **context) -> None:
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        queue_templated_email(
            to=user.email,
            template=template,
            context={"user": user, **context},
            language=language,
            topic=f"account:{language}",
        )


# --- The one-time sign-in link ---------------------------------------------------------------------------
def make_link_token(user) -> str:
    """Signed, valid LINK_MAX_AGE seconds, and only until the account next signs in (the last sign-in is in it)."""
    return signing.dumps({"u": user.pk, "l": _last_login(user)}, salt=LINK_SALT, compress=True)


def user_for_link_token(token: str, *, use: bool = False):
    """The account the token signs in, or None when it is forged, expired or already used. With ``use``, the
    token is spent: a second use finds nothing, even before the sign-in completes (a second factor pending)."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or _last_login(user) != data.get("l") or cache.get(_used_key(token)):
        return None
    if use and not cache.add(_used_key(token), 1, LINK_MAX_AGE + 60):
        return None
    return user


def _used_key(token: str) -> str:
    return "kelisim:signin-link-used:" + hashlib.sha256(token.encode()).hexdigest()


def _last_login(user) -> str:
    return user.last_login.isoformat() if user.last_login else ""
