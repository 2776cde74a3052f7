"""Saving a row whose uniqueness the database guards (a call's reference, a contract's number, one assignment per
reviewer): a clash is the person's mistake, said as a ValidationError, not a server error."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


def save_unique(instance, refusal) -> None:
    """Save ``instance`` in its own savepoint; a unique constraint it breaks raises ``ValidationError(refusal)``."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError(refusal) from error
