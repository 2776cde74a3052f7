"""The officers' triage: the queue with its bulk actions, and one suggestion's status, assignment and merge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from kelisim.accounts.decorators import officer_required
from kelisim.accounts.models import RoleGrant, User
from kelisim.consultations import selectors, services
from kelisim.consultations.forms import (
    AssignForm,
    BulkActionForm,
    MergeForm,
    PairDecisionForm,
    RecordSuggestionForm,
    StatusForm,
    ThresholdForm,
    TriageFilterForm,
)
from kelisim.consultations.models import Channel, Document, DocumentVersion, Section, Suggestion
from kelisim.consultations.pairs import clusters
from kelisim.consultations.templatetags.kelisim_consultations import status_badge
from kelisim.consultations.views.saving import saved
from kelisim.core import pagecache
from kelisim.core.files import file_response
from kelisim.core.links import url_for_each
from kelisim.core.models import Region, Strand
from kelisim.core.pagination import KeysFirstPaginator
from kelisim.core.templatetags.kelisim import localized


@officer_required
def triage(request):
    if request.method == "POST":
        return _bulk_action(request)
    form = TriageFilterForm(request.GET)
    filters = form.filters(user=request.user)
    queryset = selectors.filter_suggestions(selectors.triage_queue(), filters)
    # The total and the rows of one filter's page are the same for every officer: counted and written once per
    # change of what they show (140,000 waiting suggestions: 12 ms a count), under the filter's values (compiling
    # the queue's query for a key costs more than the kept rows save).
    chosen = tuple(sorted((name, str(getattr(value, "pk", value))) for name, value in filters.items()))
    total = pagecache.kept_value("triage total", chosen, queryset.count, timeout=3600)
    paginator = KeysFirstPaginator(queryset, 50, count=total)
    number, grouped = paginator.number_of(request.GET.get("page")), request.GET.get("group") == "clusters"
    rows = pagecache.kept_value(
        "triage rows", (chosen, total, number, grouped), lambda: _rows(paginator, number, grouped)
    )
    shown = request.GET.copy()
    shown.pop("page", None)
    return render(
        request,
        "consultations/triage.html",
        {
            "form": form,
            "page_obj": paginator.pager(number),
            "rows": rows["html"],
            "bulk_form": BulkActionForm(),
            "cluster_count": rows["cluster_count"],
            # The two forms' options (documents, sections, strands, regions, officers) are rendered once per change
            # of what they list, per language and filter: half of the page's work otherwise (issue 13).
            "forms_stamp": pagecache.version_stamp(Document, DocumentVersion, Section, Strand, Region, User, RoleGrant),
            "filters_shown": shown.urlencode(),
            "forms_seconds": pagecache.fragment_seconds(),
        },
    )


def _rows(paginator, number: int, grouped: bool) -> dict:
    """The queue's rows on one page, written out, and how many groups of possible duplicates they hold."""
    items = list(paginator.page(number).object_list)
    cluster_of = clusters([item.pk for item in items])
    for item in items:
        item.cluster = cluster_of.get(item.pk)
    if grouped:
        items.sort(key=lambda item: (item.cluster is None, item.cluster or 0, item.created_at))
    return {"html": triage_rows_html(items), "cluster_count": len(set(cluster_of.values()))}


