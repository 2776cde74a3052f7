"""Authentication backends: Django's and allauth's, each reading the signed-in user with their roles in one query.

Every signed-in page asks the roles (the header's staff links, permission checks); read with the user, they cost
no query of their own on any page."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from kelisim.accounts import selectors


class _ReadsRolesWithTheUser:
    def get_user(self, user_id):
        user = selectors.signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PasswordBackend(_ReadsRolesWithTheUser, ModelBackend):
    """Email and password (Django's forms, the admin)."""


class AccountBackend(_ReadsRolesWithTheUser, AuthenticationBackend):
    """allauth's sign-in, sign-up and social flows."""
