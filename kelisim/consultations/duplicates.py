"""Possible duplicates for officers: character trigram TF-IDF over Kazakh, Russian and English text.

Indexing runs in a background task after a suggestion is sent (participants never wait for it):
its rarest grams go into an inverted index (with global document frequencies for IDF), the
suggestions sharing most of those grams are scored by cosine similarity of their TF-IDF vectors
(computed from their text with the current frequencies, so nothing stale is stored) and the best
ones are stored as pairs both ways. An officer's look-up is then a single indexed query.
"""

from django.db import transaction
from django.db.models import Count

from kelisim.consultations.models import (
    FingerprintGram,
    GramFrequency,
    SimilarPair,
    Suggestion,
)
from kelisim.consultations.text import cosine, grams, tfidf_vector

INDEXED_GRAMS = 16  # rarest grams per suggestion kept in the inverted index
QUERY_GRAMS = 32  # rarest grams of the new suggestion used to fetch candidates
CANDIDATES = 60
THRESHOLD = 0.35
KEPT_PAIRS = 10


def _rarest(vector_counts, frequencies: dict[int, int], how_many: int) -> list[int]:
    return sorted(vector_counts, key=lambda gram: (frequencies.get(gram, 0), gram))[:how_many]


def suggestion_text(suggestion: Suggestion) -> str:
    return f"{suggestion.title} {suggestion.text}"


def _vectors(texts: dict[int, str]) -> dict[int, dict]:
    """TF-IDF vectors for several texts with the current document frequencies (one query for all grams)."""
    counts = {pk: grams(text) for pk, text in texts.items()}
    wanted = set()
    for value in counts.values():
        wanted.update(value)
    frequencies = dict(GramFrequency.objects.filter(gram__in=list(wanted)).values_list("gram", "count"))
    total = max(1, Suggestion.objects.count())
    return {pk: tfidf_vector(value, frequencies, total) for pk, value in counts.items()}


@transaction.atomic
def index_suggestion(suggestion: Suggestion) -> list[SimilarPair]:
    """(Re)index one suggestion and store its possible duplicates, both ways."""
    counts = grams(suggestion_text(suggestion))
    document_id = suggestion.version.document_id
    already_indexed = FingerprintGram.objects.filter(suggestion=suggestion).exists()
    if not already_indexed:
        known = dict(GramFrequency.objects.filter(gram__in=list(counts)).values_list("gram", "count"))
        # Document frequencies are approximate under concurrent writers; IDF only needs their order of size.
        GramFrequency.objects.bulk_create(
            [GramFrequency(gram=gram, count=known.get(gram, 0) + 1) for gram in counts],
            update_conflicts=True,
            unique_fields=["gram"],
            update_fields=["count"],
        )
    known = dict(GramFrequency.objects.filter(gram__in=list(counts)).values_list("gram", "count"))
    FingerprintGram.objects.filter(suggestion=suggestion).delete()
    FingerprintGram.objects.bulk_create(
        [
            FingerprintGram(document_id=document_id, gram=gram, suggestion=suggestion)
            for gram in _rarest(counts, known, INDEXED_GRAMS)
        ]
    )
    candidate_ids = list(
        FingerprintGram.objects.filter(document_id=document_id, gram__in=_rarest(counts, known, QUERY_GRAMS))
        .exclude(suggestion=suggestion)
        .values("suggestion")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-suggestion")
        .values_list("suggestion", flat=True)[:CANDIDATES]
    )
    texts = {
        pk: f"{title} {text}"
        for pk, title, text in Suggestion.objects.filter(pk__in=candidate_ids).values_list("pk", "title", "text")
    }
    texts[suggestion.pk] = suggestion_text(suggestion)
    vectors = _vectors(texts)
    mine = vectors.pop(suggestion.pk)
    scored = sorted(
        ((score, other_id) for other_id, vector in vectors.items() if (score := cosine(mine, vector)) >= THRESHOLD),
        reverse=True,
    )[:KEPT_PAIRS]

    SimilarPair.objects.filter(suggestion=suggestion).delete()
    SimilarPair.objects.filter(other=suggestion).delete()
    pairs = [SimilarPair(suggestion=suggestion, other_id=other_id, score=score) for score, other_id in scored]
    pairs += [SimilarPair(suggestion_id=other_id, other=suggestion, score=score) for score, other_id in scored]
    SimilarPair.objects.bulk_create(pairs, ignore_conflicts=True)
    return pairs[: len(scored)]


def clusters(suggestion_ids: list[int], minimum_score: float = 0.5) -> dict[int, int]:
    """Group suggestions that are possible duplicates of each other: {suggestion id: cluster id}.

    The cluster id is the smallest suggestion id in the group; suggestions alone are left out.
    """
    parent = {pk: pk for pk in suggestion_ids}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for left, right in SimilarPair.objects.filter(
        suggestion__in=suggestion_ids, other__in=suggestion_ids, score__gte=minimum_score
    ).values_list("suggestion", "other"):
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            parent[max(root_left, root_right)] = min(root_left, root_right)
    groups: dict[int, list[int]] = {}
    for pk in suggestion_ids:
        groups.setdefault(find(pk), []).append(pk)
    return {pk: min(members) for members in groups.values() if len(members) > 1 for pk in members}
