from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kelisim.accounts.tests.factories import UserFactory
from kelisim.consultations import services
from kelisim.consultations.tests import factories

pytestmark = pytest.mark.django_db


def test_a_new_version_keeps_the_ids_of_unchanged_and_edited_paragraphs(officer, version):
    old = {p.text_en: p.key for p in version.paragraphs.all()}
    edited = factories.DRAFT.replace("Young people are the first audience", "Young people are the main audience")
    edited += "\nA brand new paragraph about bloggers and opinion leaders.\n"
    now = timezone.now()
    second = services.create_version(
        actor=officer,
        document=version.document,
        markdown=edited,
        language="en",
        opens_at=now,
        closes_at=now + timedelta(days=10),
    )
    new = {p.text_en: p.key for p in second.paragraphs.all()}
    assert second.number == 2
    unchanged = "The programme builds lasting public immunity to radical ideology."
    assert new[unchanged] == old[unchanged]
    assert (
        new["Young people are the main audience of prevention work."]
        == old["Young people are the first audience of prevention work."]
    )
    assert new["A brand new paragraph about bloggers and opinion leaders."] not in old.values()
    assert {s.key for s in second.sections.all()} == {s.key for s in version.sections.all()}


def test_only_officers_import_versions_and_translations_must_match_the_shape(version):
    citizen = UserFactory()
    with pytest.raises(PermissionDenied):
        services.add_translation(actor=citizen, version=version, markdown="# A\nB", language="ru")
    with pytest.raises(ValidationError):
        services.add_translation(actor=None, version=version, markdown="# Only one\nParagraph", language="ru")
    services.add_translation(
        actor=None,
        version=version,
        markdown="# Цели\nПервый.\n\nВторой.\n\n# Колонии\nТретий.\n\n- Четвёртый.",
        language="ru",
    )
    assert [p.text_ru for p in version.paragraphs.order_by("position")] == [
        "Первый.",
        "Второй.",
        "Третий.",
        "Четвёртый.",
    ]
