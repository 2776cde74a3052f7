"""View decorators for platform roles: visitors go to sign-in, signed-in users without the role get 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


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


officer_required = role_required(lambda user: user.is_officer)
moderator_required = role_required(lambda user: user.is_moderator)
