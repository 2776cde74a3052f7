"""Text limits (kelisim.core.fields): every text a person writes has a maximum length that holds everywhere."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction

import kelisim
from kelisim.core.fields import DESCRIPTION, BoundedTextField
from kelisim.core.models import Strand
from kelisim.core.tests.factories import StrandFactory

# Written by the platform, never by a person.
PLATFORM_WRITTEN = {"core.OutboxEmail"}
# Counted after normalise_text in the form's clean (a browser's CR LF counts as one character there).
COUNTED_AFTER_NORMALISING = {
    ("kelisim.comments.forms", "CommentForm", "text"),
    ("kelisim.comments.forms", "EditCommentForm", "text"),
    ("kelisim.consultations.forms", "SuggestionForm", "text"),
    ("kelisim.consultations.forms", "RecordSuggestionForm", "text"),
}
# A pattern anchored at both ends with bounded repeats limits the length.
BOUNDED_BY_PATTERN = {("kelisim.consultations.forms", "PairDecisionForm", "choice")}
# Checked against a hash or an authenticator, never stored.
NEVER_STORED = {
    ("kelisim.accounts.forms", "DeleteAccountForm", "password"),
    ("kelisim.accounts.mfa_forms", "LimitedAuthenticateForm", "code"),
    ("kelisim.accounts.mfa_forms", "LimitedReauthenticateForm", "code"),
}


def _kelisim_models():
    for model in apps.get_models():
        if model.__module__.startswith("kelisim.") and not model.__name__.startswith("Historical"):
            yield model


def test_every_text_field_a_person_writes_has_an_enforced_limit():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in _kelisim_models()
        if model._meta.label not in PLATFORM_WRITTEN
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.editable and not isinstance(field, BoundedTextField)
    ]
    assert unbounded == []


def _kelisim_forms():
    for module_info in pkgutil.walk_packages(kelisim.__path__, "kelisim."):
        name = module_info.name
        if "form" not in name.rsplit(".", 1)[-1] or ".tests" in name:
            continue
        module = importlib.import_module(name)
        for class_name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == name:
                yield name, class_name, form


def test_every_text_input_of_every_form_has_a_limit():
    unbounded = [
        (module, class_name, field_name)
        for module, class_name, form in _kelisim_forms()
        for field_name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert sorted(set(unbounded) - COUNTED_AFTER_NORMALISING - NEVER_STORED - BOUNDED_BY_PATTERN) == []


@pytest.mark.django_db
def test_the_model_refuses_a_text_over_the_limit_in_validation_and_on_save():
    strand = StrandFactory()
    strand.description_en = "x" * (DESCRIPTION + 1)
    with pytest.raises(ValidationError) as error:
        strand.full_clean()
    assert "description_en" in error.value.message_dict
    with pytest.raises(ValidationError, match="at most 5000 characters"), transaction.atomic():
        strand.save()  # a write that skipped validation does not store it either
    assert Strand.objects.get(pk=strand.pk).description_en != strand.description_en
    strand.description_en = "x" * DESCRIPTION
    strand.full_clean()
    strand.save()


def test_a_model_form_takes_the_models_limit():
    field = Strand._meta.get_field("description_en").formfield()
    assert field.max_length == DESCRIPTION
    assert field.widget.attrs["maxlength"] == str(DESCRIPTION)
