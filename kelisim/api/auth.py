from django.utils import timezone
from ninja.security import HttpBearer

from kelisim.accounts.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kls_…`` with a personal token created in the profile."""

    def authenticate(self, request, token):
        if not token or not token.startswith(ApiToken.PREFIX):
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.is_active or not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


token_auth = TokenAuth()
