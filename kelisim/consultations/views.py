import csv
import json
import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.signing import BadSignature
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.consultations import selectors, services
from kelisim.consultations.charts import bar_chart
from kelisim.consultations.forms import (
    AssignForm,
    BulkActionForm,
    ImportForm,
    MergeForm,
    StatusForm,
    SuggestionFilterForm,
    SuggestionForm,
    TriageFilterForm,
    WindowForm,
)
from kelisim.consultations.models import Document, DocumentVersion, Suggestion
from kelisim.consultations.ratelimit import RateLimited, client_address
from kelisim.core import registry
from kelisim.core.forms import apply_validation_error

PAGE_SIZE = 25
SUPPORTER_COOKIE = "kelisim_supporter"
SUPPORTER_SALT = "consultations.supporter"


def _retry_message(error: RateLimited) -> str:
    minutes = max(1, round(error.retry_after / 60))
    return _("You have sent the most suggestions allowed for now. Please try again in %(minutes)d minutes.") % {
        "minutes": minutes
    }


# --- Public pages ---------------------------------------------------------------------------


def index(request):
    return render(request, "consultations/index.html", {"documents": selectors.documents_for_index()})


def document(request, slug):
    version = selectors.latest_published_version(slug)
    return _render_version(request, version)


def version(request, slug, number):
    return _render_version(request, selectors.published_version(slug, number))


def _render_version(request, version: DocumentVersion):
    outline = selectors.version_outline(version)
    other_versions = version.document.versions.filter(is_published=True).order_by("-number").only("number", "document")
    return render(
        request,
        "consultations/version.html",
        {"version": version, "outline": outline, "document": version.document, "other_versions": other_versions},
    )


def paragraph(request, slug, number, key):
    version = selectors.published_version(slug, number)
    paragraph = selectors.paragraph_in_version(version, key)
    suggestions = selectors.suggestions_on_paragraph_key(version.document_id, key)
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/paragraph.html",
        {"version": version, "document": version.document, "paragraph": paragraph, "page_obj": page},
    )


def _target(request, version):
    """The section or paragraph the suggestion is about, from the address (?section=…, ?paragraph=…)."""
    source = request.POST if request.method == "POST" else request.GET
    paragraph_key, section_key = source.get("paragraph", ""), source.get("section", "")
    if paragraph_key:
        return None, selectors.paragraph_in_version(version, paragraph_key)
    if section_key:
        section = version.sections.filter(key=section_key).first()
        if section is None:
            raise Http404
        return section, None
    return None, None


def suggest(request, slug, number):
    version = selectors.published_version(slug, number)
    section, paragraph = _target(request, version)
    context = {"version": version, "document": version.document, "section": section, "paragraph": paragraph}
    if not version.is_open():
        return render(request, "consultations/suggest_closed.html", context, status=403)
    if not request.user.is_authenticated and not version.allow_anonymous:
        return redirect_to_login(request.get_full_path())
    form = SuggestionForm(request.POST or None, user=request.user, version=version)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        anonymous = data.get("anonymous", False)
        try:
            suggestion = services.submit_suggestion(
                version=version,
                author=None if anonymous else request.user,
                address=client_address(request),
                text=data["text"],
                title=data["title"],
                language=data["language"],
                strand=data["strand"],
                region=data["region"],
                section=section,
                paragraph=paragraph,
                contact_email=data.get("contact_email") or "",
            )
        except RateLimited as error:
            form.add_error(None, _retry_message(error))
            status = 429
        except ValidationError as error:
            apply_validation_error(form, error)
            status = 400
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        else:
            request.session["consultations_new"] = suggestion.reference
            return redirect("consultations:follow", token=suggestion.follow_token)
    elif request.method == "POST":
        status = 400
    context["form"] = form
    return render(request, "consultations/suggest.html", context, status=status)


def follow(request, token):
    suggestion = selectors.suggestion_by_follow_token(token)
    just_sent = request.session.pop("consultations_new", None) == suggestion.reference
    response = render(request, "consultations/follow.html", {"suggestion": suggestion, "just_sent": just_sent})
    response["Referrer-Policy"] = "no-referrer"  # the address is the key; keep it out of other sites' logs
    response["X-Robots-Tag"] = "noindex"
    return response


def confirm_email(request, token):
    suggestion = Suggestion.objects.filter(contact_token=token).exclude(contact_token="").first()
    if suggestion is None:
        raise Http404
    if request.method == "POST":
        services.confirm_contact_email(token=token)
        messages.success(request, _("Thank you: your address is confirmed. We will write when there is an answer."))
        return redirect("consultations:follow", token=suggestion.follow_token)
    return render(request, "consultations/confirm_email.html", {"suggestion": suggestion})


def suggestion_list(request):
    form = SuggestionFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {"sort": "newest"}
    suggestions = selectors.filter_suggestions(selectors.public_suggestions(), filters)
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consultations/list.html", {"form": form, "page_obj": page})


