"""The second sign-in step with its limit per (account, address) instead of allauth's per account.

allauth counts wrong codes per account: five from anywhere locked that staff member's second step for five
minutes, so whoever had the password could keep the officer out for ever (issue 18, finding 6). Here the
count is per (account, address) (kelisim.accounts.signin_limits), so an attacker exhausts only their own
address; the account's owner is warned by email when codes keep failing from everywhere.
"""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator

from kelisim.accounts import signin_limits


class _LimitedPerAddress:
    def clean_code(self) -> str:
        request = context.request
        if signin_limits.mfa_paused(request, self.user):
            raise get_account_adapter().validation_error("too_many_login_attempts")
        code = self.cleaned_data["code"]
        main = None
        for authenticator in Authenticator.objects.filter(user=self.user).exclude(type=Authenticator.Type.WEBAUTHN):
            if main is None or authenticator.type == Authenticator.Type.TOTP:
                main = authenticator
            if authenticator.wrap().validate_code(code):
                authenticator.user = self.user
                self.authenticator = authenticator
                return code
        signin_limits.mfa_failed(request, self.user)
        if main is not None:
            self._emit_authentication_failed(main)
        raise get_adapter().validation_error("incorrect_code")


class LimitedAuthenticateForm(_LimitedPerAddress, AuthenticateForm):
    pass


class LimitedReauthenticateForm(_LimitedPerAddress, ReauthenticateForm):
    pass
