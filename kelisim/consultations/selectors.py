"""Reads of the consultation, shaped so that the number of queries does not grow with the data."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.http import Http404

from kelisim.consultations import search as full_text
from kelisim.consultations.models import (
    Channel,
    Document,
    DocumentVersion,
    PairDecision,
    Paragraph,
    Section,
    SimilarPair,
    Status,
    StatusChange,
    Suggestion,
)

LIST_RELATED = ("version__document", "section", "paragraph", "strand", "region")
SORTS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "support": ("-support_count", "-created_at", "-pk"),
}


def documents_for_index() -> list[Document]:
    """Documents with their programme and published versions (newest first)."""
    return list(
        Document.objects.select_related("programme").prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.filter(is_published=True).order_by("-number"),
                to_attr="published_versions",
            )
        )
    )


def latest_published_version(document_slug: str) -> DocumentVersion:
    version = (
        DocumentVersion.objects.select_related("document__programme")
        .filter(document__slug=document_slug, is_published=True)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404
    return version


def published_version(document_slug: str, number: int) -> DocumentVersion:
    try:
        return DocumentVersion.objects.select_related("document__programme").get(
            document__slug=document_slug, number=number, is_published=True
        )
    except DocumentVersion.DoesNotExist:
        raise Http404 from None


@dataclass
class Outline:
    version: DocumentVersion
    sections: list[Section]
    total: int
    on_document: int


def version_outline(version: DocumentVersion) -> Outline:
    """Sections with their paragraphs; each paragraph carries ``suggestion_count`` (a counter kept
    by the services) and ``earlier_count`` for the same stable ID in earlier versions. Three queries."""
    sections = list(
        version.sections.prefetch_related(Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")))
    )
    earlier = dict(
        Paragraph.objects.filter(version__document_id=version.document_id, version__number__lt=version.number)
        .values("key")
        .annotate(total=Sum("suggestion_count"))
        .values_list("key", "total")
    )
    for section in sections:
        for paragraph in section.paragraphs.all():
            paragraph.earlier_count = earlier.get(paragraph.key) or 0
    on_sections = sum(section.suggestion_count for section in sections)
    return Outline(
        version=version,
        sections=sections,
        total=version.suggestion_count,
        on_document=version.suggestion_count - on_sections,
    )


def paragraph_in_version(version: DocumentVersion, key: str) -> Paragraph:
    try:
        return version.paragraphs.select_related("section").get(key=key)
    except Paragraph.DoesNotExist:
        raise Http404 from None


def public_suggestions() -> QuerySet:
    return Suggestion.objects.filter(version__is_published=True).select_related(*LIST_RELATED)


def public_suggestion_total() -> int:
    """How many suggestions ``public_suggestions()`` holds, from the versions' counters (no count of the rows)."""
    counters = DocumentVersion.objects.filter(is_published=True).values_list("suggestion_count", flat=True)
    return sum(counters)


def suggestions_on_paragraph_key(document_id: int, key: str) -> QuerySet:
    """Suggestions on a paragraph in every version of its document (the stable ID links them)."""
    paragraphs = Paragraph.objects.filter(version__document_id=document_id, key=key).values("pk")
    return public_suggestions().filter(paragraph__in=paragraphs).order_by("-support_count", "-created_at", "-pk")


def filter_suggestions(queryset: QuerySet, filters: dict) -> QuerySet:
    """Apply the list filters; ``filters`` holds cleaned values (model instances, codes, strings)."""
    if filters.get("q"):
        queryset = full_text.search(queryset, filters["q"])
    if filters.get("version"):
        queryset = queryset.filter(version=filters["version"])
    if filters.get("section"):
        queryset = queryset.filter(section=filters["section"])
    if filters.get("paragraph"):
        queryset = queryset.filter(paragraph=filters["paragraph"])
    for name in ("strand", "region"):
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("status"):
        queryset = (
            queryset.filter(status__in=filters["status"])
            if isinstance(filters["status"], list | tuple)
            else queryset.filter(status=filters["status"])
        )
    if filters.get("language"):
        queryset = queryset.filter(language=filters["language"])
    if filters.get("assigned_to"):
        queryset = queryset.filter(assigned_to=filters["assigned_to"])
    if filters.get("unassigned"):
        queryset = queryset.filter(assigned_to__isnull=True)
    return queryset.order_by(*SORTS.get(filters.get("sort") or "newest", SORTS["newest"]))


