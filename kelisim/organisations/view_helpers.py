"""The two ways the registry's and the roster's pages hand a request to a service, written once."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from kelisim.core.forms import apply_validation_error


def save_form(request, form, save, *, success_message: str = "", next_url=None):
    """On a valid POST, run ``save()`` (a service call); a ValidationError it raises lands on the form.

    Returns the redirect to what was saved (or to ``next_url(saved)``), or None to show the form again.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save()
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    if success_message:
        messages.success(request, success_message)
    return redirect(next_url(saved) if next_url else saved)


def act_and_tell(request, action, success_message: str) -> None:
    """Run a one-button service call: what the service refuses becomes an error message, success a success one."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success_message)
