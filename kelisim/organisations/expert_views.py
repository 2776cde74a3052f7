"""The expert roster's pages: thin over expert_selectors and expert_services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.core import ratelimit
from kelisim.core.pagecache import public_page
from kelisim.organisations import expert_selectors, expert_services, rules
from kelisim.organisations.expert_forms import ExpertFilterForm, ExpertMessageForm, ExpertProfileForm
from kelisim.organisations.view_helpers import save_form

EXPERTS_PER_PAGE = 20


def _expert_or_404(request, pk: int):
    expert = expert_selectors.visible_expert(pk=pk, user=request.user)
    if expert is None:
        raise Http404
    return expert


@public_page("organisations", "accounts", "core")
def expert_list(request):
    filter_form = ExpertFilterForm(request.GET or None)
    experts = expert_selectors.filter_experts(expert_selectors.listed_experts(), **filter_form.filters())
    page = Paginator(experts, EXPERTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/experts/list.html",
        {
            "filter_form": filter_form,
            "page_obj": page,
            "experts": page.object_list,
            "own_expert": expert_selectors.expert_for_user(request.user),
            "is_filtered": any(value for value in filter_form.filters().values()),
        },
    )


@public_page("organisations", "accounts", "core")
def expert_detail(request, pk):
    expert = _expert_or_404(request, pk)
    return render(
        request,
        "organisations/experts/detail.html",
        {"expert": expert, "can_manage": rules.can_manage_expert(request.user, expert)},
    )


@require_http_methods(["GET", "POST"])
def expert_message(request, pk):
    expert = _expert_or_404(request, pk)
    if not expert.is_listed:
        raise Http404
    form = ExpertMessageForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.is_from_robot:
            # Robots see the same confirmation as people, so they learn nothing; nothing is sent.
            return render(request, "organisations/experts/message_sent.html", {"expert": expert})
        try:
            expert_services.send_expert_message(
                expert=expert,
                sender=request.user,
                sender_name=form.cleaned_data["name"],
                sender_email=form.cleaned_data["email"],
                sender_organisation=form.cleaned_data["organisation"],
                message=form.cleaned_data["message"],
                client_address=ratelimit.client_address(request),
            )
        except ratelimit.RateLimited:
            form.add_error(
                None,
                _("You have sent as many messages as the roster allows for now. Please try again later."),
            )
            return render(request, "organisations/experts/message.html", {"expert": expert, "form": form}, status=429)
        return render(request, "organisations/experts/message_sent.html", {"expert": expert})
    status = 400 if form.errors else 200
    return render(request, "organisations/experts/message.html", {"expert": expert, "form": form}, status=status)


def _profile_form_page(request, *, form, expert=None, heading: str):
    return render(
        request,
        "organisations/experts/form.html",
        {"form": form, "expert": expert, "heading": heading},
        status=400 if form.errors else 200,
    )


def _create_profile(request, form, service, success_message: str):
    def save():
        return service(actor=request.user, profile=form.profile(), consent=form.cleaned_data["consent"])

    return save_form(request, form, save, success_message=success_message)


@login_required
@require_http_methods(["GET", "POST"])
def expert_join(request):
    """A signed-in person lists themselves (or, if already listed, goes to their profile)."""
    own = expert_selectors.expert_for_user(request.user)
    if own is not None:
        return redirect("organisations:expert_edit", pk=own.pk)
    initial = {"full_name": request.user.display_name, "contact_email": request.user.email}
    form = ExpertProfileForm(request.POST or None, actor=request.user, initial=initial)
    saved = _create_profile(
        request, form, expert_services.create_own_expert_profile, _("You are now listed in the expert roster.")
    )
    return saved or _profile_form_page(request, form=form, heading=_("List yourself as an expert"))


@officer_required
@require_http_methods(["GET", "POST"])
def expert_add(request):
    form = ExpertProfileForm(request.POST or None, actor=request.user, for_self=False)
    saved = _create_profile(request, form, expert_services.add_expert, _("The expert was added to the roster."))
    return saved or _profile_form_page(request, form=form, heading=_("Add an expert"))


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk):
    expert = _expert_or_404(request, pk)
    if not rules.can_manage_expert(request.user, expert):
        raise PermissionDenied
    form = ExpertProfileForm(
        request.POST or None, actor=request.user, expert=expert, initial=ExpertProfileForm.initial_for(expert)
    )

    saved = save_form(
        request,
        form,
        lambda: expert_services.update_expert(actor=request.user, expert=expert, profile=form.profile()),
        success_message=_("The profile was saved."),
    )
    heading = _("Edit the expert profile of %(name)s") % {"name": expert.full_name}
    return saved or _profile_form_page(request, form=form, expert=expert, heading=heading)


@login_required
@require_POST
def expert_listing(request, pk):
    """Unlist or relist a profile: ``listed=0`` or ``listed=1``."""
    expert = _expert_or_404(request, pk)
    listed = request.POST.get("listed") == "1"
    expert_services.set_expert_listed(actor=request.user, expert=expert, listed=listed)
    if listed:
        messages.success(request, _("The profile is listed in the public roster again."))
    else:
        messages.success(request, _("The profile is no longer listed; only its owner and officers can see it."))
    return redirect(expert)
