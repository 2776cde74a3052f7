"""Model fields shared by the apps.

``BoundedTextField`` is the text field for anything a person writes: its ``max_length`` is a rule, not a
hint. Django's own TextField passes ``max_length`` to the form's textarea and nothing else; this one also
validates it in ``full_clean`` (so services, the API and imports refuse too long a text with a message) and
refuses to save it at all (the last guard, for a write that skipped validation). The limits live on the
models, and forms, API schemas and import checks read them from there, so that a text accepted by one door
is accepted by the others.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

# Limits in characters, by what the text is.
NOTE = 2_000  # a reason, a note to an author, a comment on a decision
DESCRIPTION = 5_000  # a profile's or a strand's description, a biography
LONG_TEXT = 10_000  # a report's description, an answer, a measure's wording
DOCUMENT = 100_000  # an article, minutes of a meeting, a section of a draft programme


class BoundedTextField(models.TextField):
    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str) and len(value) > self.max_length:
            try:
                MaxLengthValidator(self.max_length)(value)
            except ValidationError as error:
                raise ValidationError({self.name: error.error_list}) from None
        return value


def max_length(model, field_name: str) -> int:
    """The limit a model sets on a field: for forms and API schemas that are not built from the model."""
    return model._meta.get_field(field_name).max_length
