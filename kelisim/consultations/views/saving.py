"""The one way the consultation's and the roundtables' pages hand a valid form to a service (a candidate for
core.forms, which this app does not own)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError

from kelisim.core.forms import apply_validation_error


def saved(request, form, save: Callable[[dict], str]) -> bool:
    """For a valid form: ``save(cleaned_data)`` and show the message it returns. A ValidationError from the
    service is shown on the form instead. True once saved (the caller redirects)."""
    if not form.is_valid():
        return False
    try:
        message = save(form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    messages.success(request, message)
    return True
