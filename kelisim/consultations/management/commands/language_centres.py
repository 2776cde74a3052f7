"""Recompute the finder's prior language centres from the project's own kk/ru/en interface catalogues.

The duplicate finder removes part of each language's centre before comparing (see consultations.duplicates).
Until a consultation has enough suggestions of its own, it leans on these centres: the mean encoder vector of
the interface strings in each language (the same sentences in all three, so topic cancels out). Writes
kelisim/consultations/data/language_centres.npy (3 × 384 float32, in the order kk, ru, en).
"""

from pathlib import Path

import numpy as np
import polib
from django.conf import settings
from django.core.management.base import BaseCommand

from kelisim.consultations import encoder
from kelisim.consultations.duplicates import LANGUAGES, PRIOR_FILE


def parallel_strings(root: Path, minimum_words: int = 4) -> list[tuple[str, str, str]]:
    """(kk, ru, en) for every translated interface string of at least ``minimum_words`` words."""
    triples = []
    for locale in sorted(root.glob("kelisim/*/locale")):
        catalogues = {}
        for language in ("kk", "ru"):
            path = locale / language / "LC_MESSAGES" / "django.po"
            if not path.exists():
                break
            catalogues[language] = {
                entry.msgid: entry.msgstr
                for entry in polib.pofile(str(path))
                if entry.msgstr and not entry.msgid_plural and not entry.fuzzy
            }
        if len(catalogues) < 2:
            continue
        for msgid, kazakh in catalogues["kk"].items():
            russian = catalogues["ru"].get(msgid)
            if russian and len(msgid.split()) >= minimum_words and "%" not in msgid and "{" not in msgid:
                triples.append((kazakh, russian, msgid))
    return triples


class Command(BaseCommand):
    help = "Recompute the duplicate finder's prior language centres from the interface catalogues."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=600)

    def handle(self, *args, **options):
        triples = parallel_strings(Path(settings.BASE_DIR))[: options["limit"]]
        centres = np.zeros((len(LANGUAGES), encoder.DIMENSIONS), dtype=np.float32)
        for index, language in enumerate(LANGUAGES):
            column = {"kk": 0, "ru": 1, "en": 2}[language]
            centres[index] = encoder.encode([triple[column] for triple in triples]).mean(axis=0)
        np.save(PRIOR_FILE, centres)
        self.stdout.write(f"{len(triples)} strings in each language; written to {PRIOR_FILE}")
