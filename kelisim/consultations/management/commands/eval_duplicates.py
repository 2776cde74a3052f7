"""Score the duplicate finder on a folder of labelled pairs: ``make eval-duplicates`` (``DATASET=folder``).

The folder holds ``duplicate-pairs.tsv`` (columns ``category``, ``a``, ``b``: two suggestions an officer would
treat as the same proposal) and ``distractors.txt`` (one suggestion a line, on the same topics, proposing
something else). Every text is sent through the normal submission service into one open consultation of an
empty database (in a fixed shuffled order, as people would send them); the background indexing runs as it does
for every suggestion. Then, for each pair member, the possible duplicates an officer sees (the top 5 at or above
the version's threshold) are read with the same selector as the triage page.

Printed and written to var/eval-duplicates.json: recall@5 per category and overall (a pair counts twice, once
from each side) and the number of distractors proposed for any pair member; and, for the candidates shown, how
many of each band ("strong", "likely", "possible") are the true partner, another pair's member or a distractor.
"""

import csv
import json
import random
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from kelisim.consultations import duplicates, selectors, services
from kelisim.consultations.models import TEXT_MAX_LENGTH, Document, Suggestion

BANDS = ("strong", "likely", "possible")
DRAFT = "# Programme\nThe programme asks the public for suggestions.\n"


