import json

from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelisim.accounts import rules, selectors, services, signin_limits
from kelisim.accounts.decorators import administrator_required, officer_required
from kelisim.accounts.forms import ApiTokenForm, DeleteAccountForm, ProfileForm, RoleChangeForm, UserSearchForm
from kelisim.accounts.models import ApiToken, Role, User
from kelisim.core import registry

USERS_PER_PAGE = 25
HISTORY_PER_PAGE = 50


def _profile_sections(request) -> list[dict]:
    """Each later app's panel, rendered with the context that app computes for this request."""
    return [
        {"key": section.key, "html": render_to_string(section.template_name, section.context(request), request=request)}
        for section in registry.profile_sections()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=User.objects.get(pk=user.pk))
        if form.is_valid():
            services.update_profile(
                actor=user,
                user=user,
                display_name=form.cleaned_data["display_name"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
            language = form.cleaned_data["preferred_language"]
            with translation.override(language):
                messages.success(request, _("Your profile is saved."))
            # The interface follows the language just chosen.
            return redirect(translate_url(reverse("accounts:profile"), language))
    else:
        form = ProfileForm(instance=user)
    context = {
        "form": form,
        "sections": _profile_sections(request),
        "roles": sorted(user.role_codes),  # read once per request, as the header's role checks do
        "role_labels": dict(Role.choices),
        "active_token_count": ApiToken.objects.filter(user=user, revoked_at__isnull=True).count(),
        "has_second_factor": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    created = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                created = services.create_api_token(actor=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "created": created, "tokens": selectors.api_tokens_of(request.user)},
    )
    if created is not None:
        response["Cache-Control"] = "no-store"  # the raw token appears on this page only
    return response


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:api_tokens")


@login_required
@never_cache
@require_GET
def data_export(request):
    data = services.export_personal_data(actor=request.user, user=request.user)
    data = {"exported_at": timezone.now().isoformat(), **data}
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="kelisim-my-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    user = request.user
    blocked = rules.is_last_administrator(user)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and not ratelimit.consume(request, action="reauthenticate", user=user):
        # The same budget as allauth's password re-entry, so a borrowed session cannot guess the password.
        form.add_error(None, _("Too many attempts. Wait a minute and try again."))
    elif request.method == "POST" and not blocked and form.is_valid():
        try:
            services.delete_account(actor=user, user=user)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data are deleted."))
            return redirect("core:home")
    return render(request, "accounts/account_delete.html", {"form": form, "blocked": blocked})


@administrator_required
@require_GET
def user_list(request):
    form = UserSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.search_users(query), USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page_obj": page, "query": query, "role_labels": dict(Role.choices)},
    )


@administrator_required
@require_GET
def user_roles(request, pk):
    return _render_user_roles(request, pk, RoleChangeForm(), RoleChangeForm(prefix="revoke"))


def _render_user_roles(request, pk, grant_form, revoke_form, status=200):
    try:
        person = selectors.user_with_roles(pk)
    except User.DoesNotExist as missing:
        raise Http404 from missing
    history = selectors.role_history(person)[:HISTORY_PER_PAGE]
    held = {grant.role for grant in person.prefetched_grants}
    grant_form.fields["role"].choices = [(code, label) for code, label in Role.choices if code not in held]
    revoke_form.fields["role"].choices = [(code, label) for code, label in Role.choices if code in held]
    return render(
        request,
        "accounts/user_roles.html",
        {"person": person, "grant_form": grant_form, "revoke_form": revoke_form, "history": history},
        status=status,
    )


@administrator_required
@require_POST
def role_grant(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = RoleChangeForm(request.POST)
    if form.is_valid():
        services.grant_role(
            actor=request.user, user=person, role=form.cleaned_data["role"], reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("%(person)s is now: %(role)s.") % {"person": person, "role": Role(form.cleaned_data["role"]).label},
        )
        return redirect("accounts:user_roles", pk=person.pk)
    return _render_user_roles(request, pk, form, RoleChangeForm(prefix="revoke"), status=400)


@administrator_required
@require_POST
def role_revoke(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = RoleChangeForm(request.POST, prefix="revoke")
    if form.is_valid():
        role = form.cleaned_data["role"]
        try:
            revoked = services.revoke_role(
                actor=request.user, user=person, role=role, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if revoked:
                messages.success(
                    request, _("%(person)s is no longer: %(role)s.") % {"person": person, "role": Role(role).label}
                )
            return redirect("accounts:user_roles", pk=person.pk)
    return _render_user_roles(request, pk, RoleChangeForm(), form, status=400)


@officer_required
@require_GET
def role_history(request):
    page = Paginator(selectors.role_history(), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/role_history.html", {"page_obj": page})


@never_cache
@require_http_methods(["GET", "POST"])
def signin_link(request, token: str):
    """The one-time sign-in link of a paused account (kelisim.accounts.signin_limits). A GET only shows a button,
    so that a mail scanner that opens links does not spend it; the POST signs in through allauth's login steps,
    so a second factor is still asked for."""
    if request.method == "POST":
        user = signin_limits.user_for_link_token(token, use=True)
        if user is not None:
            record_authentication(request, user, method="code", email=user.email)
            return perform_login(request, Login(user=user, email=user.email))
    else:
        user = signin_limits.user_for_link_token(token)
    return render(request, "accounts/signin_link.html", {"link_user": user}, status=200 if user else 410)
