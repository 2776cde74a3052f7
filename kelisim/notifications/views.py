from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.notifications import registry, selectors, services
from kelisim.notifications.forms import EmailChoiceForm
from kelisim.notifications.models import Notification


@login_required
def inbox(request):
    if request.method == "POST":
        form = EmailChoiceForm(request.POST)
        if form.is_valid():
            services.set_email_choice(actor=request.user, choice=form.cleaned_data["email"])
            messages.success(request, _("Your choice is saved."))
            return redirect("notifications:inbox")
    else:
        form = EmailChoiceForm(initial={"email": services.email_choice(request.user)})
    page = Paginator(selectors.inbox(request.user), selectors.INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    for notification in page.object_list:
        notification.link = notification.url_in(language)
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page, "form": form, "unread": selectors.unread_count(request.user)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def open_notification(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(actor=request.user, notification=notification)
    return HttpResponseRedirect(notification.url_in(get_language()) or "/")


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox")


def _target(label: str, object_id: int):
    if registry.followable(label) is None:
        raise Http404
    app_label, _dot, model = label.partition(".")
    try:
        model_class = ContentType.objects.get_by_natural_key(app_label, model).model_class()
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    return get_object_or_404(model_class, pk=object_id)


def _back(request, target) -> str:
    target_url = request.POST.get("next", "")
    if target_url and url_has_allowed_host_and_scheme(target_url, allowed_hosts={request.get_host()}):
        return target_url
    return target.get_absolute_url() if hasattr(target, "get_absolute_url") else "/"


@login_required
@require_POST
def follow(request, label: str, object_id: int):
    target = _target(label, object_id)
    try:
        if request.POST.get("action") == "unfollow":
            services.unfollow(actor=request.user, target=target)
            messages.success(request, _("You no longer follow this."))
        else:
            services.follow(actor=request.user, target=target)
            messages.success(request, _("You follow this now: its changes come to your notifications."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(_back(request, target))
