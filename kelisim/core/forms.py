from pathlib import Path

import django.forms
from django.core.exceptions import ValidationError
from django.forms import Textarea
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import cached_property
from django.utils.safestring import SafeData, mark_safe

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
    """The project's form renderer (``FORM_RENDERER``): every form's fields are ``AccessibleBoundField``, and
    Django's own field, label and common widget templates are written in Python (see ``_IN_PYTHON`` below)."""

    bound_field_class = AccessibleBoundField

    def render(self, template_name, context, request=None):
        if (write := _IN_PYTHON.get(template_name)) and self._is_djangos(template_name):
            written = write(context)
            if written is not None:
                return written.strip()
        return super().render(template_name, context, request=request)

    @cached_property
    def _djangos_templates(self) -> dict:
        return {}

    def _is_djangos(self, template_name: str) -> bool:
        known = self._djangos_templates.get(template_name)
        if known is None:
            # Resolved as the package's path is: through a symlinked virtualenv the two would never match.
            origin = Path(self.get_template(template_name).origin.name).resolve()
            known = self._djangos_templates[template_name] = origin.is_relative_to(_DJANGO_FORM_TEMPLATES)
        return known


# --- Django's standard form templates, rendered in Python -----------------------------------------------------
#
# A page with a filter form and a bulk-action form spent a third of its time in Django's form templates: each field
# renders field.html, label.html, the widget's template and, for a select, one included template per option, each
# with its own context. The functions below write exactly what those templates write (core/tests/test_forms.py
# compares both on every widget state and on every form of the project) and only stand in for templates that are
# Django's own: a project or app that overrides one of them gets its template as before.

_DJANGO_FORM_TEMPLATES = Path(django.forms.__file__).resolve().parent / "templates"
_WIDGETS = "django/forms/widgets/"
_INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input", "text", "email", "number", "url", "password", "hidden", "date", "datetime", "time",
        "search", "tel", "color", "checkbox", "file",
    )
)  # fmt: skip
_OPTION_TEMPLATE = f"{_WIDGETS}select_option.html"
_PLAIN_CONTEXT = Context()  # autoescaping on, localisation and time zones as the settings say: as a page's


def _value(value) -> str:
    """``{{ value }}`` in an autoescaped template."""
    return render_value_in_context(value, _PLAIN_CONTEXT)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: safe input stays unescaped, like the filter's ``is_safe``."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return _value(mark_safe(text) if isinstance(value, SafeData) else text)


def _attributes(attrs) -> str:
    if not attrs:
        return ""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_value(name)}" if value is True else f' {_value(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(context) -> str:
    widget = context["widget"]
    value = "" if widget["value"] == None else f' value="{_formatted(widget["value"])}"'  # noqa: E711 (as the template)
    attributes = _attributes(widget["attrs"])
    return f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{value}{attributes}>'


def _textarea(context) -> str:
    widget = context["widget"]
    text = _value(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_value(widget["name"])}"{_attributes(widget["attrs"])}>\n{text}</textarea>'


def _select(context) -> str | None:
    widget = context["widget"]
    parts = [f'<select name="{_value(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attributes(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"  # the included option template's last line ends
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context) -> str:
    label = _value(context["label"])
    if not context["use_tag"]:
        return label
    tag = _value(context["tag"])
    return f"<{tag}{_attributes(context.get('attrs'))}>{label}</{tag}>"


def _field(context) -> str:
    field = context["field"]
    parts = []
    if field.use_fieldset:
        described = field.aria_describedby
        parts.append("\n  <fieldset")
        if described:
            parts.append(f' aria-describedby="{_value(described)}"')
        parts.append(">\n  ")
        if field.label:
            parts.append(_value(field.legend_tag()))
    else:
        parts.append("\n  ")
        if field.label:
            parts.append(_value(field.label_tag()))
    parts.append("\n\n")
    if field.help_text:
        helptext_id = f' id="{_value(field.auto_id)}_helptext"' if field.auto_id else ""
        parts.append(f'<div class="helptext"{helptext_id}>{_value(mark_safe(field.help_text))}</div>')
    errors = field.errors
    parts.append(f"\n{_value(errors) if errors else ''}\n{_value(field)}")
    if field.use_fieldset:
        parts.append("</fieldset>")
    return "".join(parts)


_IN_PYTHON = {
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}textarea.html": _textarea,
    **dict.fromkeys(_INPUT_TEMPLATES, _input),
}
