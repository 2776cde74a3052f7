"""Reading the stored duplicate pairs: grouping a page of suggestions, one suggestion's decisions, score bands.

Kept apart from ``duplicates`` (which computes the pairs with numpy and the sentence encoder) so that the pages
reading pairs do not load numpy into every web process (worker memory, issue 13).
"""

from django.db.models import CharField, F, Q, Value

from kelisim.consultations.models import PairDecision, SimilarPair


def ordered(first_id: int, second_id: int) -> tuple[int, int]:
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


def decisions_for(suggestion_id: int) -> dict[int, str]:
    """{other suggestion id: decision} for one suggestion."""
    result = {}
    for first, second, decision in PairDecision.objects.filter(
        Q(first_id=suggestion_id) | Q(second_id=suggestion_id)
    ).values_list("first_id", "second_id", "decision"):
        result[second if first == suggestion_id else first] = decision
    return result


def clusters(suggestion_ids: list[int]) -> dict[int, int]:
    """Group suggestions that are duplicates of each other: {suggestion id: cluster id}.

    Confirmed pairs always join; a stored pair joins when its score reaches its version's threshold and no
    officer dismissed it. The cluster id is the smallest suggestion id in the group; lone ones are left out.
    """
    parent = {pk: pk for pk in suggestion_ids}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    def join(left: int, right: int) -> None:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            parent[max(root_left, root_right)] = min(root_left, root_right)

    # Officers' decisions and stored pairs in one query (a UNION): the triage page stays within its query budget.
    decided = PairDecision.objects.filter(first__in=suggestion_ids, second__in=suggestion_ids).values_list(
        "first_id", "second_id", "decision"
    )
    stored = (
        SimilarPair.objects.filter(
            suggestion__in=suggestion_ids,
            other__in=suggestion_ids,
            score__gte=F("suggestion__version__duplicate_threshold"),
        )
        .annotate(decision=Value("", output_field=CharField()))
        .values_list("suggestion", "other", "decision")
    )
    decisions, pairs = {}, []
    for left, right, decision in decided.union(stored, all=True):
        if decision:
            decisions[(left, right)] = decision
        else:
            pairs.append((left, right))
    for (first, second), decision in decisions.items():
        if decision == PairDecision.Decision.CONFIRMED:
            join(first, second)
    for left, right in pairs:
        if decisions.get(ordered(left, right)) != PairDecision.Decision.DISMISSED:
            join(left, right)
    groups: dict[int, list[int]] = {}
    for pk in suggestion_ids:
        groups.setdefault(find(pk), []).append(pk)
    return {pk: min(members) for members in groups.values() if len(members) > 1 for pk in members}


# How far (in spreads of the two suggestions' backgrounds) a pair must stand out to be banded "strong"/"likely".
STANDOUT_STRONG = 3.0
STANDOUT_LIKELY = 2.0


def band(score: float, threshold: float, stands: float | None = None) -> str:
    """ "strong", "likely" or "possible": by how far the pair stands out from both suggestions' backgrounds,
    or, in a document too small to have one, by how far above the shown threshold it scores."""
    if stands is not None:
        if stands >= STANDOUT_STRONG:
            return "strong"
        return "likely" if stands >= STANDOUT_LIKELY else "possible"
    if score >= threshold + 0.15:
        return "strong"
    if score >= threshold + 0.07:
        return "likely"
    return "possible"