def read_dataset(folder: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    try:
        return _read_dataset(folder)
    except UnicodeDecodeError as error:
        raise CommandError(f"{folder}: duplicate-pairs.tsv and distractors.txt must be UTF-8 text") from error


def _read_dataset(folder: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The pairs and distractors of ``folder``; every empty or missing cell is reported with its line and column
    at once, so that nothing is sent before the whole file is known to be usable."""
    pairs_file, distractors_file = folder / "duplicate-pairs.tsv", folder / "distractors.txt"
    if not pairs_file.is_file():
        raise CommandError(f"{pairs_file} not found")
    pairs, errors = [], []
    # utf-8-sig: a file saved by a spreadsheet often starts with a byte-order mark glued to the first header.
    with pairs_file.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"category", "a", "b"} - {name.strip() for name in reader.fieldnames or []}
        if missing:
            raise CommandError(f"{pairs_file}: missing columns {', '.join(sorted(missing))}")
        reader.fieldnames = [name.strip() for name in reader.fieldnames]
        for row in reader:
            cells = {column: (row.get(column) or "").strip() for column in ("category", "a", "b")}
            if not any(cells.values()):
                continue
            empty = [column for column, value in cells.items() if not value]
            if empty:
                errors.append(f"line {reader.line_num}: empty or missing column {', '.join(empty)}")
                continue
            if cells["category"] == "overall":
                errors.append(f'line {reader.line_num}: the category "overall" is the total\'s name')
                continue
            too_long = [column for column in ("a", "b") if len(cells[column]) > TEXT_MAX_LENGTH]
            if too_long:
                errors.append(
                    f"line {reader.line_num}: column {', '.join(too_long)} longer than a suggestion may be"
                    f" ({TEXT_MAX_LENGTH} characters)"
                )
                continue
            pairs.append((cells["category"], cells["a"], cells["b"]))
    distractors = []
    if distractors_file.is_file():
        lines = distractors_file.read_text(encoding="utf-8-sig").splitlines()
        for number, line in enumerate(lines, start=1):
            if len(line.strip()) > TEXT_MAX_LENGTH:
                errors.append(f"{distractors_file.name} line {number}: longer than {TEXT_MAX_LENGTH} characters")
            elif line.strip():
                distractors.append(line.strip())
    if errors:
        raise CommandError(f"{pairs_file.parent}:\n" + "\n".join(errors))
    if not pairs:
        raise CommandError(f"{pairs_file}: no pairs")
    return pairs, distractors


class Command(BaseCommand):
    help = "Recall@5 of the duplicate finder on labelled pairs, sent through the submission service."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", default=str(Path(settings.BASE_DIR).parent / "shared/testdata/duplicates-dev"))
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "eval-duplicates.json"))
        parser.add_argument("--seed", type=int, default=14, help="order in which the texts are sent")
        parser.add_argument("--threshold", type=float, default=None, help="instead of the versions' default")

    def handle(self, *args, **options):
        folder = Path(options["dataset"])
        pairs, distractors = read_dataset(folder)
        if Suggestion.objects.exists():
            raise CommandError("The database already holds suggestions: run this on a fresh database.")
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
            result = self._evaluate(pairs, distractors, options["seed"], options["threshold"])
        result["dataset"] = str(folder)
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self._print(result)
        self.stdout.write(f"Written to {output}")

    def _version(self):
        programme = services.save_programme(
            actor=None, slug="eval-programme", period_start=2017, period_end=2020, title_en="Evaluation"
        )
        document = services.save_document(
            actor=None, programme=programme, slug="eval-document", kind=Document.Kind.PROGRAMME, title_en="Evaluation"
        )
        now = timezone.now()
        return services.create_version(
            actor=None,
            document=document,
            markdown=DRAFT,
            language="en",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            allow_anonymous=True,
        )

    def _evaluate(self, pairs, distractors, seed: int, threshold: float | None) -> dict:
        version = self._version()
        if threshold is not None:
            version.duplicate_threshold = threshold
            version.save(update_fields=["duplicate_threshold"])
        # (text, category, pair number, side) for pair members; distractors have no pair.
        entries = [(a, category, n, 0) for n, (category, a, _b) in enumerate(pairs)]
        entries += [(b, category, n, 1) for n, (category, _a, b) in enumerate(pairs)]
        entries += [(text, "", -1, -1) for text in distractors]
        random.Random(seed).shuffle(entries)
        sent: dict[tuple[int, int], Suggestion] = {}
        distractor_ids = set()
        started = time.perf_counter()
        for number, (text, _category, pair, side) in enumerate(entries):
            suggestion = services.submit_suggestion(
                version=version,
                author=None,
                text=text,
                address=f"198.18.{number // 250}.{number % 250 + 1}",
            )
            if pair >= 0:
                sent[(pair, side)] = suggestion
            else:
                distractor_ids.add(suggestion.pk)
        seconds = time.perf_counter() - started
        version.refresh_from_db()
        recall, found, proposed = self._score(pairs, sent, distractor_ids, version.duplicate_threshold)
        bands = self._bands(sent, distractor_ids, version.duplicate_threshold)
        sweep = {}
        for step in range(4, 13):
            threshold = round(step * 0.05, 2)
            swept_recall, _found, swept_proposed = self._score(pairs, sent, distractor_ids, threshold)
            sweep[f"{threshold:.2f}"] = {"recall_at_5": swept_recall, "distractors_proposed": swept_proposed}
        return {
            "recall_at_5": recall,
            "distractors_proposed": proposed,
            "found": found,
            "by_threshold": sweep,
            "bands": bands,
            "distractors": len(distractors),
            "method": {
                "encoder": duplicates.encoder.MODEL_NAME,
                "language_share_removed": duplicates.LANGUAGE_SHARE,
                "lexical_weight": duplicates.LEXICAL_WEIGHT,
                "threshold": version.duplicate_threshold,
                "standout_strong": duplicates.STANDOUT_STRONG,
                "standout_likely": duplicates.STANDOUT_LIKELY,
            },
            "seconds_to_send_and_index": round(seconds, 1),
        }

    @staticmethod
    def _score(pairs, sent, distractor_ids, threshold: float):
        """Recall@5 per category and overall, found/total per category, distractors proposed."""
        hits: dict[str, int] = {}
        totals: dict[str, int] = {}
        proposed = set()
        for (pair, side), suggestion in sent.items():
            category = pairs[pair][0]
            partner = sent[(pair, 1 - side)]
            shown = [
                found.other_id for found in selectors.possible_duplicates(suggestion, limit=5, threshold=threshold)
            ]
            totals[category] = totals.get(category, 0) + 1
            hits[category] = hits.get(category, 0) + (partner.pk in shown)
            proposed.update(pk for pk in shown if pk in distractor_ids)
        recall = {category: round(hits[category] / totals[category], 4) for category in totals}
        recall["overall"] = round(sum(hits.values()) / max(1, sum(totals.values())), 4)
        return recall, {category: [hits[category], totals[category]] for category in totals}, len(proposed)

    @staticmethod
    def _bands(sent, distractor_ids, threshold: float) -> dict:
        """For every candidate shown to a pair member: its band and whether it is the partner, a member of
        another pair or a distractor (counted once per showing)."""
        partner_of = {suggestion.pk: sent[(pair, 1 - side)].pk for (pair, side), suggestion in sent.items()}
        bands = {name: {"partner": 0, "other_pair_member": 0, "distractor": 0} for name in BANDS}
        for suggestion in sent.values():
            for found in selectors.possible_duplicates(suggestion, limit=5, threshold=threshold):
                if found.other_id == partner_of[suggestion.pk]:
                    kind = "partner"
                elif found.other_id in distractor_ids:
                    kind = "distractor"
                else:
                    kind = "other_pair_member"
                bands[found.band][kind] += 1
        return bands

    def _print(self, result: dict) -> None:
        self.stdout.write(f"{'category':<10} {'found':>7} {'recall@5':>9}")
        for category, (hit, total) in result["found"].items():
            self.stdout.write(f"{category:<10} {f'{hit}/{total}':>7} {result['recall_at_5'][category]:>9.1%}")
        hit = sum(value[0] for value in result["found"].values())
        total = sum(value[1] for value in result["found"].values())
        self.stdout.write(f"{'overall':<10} {f'{hit}/{total}':>7} {result['recall_at_5']['overall']:>9.1%}")
        self.stdout.write(
            f"distractors proposed: {result['distractors_proposed']} of {result['distractors']}"
            f" (threshold {result['method']['threshold']})"
        )
        self.stdout.write("candidates shown, by band (partner / another pair's member / distractor):")
        for name, counts in result["bands"].items():
            self.stdout.write(
                f"  {name:<9} {counts['partner']:>4} / {counts['other_pair_member']:>4} / {counts['distractor']:>4}"
            )
        self.stdout.write("other thresholds (overall recall@5, distractors proposed):")
        for threshold, figures in result["by_threshold"].items():
            self.stdout.write(
                f"  {threshold}: {figures['recall_at_5']['overall']:.1%}, {figures['distractors_proposed']}"
            )
