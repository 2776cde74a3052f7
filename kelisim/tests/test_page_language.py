"""Every public page is wholly in its reader's language: crawled from the home page in Kazakh, Russian and
English, no page shows an interface string of another language (text marked with another ``lang`` aside)."""

import pytest

from kelisim.tests import public_world
from kelisim.tests.page_language import crawl, foreign_strings, page_type

pytestmark = pytest.mark.django_db


def test_the_checker_finds_a_string_of_another_language():
    page = '<html lang="kk"><body><p>Between 10 and 1500 characters.</p><p>5 supporters</p>'
    page += '<p lang="ru">Обсуждение</p><button aria-label="Закрыть">x</button></body></html>'
    found = foreign_strings(page, "kk")
    assert any("Between %(min)d and %(max)d characters." in line for line in found)
    assert any("%(counter)s supporters" in line for line in found)
    assert not any("Обсуждение" in line for line in found)  # marked as Russian


def test_no_public_page_mixes_in_another_language(client):
    public_world.build()
    for language in ("kk", "ru", "en"):
        mixed, types = {}, set()
        for path, html in crawl(client, language, per_type=1):
            types.add(page_type(path))
            found = foreign_strings(html, language)
            if found:
                mixed[path] = found
        assert len(types) >= 25, sorted(types)
        assert not mixed, (language, mixed)


def test_help_texts_with_numbers_are_worded_when_shown():
    """A help text with its numbers filled in at import time would stay in the language of the process start."""
    from django.utils import translation

    from kelisim.consultations.forms import SuggestionForm
    from kelisim.meetings.forms import AttachmentForm

    for language, words in (("kk", "таңба"), ("ru", "символов"), ("en", "characters")):
        with translation.override(language):
            assert words in str(SuggestionForm.base_fields["text"].help_text)
    with translation.override("kk"):
        assert "МБ-қа дейін" in str(AttachmentForm.base_fields["file"].help_text)
