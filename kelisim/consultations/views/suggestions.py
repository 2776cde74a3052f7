"""Sending a suggestion, following it through the private link, the public list and page, and support."""

import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature
from django.db.models import Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kelisim.consultations import selectors, services, validation
from kelisim.consultations.forms import SuggestionFilterForm, SuggestionForm
from kelisim.consultations.models import DocumentVersion, Suggestion, Support
from kelisim.consultations.ratelimit import RateLimited, client_address
from kelisim.core import registry
from kelisim.core.forms import apply_validation_error
from kelisim.core.pagecache import EVERYTHING, cached_count, public_page, visitor_part
from kelisim.core.pagination import KnownCountPaginator

PAGE_SIZE = 25
SUPPORTER_COOKIE = "kelisim_supporter"
SUPPORTER_SALT = "consultations.supporter"


def _retry_message(error: RateLimited) -> str:
    minutes = max(1, round(error.retry_after / 60))
    return ngettext(
        "You have sent the most suggestions allowed for now. Please try again in %(minutes)d minute.",
        "You have sent the most suggestions allowed for now. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _target(request, version: DocumentVersion):
    """The section or paragraph the suggestion is about, from the address (?section=…, ?paragraph=…)."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        return validation.target_by_keys(
            version, section_key=source.get("section", ""), paragraph_key=source.get("paragraph", "")
        )
    except ValidationError:
        raise Http404 from None


def suggest(request, slug, number):
    version = selectors.published_version(slug, number)
    section, paragraph = _target(request, version)
    context = {"version": version, "document": version.document, "section": section, "paragraph": paragraph}
    if not version.is_open():
        return render(request, "consultations/suggest_closed.html", context, status=403)
    if not request.user.is_authenticated and not version.allow_anonymous:
        return redirect_to_login(request.get_full_path())
    form = context["form"] = SuggestionForm(request.POST or None, user=request.user, version=version)
    if request.method != "POST":
        return render(request, "consultations/suggest.html", context)
    status = 400
    if form.is_valid():
        try:
            suggestion = _submit(request, version, form.cleaned_data, section=section, paragraph=paragraph)
        except RateLimited as error:
            form.add_error(None, _retry_message(error))
            status = 429
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        else:
            request.session["consultations_new"] = suggestion.reference
            return redirect("consultations:follow", token=suggestion.follow_token)
    return render(request, "consultations/suggest.html", context, status=status)


def _submit(request, version: DocumentVersion, data: dict, **target) -> Suggestion:
    return services.submit_suggestion(
        version=version,
        author=None if data.get("anonymous", False) else request.user,
        address=client_address(request),
        text=data["text"],
        title=data["title"],
        language=data["language"],
        strand=data["strand"],
        region=data["region"],
        contact_email=data.get("contact_email") or "",
        **target,
    )


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


@public_page("consultations", "core", members=True)
def suggestion_list(request):
    form = SuggestionFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {"sort": "newest"}
    suggestions = selectors.filter_suggestions(selectors.public_suggestions(), filters)
    # The pager's total: the versions' counters for the whole list, else counted once per change.
    narrowed = any(value for name, value in filters.items() if name != "sort")
    total = cached_count(suggestions, "consultations") if narrowed else selectors.public_suggestion_total()
    page = KnownCountPaginator(suggestions, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    return render(request, "consultations/list.html", {"form": form, "page_obj": page})


@public_page(*EVERYTHING, members=True)
def suggestion_detail(request, reference):
    suggestion = selectors.suggestion_for_page(reference)
    # Later apps (the action plan, …) show where the suggestion went, through core's object panels.
    panels = registry.render_object_panels(suggestion, request)
    return render(
        request,
        "consultations/suggestion.html",
        {"suggestion": suggestion, "version": suggestion.version, "panels": panels},
    )


@visitor_part("consultations/includes/support_form.html")
def support_form_context(request, reference: str) -> dict:
    """Whether this reader supports the suggestion: their own part of its page, kept for everyone."""
    if request.user.is_authenticated:
        mine = Q(user=request.user)
    elif key := _browser_key(request):
        mine = Q(browser_key=key)
    else:
        return {"supported": False}  # an anonymous visitor who never supported anything: no query
    # Support goes to the suggestion, or to the one it was merged into: one query either way (by reference).
    target = Suggestion.objects.filter(reference=reference).values(target=Coalesce("merged_into_id", "pk"))[:1]
    return {"supported": Support.objects.filter(mine, suggestion_id=Subquery(target)).exists()}


def _browser_key(request) -> str:
    try:
        return request.get_signed_cookie(SUPPORTER_COOKIE, salt=SUPPORTER_SALT, default="")
    except BadSignature:
        return ""


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
