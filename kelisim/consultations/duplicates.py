"""Possible duplicates for officers: the same proposal in other words or in another of kk/ru/en.

How a pair is scored (measured with ``manage.py eval_duplicates``, see docs/duplicates.md):

* **semantic**: each suggestion is encoded once by a multilingual sentence encoder (``encoder``: e5-small,
  offline). The encoder puts two texts in the same language closer than a text and its translation, so
  before comparing, each vector has the corpus centre and half of its own language's offset from that
  centre removed (``LANGUAGE_SHARE``); the centres are running sums over all indexed suggestions
  (``LanguageCentre``). The cosine of the centred vectors is the semantic score.
* **lexical**: character trigram TF-IDF cosine (the earlier finder), which rewards shared wording.
* **score** = semantic + ``LEXICAL_WEIGHT`` × lexical. Pairs above ``FLOOR`` are stored both ways (the
  officers' look-up is one indexed query); each version's ``duplicate_threshold`` decides which are shown.
* **standout**: suggestions on the same topic score high with each other whether or not they propose the same
  thing. What marks the same proposal is a score far above the suggestion's *background* (its mean semantic
  score with the rest of the document), in units of that background's spread, for both suggestions. The
  lower of the two z-scores gives the band officers see ("strong", "likely", "possible").

Indexing runs in a background task after a suggestion is sent. The vectors of a document are held in the
worker's memory (loaded once, then only the new rows), so a new suggestion is compared with all of its
document's suggestions by one matrix product. While a document is young its language centres still move,
so each time its number of suggestions doubles (up to ``RESCORE_UP_TO``) all its pairs are scored again.
"""

import functools
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Q

from kelisim.consultations import encoder
from kelisim.consultations.models import (
    FingerprintGram,
    GramFrequency,
    LanguageCentre,
    SimilarPair,
    Suggestion,
    SuggestionVector,
)

# Officers' decisions, groups and bands live in ``pairs`` (no numpy); imported here, where they used to be.
from kelisim.consultations.pairs import (  # noqa: F401
    STANDOUT_LIKELY,
    STANDOUT_STRONG,
    band,
    clusters,
    decisions_for,
    ordered,
)
from kelisim.consultations.text import cosine, grams, tfidf_vector

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_SHARE = 0.5  # share of a language's offset from the corpus centre removed before comparing
LEXICAL_WEIGHT = 0.2
FLOOR = 0.1  # pairs scoring below this are not stored at all
SEMANTIC_CANDIDATES = 50
KEPT_PAIRS = 10
RESCORE_UP_TO = 4096
INDEXED_GRAMS = 16  # rarest grams per suggestion kept in the inverted index
QUERY_GRAMS = 32  # rarest grams of the new suggestion used to fetch lexical candidates
LEXICAL_CANDIDATES = 30
# Prior centres (mean vector of the interface strings in each language, `manage.py language_centres`), counted
# as PRIOR_WEIGHT suggestions: a young consultation is centred on them, a large one on its own suggestions.
PRIOR_FILE = Path(__file__).parent / "data" / "language_centres.npy"
PRIOR_WEIGHT = 100
# A background needs enough other suggestions to have a spread; smaller documents get bands from the score.
BACKGROUND_MINIMUM = 20


def suggestion_text(suggestion: Suggestion) -> str:
    return f"{suggestion.title} {suggestion.text}".strip()


def _language_index(language: str) -> int:
    return LANGUAGES.index(language) if language in LANGUAGES else LANGUAGES.index("en")


# --- Language centres ----------------------------------------------------------------------------------


@functools.cache
def _prior() -> np.ndarray:
    if PRIOR_FILE.exists():
        return np.load(PRIOR_FILE).astype(np.float64)
    return np.zeros((len(LANGUAGES), encoder.DIMENSIONS))


def _offsets() -> np.ndarray:
    """One row per language: what is subtracted from a vector of that language before comparing."""
    totals = _prior() * PRIOR_WEIGHT
    counts = np.full(len(LANGUAGES), float(PRIOR_WEIGHT))
    for centre in LanguageCentre.objects.filter(language__in=LANGUAGES):
        index = LANGUAGES.index(centre.language)
        totals[index] = totals[index] + encoder.from_bytes(centre.total)
        counts[index] += centre.count
    means = totals / counts[:, None]
    overall = totals.sum(axis=0) / counts.sum()
    return (overall + LANGUAGE_SHARE * (means - overall)).astype(np.float32)