def suggestion_detail(request, reference):
    suggestion = selectors.suggestion_for_page(reference)
    supported = _already_supports(request, suggestion)
    # Later apps (the action plan, …) show where the suggestion went, through core's object panels.
    panels = registry.render_object_panels(suggestion, request)
    return render(
        request,
        "consultations/suggestion.html",
        {"suggestion": suggestion, "supported": supported, "version": suggestion.version, "panels": panels},
    )


def _browser_key(request) -> str:
    try:
        return request.get_signed_cookie(SUPPORTER_COOKIE, salt=SUPPORTER_SALT, default="")
    except BadSignature:
        return ""


def _already_supports(request, suggestion) -> bool:
    target = suggestion.merged_into if suggestion.merged_into_id else suggestion
    if request.user.is_authenticated:
        return target.supports.filter(user=request.user).exists()
    key = _browser_key(request)
    return bool(key) and target.supports.filter(browser_key=key).exists()


@require_POST
def support(request, reference):
    suggestion = get_object_or_404(Suggestion.objects.select_related("merged_into"), reference=reference)
    key = _browser_key(request) or secrets.token_urlsafe(24)
    try:
        created = services.support_suggestion(
            suggestion=suggestion,
            user=request.user if request.user.is_authenticated else None,
            browser_key=key,
            address=client_address(request),
        )
    except RateLimited:
        messages.error(request, _("Too many supports from your network for now. Please try again later."))
        created = None
    else:
        if created:
            messages.success(request, _("Thank you for your support."))
        else:
            messages.info(request, _("You already support this suggestion."))
    response = redirect(suggestion.get_absolute_url())
    if not request.user.is_authenticated:
        response.set_signed_cookie(
            SUPPORTER_COOKIE,
            key,
            salt=SUPPORTER_SALT,
            max_age=60 * 60 * 24 * 365,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


# --- Open data and statistics ------------------------------------------------------------------

EXPORT_FIELDS = [
    "reference",
    "document",
    "version",
    "section",
    "paragraph",
    "title",
    "text",
    "language",
    "strand",
    "region",
    "status",
    "official_answer",
    "answered_on",
    "merged_into",
    "supporters",
    "signed",
    "sent_on",
]


def _export_rows(request):
    form = SuggestionFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    filters["sort"] = "oldest"
    queryset = selectors.filter_suggestions(selectors.public_suggestions(), filters).select_related("merged_into")
    for suggestion in queryset.iterator(chunk_size=2000):
        yield {
            "reference": suggestion.reference,
            "document": suggestion.version.document.slug,
            "version": suggestion.version.number,
            "section": suggestion.section.key if suggestion.section_id else "",
            "paragraph": suggestion.paragraph.key if suggestion.paragraph_id else "",
            "title": suggestion.title,
            "text": suggestion.text,
            "language": suggestion.language,
            "strand": suggestion.strand.code if suggestion.strand_id else "",
            "region": suggestion.region.code if suggestion.region_id else "",
            "status": suggestion.status,
            "official_answer": suggestion.official_answer,
            "answered_on": suggestion.answered_at.date().isoformat() if suggestion.answered_at else "",
            "merged_into": suggestion.merged_into.reference if suggestion.merged_into_id else "",
            "supporters": suggestion.support_count,
            "signed": suggestion.author_id is not None,
            "sent_on": timezone.localdate(suggestion.created_at).isoformat(),
        }


class _Echo:
    def write(self, value):
        return value


def export_csv(request):
    writer = csv.DictWriter(_Echo(), fieldnames=EXPORT_FIELDS)

    def rows():
        yield writer.writeheader() or ",".join(EXPORT_FIELDS) + "\r\n"
        for row in _export_rows(request):
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="suggestions.csv"'
    return response


def export_json(request):
    def chunks():
        yield '{"fields": ' + json.dumps(EXPORT_FIELDS) + ', "suggestions": ['
        first = True
        for row in _export_rows(request):
            yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="suggestions.json"'
    return response


def statistics(request):
    stats = selectors.statistics()
    weeks = stats["by_week"][-26:]
    return render(
        request,
        "consultations/statistics.html",
        {
            "stats": stats,
            "week_chart": bar_chart([(week.strftime("%d.%m"), count) for week, count in weeks]),
            "status_chart": bar_chart([(str(label), count) for label, count in stats["by_status"]]),
        },
    )


# --- Officers -------------------------------------------------------------------------------


@officer_required
def triage(request):
    if request.method == "POST":
        return _bulk_action(request)
    form = TriageFilterForm(request.GET)
    filters = form.filters(user=request.user)
    queryset = selectors.filter_suggestions(selectors.triage_queue(), filters)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    items = list(page.object_list)
    from kelisim.consultations.duplicates import clusters

    cluster_of = clusters([item.pk for item in items])
    for item in items:
        item.cluster = cluster_of.get(item.pk)
    if request.GET.get("group") == "clusters":
        items.sort(key=lambda item: (item.cluster is None, item.cluster or 0, item.created_at))
    return render(
        request,
        "consultations/triage.html",
        {
            "form": form,
            "page_obj": page,
            "items": items,
            "bulk_form": BulkActionForm(),
            "cluster_count": len(set(cluster_of.values())),
        },
    )


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
    data = form.cleaned_data
    try:
        if data["action"] == "answer":
            services.answer_suggestions(
                actor=request.user,
                suggestions=suggestions,
                status=data["status"],
                answer=data["answer"],
                reason=data["reason"],
            )
            messages.success(request, _("%(count)d suggestions answered.") % {"count": len(suggestions)})
        elif data["action"] == "assign":
            services.assign_suggestions(actor=request.user, suggestions=suggestions, assignee=data["assignee"])
            messages.success(request, _("%(count)d suggestions assigned.") % {"count": len(suggestions)})
        else:
            ordered = sorted(suggestions, key=lambda s: references.index(s.reference))
            primary, duplicates = ordered[0], ordered[1:]
            if not duplicates:
                messages.error(request, _("Select the suggestion to keep and at least one duplicate."))
                return redirect(back)
            services.merge_suggestions(
                actor=request.user, primary=primary, duplicates=duplicates, reason=data["reason"]
            )
            messages.success(
                request,
                _("%(count)d suggestions merged into %(reference)s.")
                % {"count": len(duplicates), "reference": primary.reference},
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(back)


@officer_required
def triage_detail(request, reference):
    suggestion = get_object_or_404(
        selectors.triage_queue().prefetch_related("status_changes__actor", "merged_suggestions"), reference=reference
    )
    status_form = StatusForm(prefix="status")
    assign_form = AssignForm(prefix="assign", initial={"assignee": suggestion.assigned_to_id})
    merge_form = MergeForm(prefix="merge")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "status":
                status_form = StatusForm(request.POST, prefix="status")
                if status_form.is_valid():
                    data = status_form.cleaned_data
                    services.change_status(
                        actor=request.user,
                        suggestion=suggestion,
                        status=data["status"],
                        answer=data["answer"],
                        reason=data["reason"],
                    )
                    messages.success(request, _("Status changed."))
                    return redirect("consultations:triage_detail", reference=reference)
            elif action == "assign":
                assign_form = AssignForm(request.POST, prefix="assign")
                if assign_form.is_valid():
                    services.assign_suggestions(
                        actor=request.user, suggestions=[suggestion], assignee=assign_form.cleaned_data["assignee"]
                    )
                    messages.success(request, _("Assignment saved."))
                    return redirect("consultations:triage_detail", reference=reference)
            elif action == "merge":
                data = request.POST.copy()
                if data.getlist("merge-pick"):
                    data["merge-duplicates"] = " ".join(data.getlist("merge-pick"))
                merge_form = MergeForm(data, prefix="merge")
                if merge_form.is_valid():
                    references = merge_form.cleaned_data["duplicates"]
                    duplicates = list(Suggestion.objects.filter(reference__in=references))
                    missing = set(references) - {d.reference for d in duplicates}
                    if missing:
                        merge_form.add_error(
                            "duplicates", _("Not found: %(references)s") % {"references": ", ".join(sorted(missing))}
                        )
                    else:
                        services.merge_suggestions(
                            actor=request.user,
                            primary=suggestion,
                            duplicates=duplicates,
                            reason=merge_form.cleaned_data["reason"],
                        )
                        messages.success(request, _("Suggestions merged."))
                        return redirect("consultations:triage_detail", reference=reference)
        except ValidationError as error:
            target = {"status": status_form, "assign": assign_form, "merge": merge_form}.get(action, status_form)
            apply_validation_error(target, error)
        status = 400
    return render(
        request,
        "consultations/triage_detail.html",
        {
            "suggestion": suggestion,
            "duplicates": selectors.possible_duplicates(suggestion),
            "status_form": status_form,
            "assign_form": assign_form,
            "merge_form": merge_form,
            "history": suggestion.status_changes.all(),
        },
        status=status,
    )


@officer_required
def import_document(request, slug):
    document = get_object_or_404(Document, slug=slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["mode"] == "translation":
                    latest = document.versions.order_by("-number").first()
                    if latest is None:
                        raise ValidationError({"mode": _("Import a first version before a translation.")})
                    version = services.add_translation(
                        actor=request.user, version=latest, markdown=data["markdown"], language=data["language"]
                    )
                else:
                    version = services.create_version(
                        actor=request.user,
                        document=document,
                        markdown=data["markdown"],
                        language=data["language"],
                        opens_at=data["opens_at"],
                        closes_at=data["closes_at"],
                        allow_anonymous=data["allow_anonymous"],
                        note=data["note"],
                    )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Version %(number)d saved.") % {"number": version.number})
                return redirect(version.get_absolute_url())
        status = 400
    return render(request, "consultations/import.html", {"document": document, "form": form}, status=status)


@officer_required
def edit_window(request, slug, number):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), document__slug=slug, number=number)
    initial = {
        "opens_at": timezone.localtime(version.opens_at),
        "closes_at": timezone.localtime(version.closes_at),
        "allow_anonymous": version.allow_anonymous,
        "is_published": version.is_published,
    }
    form = WindowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_window(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Consultation window saved."))
            return redirect("consultations:triage")
    return render(
        request,
        "consultations/window.html",
        {"version": version, "form": form},
        status=400 if form.errors else 200,
    )
