"""The one decorator style for views that need a platform role or a signed-in user: visitors go to sign-in,
signed-in users without the role get 403. Checks about one object stay in the service (and the app's
``rules.py``); these only guard a whole view."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from kelisim.accounts import permissions


def role_required(has_role: Callable[[object], bool]):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


officer_required = role_required(permissions.is_officer)
moderator_required = role_required(permissions.is_moderator)
administrator_required = role_required(permissions.is_administrator)
reviewer_required = role_required(permissions.is_reviewer)
