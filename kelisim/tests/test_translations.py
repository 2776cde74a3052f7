"""No untranslated string: every Kelisim catalogue is complete in Kazakh and Russian, and matches the source."""

import re
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


PLACEHOLDERS = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|\{\{[^}]*\}\}|https?://\S+|<[^>]+>|\.[a-z]{3,4}\b")


def _plural_count(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    assert match, "the catalogue has no Plural-Forms"
    return int(match.group(1))


def incomplete_entries(po: polib.POFile) -> list[str]:
    """Entries without a translation, with fewer plural forms than the catalogue's Plural-Forms, fuzzy, or
    whose translation is the English text copied (a lowercase English word left in it)."""
    forms = _plural_count(po)
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            values = [entry.msgstr_plural.get(index, "") for index in range(forms)]
            if not all(values) or len(entry.msgstr_plural) != forms:
                problems.append(f"{entry.msgid!r}: {sum(map(bool, values))} of {forms} plural forms")
        elif not entry.msgstr:
            problems.append(f"{entry.msgid!r}: not translated")
        elif entry.msgstr == entry.msgid and re.search(r"\b[a-z]{3,}\b", PLACEHOLDERS.sub(" ", entry.msgid)):
            problems.append(f"{entry.msgid!r}: the English text copied")
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.msgid!r}: fuzzy")
    return problems


@pytest.mark.parametrize("app_dir", kelisim_app_dirs(), ids=lambda path: path.name)
@pytest.mark.parametrize("language", LANGUAGES_TO_TRANSLATE)
def test_every_entry_has_all_its_plural_forms_and_a_translation(app_dir, language):
    path = catalogue(app_dir, language)
    if path.exists():
        problems = incomplete_entries(polib.pofile(str(path)))
        assert not problems, f"{path}: {problems}"


def test_a_missing_plural_form_or_a_copied_english_text_is_found():
    po = polib.POFile()
    po.metadata = {"Plural-Forms": "nplurals=4; plural=(n%10==1 ? 0 : 1);"}
    po.append(polib.POEntry(msgid="%(n)s item", msgid_plural="%(n)s items", msgstr_plural={0: "пункт", 1: "пункта"}))
    po.append(polib.POEntry(msgid="OCDS record package", msgstr="OCDS record package"))
    po.append(polib.POEntry(msgid="CSV", msgstr="CSV"))
    po.append(polib.POEntry(msgid="Empty", msgstr=""))
    assert incomplete_entries(po) == [
        "'%(n)s item': 2 of 4 plural forms",
        "'OCDS record package': the English text copied",
        "'Empty': not translated",
    ]
