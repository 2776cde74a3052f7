"""The form renderer writes Django's standard form templates in Python: every form must come out exactly as the
templates would write it, whatever the widget, its state and the language."""

import importlib
import inspect
import pkgutil
from datetime import date
from unittest import mock

import pytest
from django import forms
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

import kelisim
from kelisim.core import forms as core_forms


def _by_templates(render):
    with mock.patch.dict(core_forms._IN_PYTHON, clear=True):
        return render()


def _assert_same(form: forms.BaseForm) -> None:
    for name in form.fields:
        field = form[name]
        assert field.as_field_group() == _by_templates(field.as_field_group), name
        assert str(field) == _by_templates(lambda field=field: str(field)), name
    assert form.as_div() == _by_templates(form.as_div)
    assert form.as_p() == _by_templates(form.as_p)


class EveryWidget(forms.Form):
    text = forms.CharField(label="Name <b>&</b>", help_text="Help with <em>markup</em>", max_length=20)
    optional = forms.CharField(required=False, label=gettext_lazy("Search"))
    email = forms.EmailField(label="E-mail?")
    number = forms.IntegerField(min_value=0, initial=1500)
    decimal = forms.DecimalField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), initial=date(2026, 12, 3))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial='quote " and <tag>')
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": mark_safe("&amp;")}), required=False)
    agree = forms.BooleanField(required=False, label=mark_safe("I <strong>agree</strong>"))
    choice = forms.ChoiceField(
        choices=[("", "—"), ("a", "A & B"), ("Group <x>", [("b", "Bee"), ("c", gettext_lazy("Search"))]), (3, 3)]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    radio = forms.ChoiceField(choices=[("r", "R"), ("s", "S")], widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple, required=False
    )
    upload = forms.FileField(required=False)
    flags = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"disabled": True, "readonly": False, "aria-live": "polite"})
    )


def test_every_widget_unbound_matches_the_templates():
    _assert_same(EveryWidget(initial={"choice": "b", "many": ["y"], "agree": True, "note": "<script>x</script>"}))


def test_every_widget_bound_with_errors_matches_the_templates():
    form = EveryWidget(
        data={
            "text": "x" * 30,
            "email": "not an address",
            "number": "-4",
            "choice": "zzz",
            "hidden": "<img src=x>",
            "note": "line\n<b>bold</b>",
            "many": ["x", "y"],
            "radio": "s",
            "boxes": ["2"],
            "agree": "on",
        }
    )
    assert not form.is_valid()
    _assert_same(form)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_widget_matches_in_each_language(language):
    with translation.override(language):
        _assert_same(EveryWidget(data={"number": "12", "choice": "c"}))


def test_an_overridden_template_is_used_instead(tmp_path):
    overrides = tmp_path / "django" / "forms" / "widgets"
    overrides.mkdir(parents=True)
    (overrides / "text.html").write_text('<input data-overridden name="{{ widget.name }}">')

    class ProjectOverrides(core_forms.FormRenderer):
        @cached_property
        def engine(self):
            return self.backend(
                {"APP_DIRS": True, "DIRS": [tmp_path, core_forms._DJANGO_FORM_TEMPLATES], "NAME": "t", "OPTIONS": {}}
            )

    form = EveryWidget(renderer=ProjectOverrides())
    assert str(form["optional"]) == '<input data-overridden name="optional">'
    assert str(form["email"]).startswith('<input type="email" name="email"')  # not overridden: still written


def test_djangos_templates_reached_through_a_symlink_are_still_written_in_python(tmp_path):
    """A virtualenv reached through a symlink (a checkout sharing another's .venv) finds Django's templates under
    another path than the package's own: they are still Django's."""
    linked = tmp_path / "linked"
    linked.symlink_to(core_forms._DJANGO_FORM_TEMPLATES)

    class ThroughSymlink(core_forms.FormRenderer):
        @cached_property
        def engine(self):
            return self.backend({"APP_DIRS": False, "DIRS": [linked], "NAME": "t", "OPTIONS": {}})

    renderer = ThroughSymlink()
    assert renderer.get_template("django/forms/widgets/text.html").origin.name.startswith(str(linked))
    assert renderer._is_djangos("django/forms/widgets/text.html")


def _project_forms():
    found = {}
    for module_info in pkgutil.walk_packages(kelisim.__path__, "kelisim."):
        if not module_info.name.endswith(".forms") and ".forms." not in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__.startswith("kelisim."):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


@pytest.mark.django_db
def test_every_project_form_that_builds_without_arguments_matches_the_templates():
    checked = 0
    for _name, form_class in sorted(_project_forms().items()):
        for data in (None, dict.fromkeys(form_class.base_fields, "<x>")):
            try:
                form = form_class(data) if data is not None else form_class()
            except (TypeError, KeyError, AttributeError, ValueError):
                continue
            if data is not None:
                form.is_valid()
            _assert_same(form)
            checked += 1
    assert checked >= 40, checked