def _add_to_centre(language: str, vector: np.ndarray) -> None:
    language = LANGUAGES[_language_index(language)]
    LanguageCentre.objects.get_or_create(
        language=language, defaults={"count": 0, "total": encoder.to_bytes(np.zeros(encoder.DIMENSIONS))}
    )
    centre = LanguageCentre.objects.select_for_update().get(language=language)
    centre.total = encoder.to_bytes(encoder.from_bytes(centre.total) + vector)
    centre.count += 1
    centre.save(update_fields=["total", "count"])


# --- The vectors of a document, in the worker's memory ---------------------------------------------------


@dataclass
class _Matrix:
    ids: np.ndarray
    languages: np.ndarray
    vectors: np.ndarray
    size: int = 0
    top_id: int = 0

    def append(self, ids: list[int], languages: list[int], vectors: np.ndarray) -> None:
        needed = self.size + len(ids)
        if needed > len(self.ids):
            capacity = max(needed, 2 * len(self.ids), 64)
            self.ids = np.resize(self.ids, capacity)
            self.languages = np.resize(self.languages, capacity)
            grown = np.zeros((capacity, encoder.DIMENSIONS), dtype=np.float32)
            grown[: self.size] = self.vectors[: self.size]
            self.vectors = grown
        self.ids[self.size : needed] = ids
        self.languages[self.size : needed] = languages
        self.vectors[self.size : needed] = vectors
        self.size = needed
        if ids:
            self.top_id = max(self.top_id, max(ids))

    def view(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.ids[: self.size], self.languages[: self.size], self.vectors[: self.size]


_matrices: dict[int, _Matrix] = {}
_matrices_lock = threading.Lock()


def _empty_matrix() -> _Matrix:
    return _Matrix(
        ids=np.zeros(0, dtype=np.int64),
        languages=np.zeros(0, dtype=np.int8),
        vectors=np.zeros((0, encoder.DIMENSIONS), dtype=np.float32),
    )


def _load_rows(matrix: _Matrix, rows) -> None:
    batch_ids, batch_languages, batch_vectors = [], [], []
    for suggestion_id, language, vector in rows.values_list("suggestion_id", "language", "vector").iterator(
        chunk_size=5000
    ):
        batch_ids.append(suggestion_id)
        batch_languages.append(_language_index(language))
        batch_vectors.append(encoder.from_bytes(vector))
        if len(batch_ids) == 5000:
            matrix.append(batch_ids, batch_languages, np.vstack(batch_vectors))
            batch_ids, batch_languages, batch_vectors = [], [], []
    if batch_ids:
        matrix.append(batch_ids, batch_languages, np.vstack(batch_vectors))


def document_matrix(document_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(suggestion ids, language indexes, raw vectors) of a document, as stored now.

    Kept between calls; checked against the table's row count and highest id on every call, reloaded
    whole when rows went away (a deleted suggestion, a rolled-back transaction)."""
    rows = SuggestionVector.objects.filter(document_id=document_id)
    state = rows.aggregate(count=Count("pk"), top=Max("suggestion_id"))
    count, top = state["count"], state["top"] or 0
    with _matrices_lock:
        matrix = _matrices.get(document_id)
        if matrix is not None and matrix.size == count and matrix.top_id == top:
            return matrix.view()
        if matrix is not None and top > matrix.top_id:
            _load_rows(matrix, rows.filter(suggestion_id__gt=matrix.top_id).order_by("suggestion_id"))
        if matrix is None or matrix.size != count or matrix.top_id != top:
            matrix = _empty_matrix()
            _load_rows(matrix, rows.order_by("suggestion_id"))
        _matrices[document_id] = matrix
        return matrix.view()


def forget_matrices() -> None:
    with _matrices_lock:
        _matrices.clear()


def _centred(vector: np.ndarray, language: int, offsets: np.ndarray) -> np.ndarray:
    centred = vector - offsets[language]
    return centred / (np.linalg.norm(centred) or 1.0)


def semantic_scores(query: np.ndarray, query_language: int, languages: np.ndarray, vectors: np.ndarray, offsets):
    """Cosine of the centred query with every centred row, without building the centred matrix:
    (q·v − q·o) / ‖v − o‖, where ‖v − o‖² = ‖v‖² − 2 v·o + ‖o‖² and o is the row's language offset."""
    if not len(vectors):
        return np.zeros(0, dtype=np.float32)
    centred_query = _centred(query, query_language, offsets)
    products = vectors @ np.vstack([centred_query, offsets]).T  # (n, 1 + languages)
    rows = np.arange(len(vectors))
    row_offset = products[rows, 1 + languages.astype(np.int64)]
    offset_norms = np.einsum("ij,ij->i", offsets, offsets)[languages.astype(np.int64)]
    vector_norms = np.einsum("ij,ij->i", vectors, vectors)
    norms = np.sqrt(np.maximum(vector_norms - 2 * row_offset + offset_norms, 1e-12))
    return (products[:, 0] - (offsets @ centred_query)[languages.astype(np.int64)]) / norms


# --- Background and standout --------------------------------------------------------------------------------


def background(semantic: np.ndarray) -> tuple[float | None, float | None]:
    """Mean and standard deviation of a suggestion's semantic scores with the rest of its document
    (entries of -inf, the suggestion itself, are left out); (None, None) while there are too few."""
    finite = semantic[np.isfinite(semantic)]
    if len(finite) < BACKGROUND_MINIMUM:
        return None, None
    spread = float(finite.std())
    return float(finite.mean()), (spread if spread > 1e-6 else None)


def standout(semantic: float, *backgrounds: tuple[float | None, float | None]) -> float | None:
    """How many spreads ``semantic`` lies above the backgrounds of both suggestions: the lower of the two."""
    values = []
    for mean, spread in backgrounds:
        if mean is None or not spread:
            return None
        values.append((semantic - mean) / spread)
    return min(values) if values else None


def _backgrounds(ids) -> dict[int, tuple[float | None, float | None]]:
    return {
        pk: (mean, spread)
        for pk, mean, spread in SuggestionVector.objects.filter(suggestion_id__in=list(ids)).values_list(
            "suggestion_id", "background_mean", "background_spread"
        )
    }


# --- Lexical part (character trigrams) ---------------------------------------------------------------------


def _rarest(vector_counts, frequencies: dict[int, int], how_many: int) -> list[int]:
    return sorted(vector_counts, key=lambda gram: (frequencies.get(gram, 0), gram))[:how_many]


def _lexical_vectors(texts: dict[int, str]) -> dict[int, dict]:
    """TF-IDF vectors for several texts with the current document frequencies (one query for all grams)."""
    counts = {pk: grams(text) for pk, text in texts.items()}
    wanted = set()
    for value in counts.values():
        wanted.update(value)
    frequencies = dict(GramFrequency.objects.filter(gram__in=list(wanted)).values_list("gram", "count"))
    total = max(1, Suggestion.objects.count())
    return {pk: tfidf_vector(value, frequencies, total) for pk, value in counts.items()}


def _index_grams(suggestion: Suggestion, counts, document_id: int, first_time: bool) -> list[int]:
    """Keep the trigram inverted index; the suggestions sharing most rare grams (near-copies) come back."""
    if first_time:
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
    return list(
        FingerprintGram.objects.filter(document_id=document_id, gram__in=_rarest(counts, known, QUERY_GRAMS))
        .exclude(suggestion=suggestion)
        .values("suggestion")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-suggestion")
        .values_list("suggestion", flat=True)[:LEXICAL_CANDIDATES]
    )


# --- Indexing --------------------------------------------------------------------------------------------


def _vector_of(suggestion: Suggestion) -> tuple[np.ndarray, bool]:
    stored = SuggestionVector.objects.filter(suggestion=suggestion).values_list("vector", flat=True).first()
    if stored is not None:
        return encoder.from_bytes(stored), False
    return encoder.encode([suggestion_text(suggestion)])[0], True


def index_suggestion(suggestion: Suggestion) -> list[SimilarPair]:
    """(Re)index one suggestion and store its possible duplicates, both ways."""
    vector, new = _vector_of(suggestion)  # encoding (tens of ms) happens outside the transaction
    document_id = suggestion.version.document_id
    with transaction.atomic():
        if new:
            _, created = SuggestionVector.objects.get_or_create(
                suggestion=suggestion,
                defaults={
                    "document_id": document_id,
                    "language": suggestion.language,
                    "vector": encoder.to_bytes(vector),
                },
            )
            if created:
                _add_to_centre(suggestion.language, vector)
        counts = grams(suggestion_text(suggestion))
        lexical_ids = _index_grams(suggestion, counts, document_id, first_time=new)
        ids, languages, vectors = document_matrix(document_id)
        offsets = _offsets()
        semantic = semantic_scores(vector, _language_index(suggestion.language), languages, vectors, offsets)
        semantic[ids == suggestion.pk] = -np.inf
        mine = background(semantic)
        SuggestionVector.objects.filter(suggestion=suggestion).update(
            background_mean=mine[0], background_spread=mine[1]
        )
        top = min(SEMANTIC_CANDIDATES, max(0, len(ids) - 1))
        chosen = np.argpartition(-semantic, top)[:top] if top and top < len(ids) else np.arange(len(ids))
        candidates = {int(ids[i]): float(semantic[i]) for i in chosen if semantic[i] > -np.inf}
        position = {int(pk): i for i, pk in enumerate(ids)} if lexical_ids else {}
        for pk in lexical_ids:
            if pk not in candidates:
                candidates[pk] = float(semantic[position[pk]]) if pk in position else 0.0
        scored = _combine(suggestion.pk, suggestion_text(suggestion), candidates, mine)
        SimilarPair.objects.filter(Q(suggestion=suggestion) | Q(other=suggestion)).delete()
        pairs = _pairs(suggestion.pk, scored)
        SimilarPair.objects.bulk_create(pairs, ignore_conflicts=True)
    if new and len(ids) <= RESCORE_UP_TO and len(ids) >= 4 and (len(ids) & (len(ids) - 1)) == 0:
        rescore_document(document_id)
    return pairs[: len(scored)]


def _combine(pk: int, text: str, candidates: dict[int, float], mine) -> list[tuple]:
    """(score, semantic, lexical, other id, standout) of the best candidates, best first."""
    texts = {
        other: f"{title} {body}".strip()
        for other, title, body in Suggestion.objects.filter(pk__in=list(candidates)).values_list("pk", "title", "text")
    }
    texts[pk] = text
    lexical = _lexical_vectors(texts)
    my_lexical = lexical.pop(pk)
    theirs = _backgrounds(candidates)
    scored = []
    for other, semantic in candidates.items():
        if other not in lexical:
            continue
        lexical_score = cosine(my_lexical, lexical[other])
        score = semantic + LEXICAL_WEIGHT * lexical_score
        if score >= FLOOR:
            stands = standout(semantic, mine, theirs.get(other, (None, None)))
            scored.append((score, semantic, lexical_score, other, stands))
    scored.sort(key=lambda entry: entry[:4], reverse=True)
    return scored[:KEPT_PAIRS]


def _pairs(pk: int, scored) -> list[SimilarPair]:
    forward = [
        SimilarPair(suggestion_id=pk, other_id=other, score=score, semantic=semantic, lexical=lexical, standout=stands)
        for score, semantic, lexical, other, stands in scored
    ]
    backward = [
        SimilarPair(suggestion_id=other, other_id=pk, score=score, semantic=semantic, lexical=lexical, standout=stands)
        for score, semantic, lexical, other, stands in scored
    ]
    return forward + backward


def rescore_document(document_id: int) -> int:
    """Score every pair of a (young) document again with the current language centres. Returns pairs stored."""
    ids, languages, vectors = document_matrix(document_id)
    if not len(ids):
        return 0
    offsets = _offsets()
    centred = vectors - offsets[languages.astype(np.int64)]
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
    similarity = centred @ centred.T
    np.fill_diagonal(similarity, -np.inf)
    backgrounds = {int(pk): background(similarity[row]) for row, pk in enumerate(ids.tolist())}
    rows = Suggestion.objects.filter(pk__in=[int(pk) for pk in ids]).values_list("pk", "title", "text")
    texts = {pk: f"{title} {body}".strip() for pk, title, body in rows}
    lexical = _lexical_vectors(texts)
    top = min(KEPT_PAIRS + 10, len(ids) - 1)
    best: dict[tuple[int, int], SimilarPair] = {}
    for row, pk in enumerate(ids.tolist()):
        if top <= 0 or pk not in lexical:
            continue
        chosen = np.argpartition(-similarity[row], top - 1)[:top] if top < len(ids) - 1 else range(len(ids))
        scored = []
        for column in chosen:
            other = int(ids[column])
            if other == pk or other not in lexical:
                continue
            lexical_score = cosine(lexical[pk], lexical[other])
            score = float(similarity[row, column]) + LEXICAL_WEIGHT * lexical_score
            if score >= FLOOR:
                semantic = float(similarity[row, column])
                stands = standout(semantic, backgrounds[pk], backgrounds[other])
                scored.append((score, semantic, lexical_score, other, stands))
        scored.sort(key=lambda entry: entry[:4], reverse=True)
        for pair in _pairs(pk, scored[:KEPT_PAIRS]):
            best[(pair.suggestion_id, pair.other_id)] = pair
    with transaction.atomic():
        vectors_rows = list(SuggestionVector.objects.filter(document_id=document_id).only("suggestion_id"))
        for row in vectors_rows:
            row.background_mean, row.background_spread = backgrounds.get(row.suggestion_id, (None, None))
        SuggestionVector.objects.bulk_update(vectors_rows, ["background_mean", "background_spread"], batch_size=1000)
        SimilarPair.objects.filter(suggestion__version__document_id=document_id).delete()
        SimilarPair.objects.bulk_create(list(best.values()), ignore_conflicts=True)
    return len(best)
