"""The comparison page's data: two versions compared (``selectors.compare_versions``) as plain values,
kept in the Django cache when both versions are published.

A published version never changes (``PlanVersion.WORKFLOW``; services re-read the state before every
write), so the word-level diff of two published versions is computed once per language and then read
from the cache. A working copy is compared afresh on every request, so an officer sees an edit at once.

The key holds both versions' ids and publication times (a reused id after a database reset cannot
read an old entry), the language (texts, strand and region names are localised) and ``CODE_VERSION``.
Names kept outside the plan (strands, regions, partner organisations) can still be renamed;
``CACHE_SECONDS`` bounds how long an old name may show in a cached comparison.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import translation

from kelisim.plans import selectors
from kelisim.plans.models import PlanVersion

# Bump when the computation or the shape of ``Comparison`` changes: entries of the old code are then never read.
CODE_VERSION = 1
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class ChangeRow:
    kind: str  # added, removed, changed
    code: str  # the tracked item's public ID, AP-0001
    number: str  # the item's number in the newer version (in the older one if removed)
    text: str  # the item's text, shown for an added or removed item
    fields: tuple[tuple[str, str], ...]  # (field key, word-level diff HTML) of a changed item


@dataclass(frozen=True)
class StrandGroup:
    code: str
    name: str
    changes: tuple[ChangeRow, ...]


@dataclass(frozen=True)
class Comparison:
    groups: tuple[StrandGroup, ...]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0}
        for group in self.groups:
            for change in group.changes:
                counts[change.kind] += 1
        return counts


def compute(old: PlanVersion, new: PlanVersion) -> Comparison:
    """The comparison in the active language, always computed."""
    return Comparison(
        groups=tuple(
            StrandGroup(
                code=strand.code,
                name=str(strand.name),
                changes=tuple(
                    ChangeRow(
                        kind=change.kind,
                        code=change.code,
                        number=change.item.number,
                        text="" if change.kind == "changed" else str(change.item.text),
                        fields=tuple(change.fields),
                    )
                    for change in changes
                ),
            )
            for strand, changes in selectors.compare_versions(old, new)
        )
    )


def cache_key(old: PlanVersion, new: PlanVersion, language: str) -> str:
    def stamp(version: PlanVersion) -> str:
        return f"{version.pk}.{version.published_at.timestamp():.6f}" if version.published_at else f"{version.pk}"

    return f"plans:compare:{CODE_VERSION}:{stamp(old)}:{stamp(new)}:{language}"


def compare_versions(old: PlanVersion, new: PlanVersion) -> Comparison:
    """The comparison in the active language: from the cache when both versions are published."""
    if not (old.is_published and new.is_published):
        return compute(old, new)
    key = cache_key(old, new, translation.get_language() or "")
    found = cache.get(key)
    if found is None:
        found = compute(old, new)
        cache.set(key, found, CACHE_SECONDS)
    return found
