from django.shortcuts import get_object_or_404, render

from kelisim.accounts.permissions import is_officer
from kelisim.consultations.models import Suggestion
from kelisim.core.pagecache import PLAN_SCOPES, public_page
from kelisim.plans import selectors, trace
from kelisim.plans.views.public import visible_item_or_404


@public_page(*PLAN_SCOPES)
def trace_suggestion(request, reference: str):
    suggestion = get_object_or_404(Suggestion.objects.select_related("version__document"), reference=reference)
    officer = is_officer(request.user)
    decisions = selectors.decisions_for_suggestion(suggestion, include_unpublished=officer)
    links = selectors.provenance_for_suggestion(suggestion, include_unpublished=officer)
    links_by_decision = {}
    for link in links:
        links_by_decision.setdefault(link.decision_id, []).append(link)
    for decision in decisions:
        decision.plan_links = links_by_decision.get(decision.pk, [])
    tracked_items = list({link.tracked_id: link.tracked for link in links}.values())
    return render(
        request,
        "plans/trace_suggestion.html",
        {
            "suggestion": suggestion,
            "agenda_items": suggestion.agenda_items.select_related("roundtable").order_by("roundtable__starts_at"),
            "decisions": decisions,
            "trace_steps": trace.trace_steps(tracked_items),
        },
    )


@public_page(*PLAN_SCOPES)
def trace_item(request, code: str):
    tracked = visible_item_or_404(request, code)
    officer = is_officer(request.user)
    versions = list(selectors.item_versions(tracked, include_working=officer))
    return render(
        request,
        "plans/trace_item.html",
        {
            "tracked": tracked,
            "item": versions[0] if versions else None,
            "links": list(selectors.provenance_of([tracked.pk], include_unpublished=officer)),
            "trace_steps": trace.trace_steps([tracked]),
        },
    )
