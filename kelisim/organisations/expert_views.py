"""The expert roster's pages: thin over expert_selectors and expert_services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kelisim.core import ratelimit
from kelisim.organisations import expert_selectors, expert_services
from kelisim.organisations.expert_forms import ExpertFilterForm, ExpertMessageForm, ExpertProfileForm

EXPERTS_PER_PAGE = 20


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field_name, field_errors in error.error_dict.items():
            form.add_error(field_name if field_name in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _expert_or_404(request, pk: int):
    expert = expert_selectors.visible_expert(pk=pk, user=request.user)
    if expert is None:
        raise Http404
    return expert


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


def expert_detail(request, pk):
    expert = _expert_or_404(request, pk)
    return render(
        request,
        "organisations/experts/detail.html",
        {"expert": expert, "can_manage": expert_selectors.can_manage_expert(user=request.user, expert=expert)},
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
        except expert_services.MessageLimitReached:
            form.add_error(
                None,
                _("You have sent as many messages as the roster allows for now. Please try again later."),
            )
            return render(request, "organisations/experts/message.html", {"expert": expert, "form": form}, status=429)
        return render(request, "organisations/experts/message_sent.html", {"expert": expert})
    status = 400 if form.errors else 200
    return render(request, "organisations/experts/message.html", {"expert": expert, "form": form}, status=status)


def _profile_form_page(request, *, form, expert=None, heading: str, status: int = 200):
    return render(
        request,
        "organisations/experts/form.html",
        {"form": form, "expert": expert, "heading": heading},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_join(request):
    """A signed-in person lists themselves (or, if already listed, goes to their profile)."""
    own = expert_selectors.expert_for_user(request.user)
    if own is not None:
        return redirect("organisations:expert_edit", pk=own.pk)
    heading = _("List yourself as an expert")
    initial = {"full_name": request.user.display_name, "contact_email": request.user.email}
    form = ExpertProfileForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            expert = expert_services.create_own_expert_profile(
                actor=request.user, profile=form.profile(), consent=form.cleaned_data["consent"]
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("You are now listed in the expert roster."))
            return redirect(expert)
    return _profile_form_page(request, form=form, heading=heading, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def expert_add(request):
    if not request.user.is_officer:
        raise PermissionDenied
    heading = _("Add an expert")
    form = ExpertProfileForm(request.POST or None, actor=request.user, for_self=False)
    if request.method == "POST" and form.is_valid():
        try:
            expert = expert_services.add_expert(
                actor=request.user, profile=form.profile(), consent=form.cleaned_data["consent"]
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The expert was added to the roster."))
            return redirect(expert)
    return _profile_form_page(request, form=form, heading=heading, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk):
    expert = _expert_or_404(request, pk)
    if not expert_selectors.can_manage_expert(user=request.user, expert=expert):
        raise PermissionDenied
    form = ExpertProfileForm(
        request.POST or None, actor=request.user, expert=expert, initial=ExpertProfileForm.initial_for(expert)
    )
    if request.method == "POST" and form.is_valid():
        try:
            expert_services.update_expert(actor=request.user, expert=expert, profile=form.profile())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect(expert)
    heading = _("Edit the expert profile of %(name)s") % {"name": expert.full_name}
    return _profile_form_page(request, form=form, expert=expert, heading=heading, status=400 if form.errors else 200)


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
