import pytest
from django.core.management import CommandError, call_command

from kelisim.consultations.tests import factories

pytestmark = pytest.mark.django_db


def test_import_document_command_adds_a_version_that_keeps_paragraph_ids(tmp_path, capsys):
    version = factories.open_version()
    source = tmp_path / "draft.md"
    source.write_text(factories.DRAFT + "\n\nA new closing paragraph.\n", encoding="utf-8")
    call_command("import_document", "draft", str(source), "--language", "en", "--closes", "2030-01-01")
    latest = version.document.versions.order_by("-number").first()
    assert latest.number == 2 and latest.paragraphs.count() == 5
    old_keys = set(version.paragraphs.values_list("key", flat=True))
    assert old_keys < set(latest.paragraphs.values_list("key", flat=True))
    assert "version 2" in capsys.readouterr().out
    wrong_shape = tmp_path / "ru.md"
    wrong_shape.write_text("# Только\nОдин абзац.", encoding="utf-8")
    with pytest.raises(CommandError, match="same sections"):
        call_command("import_document", "draft", str(wrong_shape), "--translation", "--language", "ru")
    call_command("import_document", "draft", str(source), "--translation", "--language", "ru")
    assert latest.paragraphs.exclude(text_ru="").count() == 5
