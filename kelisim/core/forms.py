from django.core.exceptions import ValidationError
from django.forms import Textarea
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

from kelisim.core.i18n import LANGUAGE_CODES


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors beside their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _takes_text(widget) -> bool:
    return isinstance(widget, Textarea) or getattr(widget, "input_type", None) in {"text", "search"}


def content_language(field_name: str) -> str:
    """The content language a field holds by the project's naming (``<base>_kk|_ru|_en``), else ''."""
    base, _sep, code = field_name.rpartition("_")
    return code if base and code in LANGUAGE_CODES else ""


class AccessibleBoundField(BoundField):
    """A field that tells assistive technology about its error even when its widget names its own
    descriptions (a live counter, a help text with another id): Django then drops the error's id, so a
    screen reader on the field would hear the help but not what is wrong."""

    @property
    def aria_describedby(self):
        ids = self.field.widget.attrs.get("aria-describedby", "").split()
        if self.auto_id and not self.is_hidden:
            if self.help_text and not ids:
                ids.append(f"{self.auto_id}_helptext")
            if self.errors:
                ids.append(f"{self.auto_id}_error")
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        given = "aria-describedby" in (attrs or {})
        attrs = super().build_widget_attrs(attrs, widget)
        if (language := content_language(self.name)) and _takes_text(widget or self.field.widget):
            # A content field in one of the three languages (``title_kk``): the browser spell-checks it, and a
            # screen reader reads it, in that language whatever the page's (issue 16).
            attrs.setdefault("lang", language)
        if not given and not self.use_fieldset and self.errors and (described := self.aria_describedby):
            attrs["aria-describedby"] = described
        return attrs


class FormRenderer(DjangoTemplates):
    """The project's form renderer (``FORM_RENDERER``): every form's fields are ``AccessibleBoundField``."""

    bound_field_class = AccessibleBoundField