def suggestion_for_page(reference: str) -> Suggestion:
    try:
        return (
            public_suggestions()
            .select_related("merged_into", "version__document__programme")
            .prefetch_related(
                Prefetch("status_changes", queryset=StatusChange.objects.order_by("created_at", "pk")),
                Prefetch("merged_suggestions", queryset=Suggestion.objects.order_by("created_at")),
            )
            .get(reference=reference)
        )
    except Suggestion.DoesNotExist:
        raise Http404 from None


def suggestion_by_follow_token(token: str) -> Suggestion:
    try:
        return (
            Suggestion.objects.select_related(*LIST_RELATED, "merged_into")
            .prefetch_related(Prefetch("status_changes", queryset=StatusChange.objects.order_by("created_at", "pk")))
            .get(follow_token=token)
        )
    except Suggestion.DoesNotExist:
        raise Http404 from None


def triage_queue() -> QuerySet:
    """The officers' queue with what its rows show (fifty a page: every related row read is a model built)."""
    return Suggestion.objects.select_related("version__document", "strand", "region", "assigned_to")


def possible_duplicates(suggestion: Suggestion, limit: int = 5, threshold: float | None = None) -> list[SimilarPair]:
    """The stored possible duplicates at or above the version's threshold, best first, without the pairs an
    officer dismissed. Each carries ``decision`` ("confirmed" or "") and ``band`` (how strong the match is)."""
    from kelisim.consultations.pairs import band, decisions_for
    from kelisim.consultations.text import shared_terms

    if threshold is None:
        threshold = suggestion.version.duplicate_threshold
    decisions = decisions_for(suggestion.pk)
    dismissed = [pk for pk, decision in decisions.items() if decision == PairDecision.Decision.DISMISSED]
    pairs = list(
        SimilarPair.objects.filter(suggestion=suggestion, score__gte=threshold)
        .exclude(other__in=dismissed)
        .select_related("other")
        .order_by("-score", "other_id")[:limit]
    )
    mine = f"{suggestion.title} {suggestion.text}"
    for pair in pairs:
        pair.decision = decisions.get(pair.other_id, "")
        pair.band = band(pair.score, threshold, pair.standout)
        pair.shared_terms = shared_terms(mine, f"{pair.other.title} {pair.other.text}")
    return pairs


def statistics(version: DocumentVersion | None = None) -> dict:
    """Counts by status, section, strand, region and week (merged suggestions count under their status)."""
    base = Suggestion.objects.filter(version__is_published=True)
    if version is not None:
        base = base.filter(version=version)
    labels = dict(Status.choices)
    by_status = {row["status"]: row["count"] for row in base.values("status").annotate(count=Count("pk"))}
    return {
        "total": sum(by_status.values()),
        "by_status": [(labels[code], by_status.get(code, 0)) for code in Status.values],
        "by_section": _labelled(base, "section", "section__heading_"),
        "by_strand": _labelled(base, "strand", "strand__name_"),
        "by_region": _labelled(base, "region", "region__name_"),
        "by_channel": _by_channel(base),
        "by_week": [
            (row["week"].date() if hasattr(row["week"], "date") else row["week"], row["count"])
            for row in base.annotate(week=TruncWeek("created_at"))
            .values("week")
            .annotate(count=Count("pk"))
            .order_by("week")
        ],
    }


def _by_channel(queryset: QuerySet) -> list[tuple[str, int]]:
    """(channel label, count) for every channel, in the order of Channel, zeros included."""
    counts = {row["channel"]: row["count"] for row in queryset.values("channel").annotate(count=Count("pk"))}
    return [(label, counts.get(code, 0)) for code, label in Channel.choices]


def _labelled(queryset: QuerySet, field: str, label_prefix: str) -> list[tuple[str, int]]:
    from kelisim.core.i18n import fallback_order

    languages = fallback_order()
    columns = [f"{label_prefix}{code}" for code in languages]
    rows = queryset.values(field, *columns).annotate(count=Count("pk")).order_by("-count")
    result = []
    for row in rows:
        if row[field] is None:
            continue
        label = next((row[column] for column in columns if row[column]), "—")
        result.append((label, row["count"]))
    return result


def open_counts() -> dict[str, int]:
    return Suggestion.objects.aggregate(
        open=Count("pk", filter=Q(status__in=[Status.RECEIVED, Status.UNDER_REVIEW])),
        total=Count("pk"),
    )