def triage_rows_html(items) -> str:
    """The triage queue's rows (fifty a page), written here rather than in the template: as a template loop they
    cost more than half of the page's rendering (a link, a document's title, a translated label, a badge a row).
    What is the same for every row (the link's pattern, the label's wording, each document's title) is worked out
    once per page."""
    if not items:
        return format_html('<tr><td colspan="7">{}</td></tr>', gettext("Nothing waiting."))
    link = url_for_each("consultations:triage_detail")
    select_label = gettext("Select %(reference)s")
    titles: dict[int, str] = {}
    rows = []
    for item in items:
        document = item.version.document
        if document.pk not in titles:
            titles[document.pk] = localized(document, "title")
        reference = conditional_escape(item.reference)
        where = [titles[document.pk]]
        if item.strand_id:
            where.append(conditional_escape(item.strand.name))
        if item.region_id:
            where.append(conditional_escape(item.region.name))
        where.append(conditional_escape(item.language))
        if item.channel != Channel.WEB:
            where.append(format_html('<span data-channel="{}">{}</span>', item.channel, item.get_channel_display()))
        cluster = getattr(item, "cluster", None)
        rows.append(
            format_html(
                '<tr{}><td><input type="checkbox" name="selected" value="{}" id="select-{}" aria-label="{}"></td>'
                '<td class="nowrap"><a href="{}">{}</a></td>'
                '<td><span lang="{}">{}</span><br><span class="muted">{}</span></td>'
                "<td>{}</td><td>{}</td><td>{}</td>"
                '<td class="num">{}</td></tr>',
                mark_safe(' class="in-cluster"') if cluster else "",
                reference,
                reference,
                select_label % {"reference": item.reference},
                link(item.reference),
                reference,
                item.language,
                item.display_title,
                mark_safe(" · ".join(where)),
                status_badge(item),
                format_html('<span class="badge badge-warn" data-cluster="{}">#{}</span>', cluster, cluster)
                if cluster
                else "",
                item.assigned_to if item.assigned_to_id else "—",
                item.days_waiting,
            )
        )
    return mark_safe("\n".join(rows))


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _bulk_action(request):
    form = BulkActionForm(request.POST)
    references = request.POST.getlist("selected")
    suggestions = list(Suggestion.objects.filter(reference__in=references).order_by("created_at", "pk"))
    back = _safe_next(request, reverse("consultations:triage"))
    if not suggestions:
        messages.error(request, _("Select at least one suggestion."))
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        _bulk(request, form.cleaned_data, suggestions, references)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(back)


def _bulk(request, data: dict, suggestions: list[Suggestion], references: list[str]) -> None:
    if data["action"] == "answer":
        services.answer_suggestions(
            actor=request.user, suggestions=suggestions, to=data["status"], answer=data["answer"], reason=data["reason"]
        )
        count = len(suggestions)
        messages.success(
            request,
            ngettext("%(count)d suggestion answered.", "%(count)d suggestions answered.", count) % {"count": count},
        )
    elif data["action"] == "assign":
        services.assign_suggestions(actor=request.user, suggestions=suggestions, assignee=data["assignee"])
        count = len(suggestions)
        messages.success(
            request,
            ngettext("%(count)d suggestion assigned.", "%(count)d suggestions assigned.", count) % {"count": count},
        )
    else:
        primary, *duplicates = sorted(suggestions, key=lambda s: references.index(s.reference))
        if not duplicates:
            messages.error(request, _("Select the suggestion to keep and at least one duplicate."))
            return
        services.merge_suggestions(actor=request.user, primary=primary, duplicates=duplicates, reason=data["reason"])
        messages.success(
            request,
            ngettext(
                "%(count)d suggestion merged into %(reference)s.",
                "%(count)d suggestions merged into %(reference)s.",
                len(duplicates),
            )
            % {"count": len(duplicates), "reference": primary.reference},
        )


# --- One suggestion: each action is a form and the service it calls -------------------------------


def _change_status(actor, suggestion: Suggestion, data: dict) -> str:
    services.transition_suggestion(
        actor=actor, suggestion=suggestion, to=data["status"], answer=data["answer"], reason=data["reason"]
    )
    return _("Status changed.")


def _assign(actor, suggestion: Suggestion, data: dict) -> str:
    services.assign_suggestions(actor=actor, suggestions=[suggestion], assignee=data["assignee"])
    return _("Assignment saved.")


def _merge(actor, suggestion: Suggestion, data: dict) -> str:
    references = data["duplicates"]
    duplicates = list(Suggestion.objects.filter(reference__in=references))
    missing = set(references) - {duplicate.reference for duplicate in duplicates}
    if missing:
        raise ValidationError(
            {"duplicates": _("Not found: %(references)s") % {"references": ", ".join(sorted(missing))}}
        )
    services.merge_suggestions(actor=actor, primary=suggestion, duplicates=duplicates, reason=data["reason"])
    return _("Suggestions merged.")


