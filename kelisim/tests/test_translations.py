"""No untranslated string: every Kelisim catalogue is complete in Kazakh and Russian, and matches the source."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings

LANGUAGES_TO_TRANSLATE = ("kk", "ru")


def kelisim_app_dirs() -> list[Path]:
    return [Path(config.path) for config in apps.get_app_configs() if config.name.startswith("kelisim.")]


def catalogue(app_dir: Path, language: str) -> Path:
    return app_dir / "locale" / language / "LC_MESSAGES" / "django.po"


def source_has_translatable_strings(app_dir: Path) -> bool:
    markers = ("gettext", "_(", "{% translate", "{% trans ", "{% blocktranslate", "{% blocktrans ")
    for path in app_dir.rglob("*"):
        if path.suffix in {".py", ".html", ".txt"} and "tests" not in path.parts and "migrations" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="ignore")
            if any(marker in text for marker in markers):
                return True
    return False


@pytest.mark.parametrize("app_dir", kelisim_app_dirs(), ids=lambda path: path.name)
@pytest.mark.parametrize("language", LANGUAGES_TO_TRANSLATE)
def test_every_message_is_translated(app_dir, language):
    path = catalogue(app_dir, language)
    if not path.exists():
        assert not source_has_translatable_strings(app_dir), f"{app_dir.name} has texts but no {language} catalogue"
        return
    po = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{path}: untranslated {untranslated[:20]}"
    assert not fuzzy, f"{path}: fuzzy (needs review) {fuzzy[:20]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (CI installs it)")
@pytest.mark.parametrize("app_dir", kelisim_app_dirs(), ids=lambda path: path.name)
def test_catalogues_match_the_source(app_dir, tmp_path):
    """Re-extract the app's messages into a copy and compare: a new string without a catalogue entry fails."""
    if not catalogue(app_dir, "ru").exists():
        return
    copy = tmp_path / app_dir.name
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    manage = Path(settings.BASE_DIR) / "manage.py"
    subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, str(manage), "makemessages", "-l", "ru", "--no-obsolete", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {entry.msgid for entry in polib.pofile(str(catalogue(copy, "ru")))}
    committed = {entry.msgid for entry in polib.pofile(str(catalogue(app_dir, "ru"))) if not entry.obsolete}
    assert fresh - committed == set(), f"{app_dir.name}: strings missing from the catalogue (run `make messages`)"
    assert committed - fresh == set(), f"{app_dir.name}: catalogue entries no longer in the source"
