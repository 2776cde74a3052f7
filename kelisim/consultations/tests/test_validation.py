"""One validation path: the form, the service and the API ask consultations.validation the same questions."""

import pytest
from django.core.exceptions import ValidationError

from kelisim.consultations import validation
from kelisim.consultations.forms import SuggestionForm

pytestmark = pytest.mark.django_db


def test_the_form_and_the_service_give_the_same_text_message(version):
    form = SuggestionForm({"text": "x" * 1501, "title": "", "language": ""}, user=None, version=version)
    assert not form.is_valid()
    with pytest.raises(ValidationError) as refused:
        validation.clean_suggestion(text="x" * 1501, title="", language="", contact_email="")
    assert form.errors["text"] == refused.value.message_dict["text"]
    assert "1500" in form.errors["text"][0]


def test_every_field_error_is_reported_at_once():
    with pytest.raises(ValidationError) as refused:
        validation.clean_suggestion(text="short", title="", language="de", contact_email="not-an-address")
    assert set(refused.value.message_dict) == {"text", "language", "contact_email"}


def test_unknown_codes_and_stable_ids_are_refused_by_field(version):
    with pytest.raises(ValidationError) as unknown:
        validation.reference_data(strand="no-such-strand")
    assert list(unknown.value.message_dict) == ["strand"]
    with pytest.raises(ValidationError) as missing:
        validation.target_by_keys(version, paragraph_key="p-00000000")
    assert list(missing.value.message_dict) == ["paragraph"]
    first = version.paragraphs.order_by("position").first()
    assert validation.target_by_keys(version, paragraph_key=first.key) == (None, first)


def test_the_contact_address_is_checked_and_kept_in_lower_case():
    assert validation.clean_contact_email(" Visitor@Example.kz ") == "visitor@example.kz"
    assert validation.clean_contact_email("") == ""
    with pytest.raises(ValidationError):
        validation.clean_contact_email("not-an-address")