def _decide_pair(actor, suggestion: Suggestion, data: dict) -> str:
    other = Suggestion.objects.filter(reference=data["reference"]).first()
    if other is None:
        raise ValidationError({"choice": _("Not found: %(references)s") % {"references": data["reference"]}})
    services.decide_duplicate(actor=actor, suggestion=suggestion, other=other, decision=data["decision"])
    if data["decision"] == "confirmed":
        return _("Marked as the same proposal: the two are now grouped.")
    return _("Marked as not the same: this pair will not be proposed again.")


def _threshold(actor, suggestion: Suggestion, data: dict) -> str:
    services.set_duplicate_threshold(actor=actor, version=suggestion.version, threshold=data["threshold"])
    return _("Threshold saved for this consultation.")


DETAIL_ACTIONS = {
    "status": (StatusForm, _change_status),
    "assign": (AssignForm, _assign),
    "merge": (MergeForm, _merge),
    "pair": (PairDecisionForm, _decide_pair),
    "threshold": (ThresholdForm, _threshold),
}


def _posted(request, action: str):
    """The POST data for ``action``'s form; the ticked possible duplicates fill the merge form's field."""
    data = request.POST.copy()
    if action == "merge" and data.getlist("merge-pick"):
        data["merge-duplicates"] = " ".join(data.getlist("merge-pick"))
    return data


@officer_required
def record(request):
    """Record a suggestion received by letter, phone, at a meeting or by forwarded email."""
    form = RecordSuggestionForm(request.POST or None, request.FILES or None)
    created = {}

    def save(data: dict) -> str:
        created["suggestion"] = services.record_suggestion(
            actor=request.user,
            version=data["version"],
            channel=data["channel"],
            text=data["text"],
            received_on=data["received_on"],
            title=data["title"],
            language=data["language"],
            contact_email=data["contact_email"],
            contact_note=data["contact_note"],
            scan=data["scan"],
        )
        return _("Suggestion %(reference)s recorded.") % {"reference": created["suggestion"].reference}

    if request.method == "POST" and saved(request, form, save):
        return redirect("consultations:triage_detail", reference=created["suggestion"].reference)
    return render(request, "consultations/record.html", {"form": form}, status=400 if request.method == "POST" else 200)


@officer_required
def scan(request, reference):
    """The scan of a letter, for officers only (it may show a name and an address)."""
    suggestion = get_object_or_404(Suggestion, reference=reference)
    if not suggestion.scan:
        raise Http404
    return file_response(suggestion.scan, original_name=f"scan-{suggestion.reference}", fallback="scan")


@officer_required
def triage_detail(request, reference):
    suggestion = get_object_or_404(
        selectors.triage_queue()
        .select_related("section", "paragraph", "author")
        .prefetch_related("status_changes__actor", "merged_suggestions"),
        reference=reference,
    )
    forms = {
        "status": StatusForm(prefix="status"),
        "assign": AssignForm(prefix="assign", initial={"assignee": suggestion.assigned_to_id}),
        "merge": MergeForm(prefix="merge"),
    }
    forms["threshold"] = ThresholdForm(
        prefix="threshold", initial={"threshold": suggestion.version.duplicate_threshold}
    )
    action = "pair" if "pair-choice" in request.POST else request.POST.get("action")
    if request.method == "POST" and action in DETAIL_ACTIONS:
        form_class, act = DETAIL_ACTIONS[action]
        forms[action] = form_class(_posted(request, action), prefix=action)
        if saved(request, forms[action], lambda data: act(request.user, suggestion, data)):
            return redirect("consultations:triage_detail", reference=reference)
    return render(
        request,
        "consultations/triage_detail.html",
        {
            "suggestion": suggestion,
            "duplicates": selectors.possible_duplicates(suggestion, limit=10),
            "threshold_form": forms["threshold"],
            "status_form": forms["status"],
            "assign_form": forms["assign"],
            "merge_form": forms["merge"],
            "history": suggestion.status_changes.all(),
            "emails": suggestion.inbound_emails.prefetch_related("attachments").order_by("received_at", "pk"),
        },
        status=400 if request.method == "POST" else 200,
    )
