from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts import permissions
from kelisim.accounts.decorators import officer_required
from kelisim.consultations.views.saving import saved
from kelisim.core.files import file_response
from kelisim.core.i18n import localized_fields
from kelisim.core.pagecache import EVERYTHING, public_page
from kelisim.meetings import ical, registry, rules, selectors, services
from kelisim.meetings.forms import (
    AgendaItemForm,
    AttachmentForm,
    AttendanceForm,
    DecisionForm,
    DecisionTextsForm,
    MinutesForm,
    RegistrationForm,
    RoundtableForm,
)
from kelisim.meetings.models import AgendaItem, Attachment, Decision, Registration, Roundtable


@public_page("meetings", "organisations", "core")
def roundtable_list(request):
    q = (request.GET.get("q") or "").strip()[:200]
    context = {
        "upcoming": selectors.roundtable_list(upcoming=True, q=q),
        "past": selectors.roundtable_list(upcoming=False, q=q)[:50],
        "held": selectors.held_count(),
        "q": q,
    }
    if q:
        context["found"] = selectors.search_roundtables(q).count()
    return render(request, "meetings/list.html", context)


@public_page(*EVERYTHING)
def detail(request, pk: int):
    is_officer = permissions.is_officer(request.user)
    roundtable = get_object_or_404(Roundtable, pk=pk)
    published = rules.can_see_record(request.user, roundtable)
    roundtable = selectors.roundtable_detail(pk, with_decisions=published)
    registration = selectors.own_registration(roundtable, request.user)
    organisations = services.organisations_for_registration(request.user, roundtable)
    context = {
        "roundtable": roundtable,
        "is_officer": is_officer,
        "show_decisions": published,
        "registration": registration,
        "waiting_position": selectors.waiting_position(registration)
        if registration and registration.status == Registration.Status.WAITING
        else None,
        "registration_form": RegistrationForm(organisations=organisations)
        if roundtable.is_upcoming and registration is None and organisations.exists()
        else None,
        "attendance_total": sum(row.people for row in roundtable.attendance.all()),
    }
    if is_officer:
        links = registry.plan_links()
        context["incorporate_url_name"] = links.incorporate_url_name if links else ""
        context["registrations"] = selectors.registrations(roundtable)
    return render(request, "meetings/detail.html", context)


@officer_required
def edit(request, pk: int | None = None):
    roundtable = get_object_or_404(Roundtable, pk=pk) if pk else None
    form = RoundtableForm(request.POST or None, instance=roundtable)

    def save(data) -> str:
        nonlocal roundtable
        roundtable = services.save_roundtable(actor=request.user, roundtable=roundtable, **form.service_arguments())
        return _("The roundtable is saved.")

    if request.method == "POST" and saved(request, form, save):
        return redirect(roundtable)
    return render(request, "meetings/edit.html", {"form": form, "roundtable": roundtable})


@require_POST
def register(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("meetings:detail", args=[pk]))
    roundtable = get_object_or_404(Roundtable, pk=pk)
    form = RegistrationForm(
        request.POST, organisations=services.organisations_for_registration(request.user, roundtable)
    )
    if not form.is_valid():
        raise PermissionDenied
    try:
        registration = services.register(
            user=request.user, roundtable=roundtable, organisation=form.cleaned_data["organisation"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("You are registered. See you at the roundtable."))
        else:
            messages.info(
                request, _("All seats are taken: you are on the waiting list and will get an email if a seat frees up.")
            )
    return redirect(roundtable)


@require_POST
def cancel_registration(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("meetings:detail", args=[pk]))
    registration = (
        Registration.objects.filter(roundtable_id=pk, user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if registration is None:
        raise Http404
    services.cancel_registration(user=request.user, registration=registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("meetings:detail", pk=pk)


@officer_required
def agenda(request, pk: int):
    roundtable = get_object_or_404(Roundtable, pk=pk)
    form = AgendaItemForm(request.POST or None)

    def save(data) -> str:
        services.save_agenda_item(actor=request.user, roundtable=roundtable, **form.service_arguments())
        return _("The agenda item is added.")

    if request.method == "POST" and saved(request, form, save):
        return redirect("meetings:agenda", pk=pk)
    links = registry.plan_links()
    context = {
        "roundtable": selectors.roundtable_detail(pk, with_decisions=True),
        "form": form,
        "incorporate_url_name": links.incorporate_url_name if links else "",
    }
    return render(request, "meetings/agenda.html", context)


@officer_required
def attendance(request, pk: int):
    roundtable = get_object_or_404(Roundtable, pk=pk)
    counts = dict(roundtable.attendance.values_list("organisation_id", "people"))
    organisations = selectors.attendance_organisations(roundtable, counted=counts)
    form = AttendanceForm(request.POST or None, organisations=organisations, counts=counts)

    def save(data) -> str:
        services.record_attendance(actor=request.user, roundtable=roundtable, counts=form.counts())
        return _("Attendance is saved.")

    if request.method == "POST" and saved(request, form, save):
        return redirect("meetings:detail", pk=pk)
    return render(request, "meetings/attendance.html", {"roundtable": roundtable, "form": form})


@officer_required
def minutes(request, pk: int):
    roundtable = get_object_or_404(Roundtable, pk=pk)
    form = MinutesForm(request.POST or None, initial={"minutes": roundtable.minutes_markdown})
    attachment_form = AttachmentForm()

    def save(data) -> str:
        services.save_minutes(actor=request.user, roundtable=roundtable, markdown=data["minutes"])
        return _("The minutes are saved.")

    if request.method == "POST" and saved(request, form, save):
        return redirect(roundtable)
    return render(
        request, "meetings/minutes.html", {"roundtable": roundtable, "form": form, "attachment_form": attachment_form}
    )


@officer_required
@require_POST
def upload_attachment(request, pk: int):
    roundtable = get_object_or_404(Roundtable, pk=pk)
    attachment_form = AttachmentForm(request.POST, request.FILES)

    def save(data) -> str:
        services.add_attachment(actor=request.user, roundtable=roundtable, title=data["title"], upload=data["file"])
        return _("The file is attached.")

    if saved(request, attachment_form, save):
        return redirect("meetings:minutes", pk=pk)
    form = MinutesForm(initial={"minutes": roundtable.minutes_markdown})
    return render(
        request,
        "meetings/minutes.html",
        {"roundtable": roundtable, "form": form, "attachment_form": attachment_form},
        status=400,
    )


def attachment(request, pk: int, attachment_id: int):
    item = get_object_or_404(Attachment.objects.select_related("roundtable"), pk=attachment_id, roundtable_id=pk)
    if not rules.can_see_record(request.user, item.roundtable):
        raise Http404
    return file_response(item.file, original_name=item.original_name or item.title, fallback="attachment")


@officer_required
def decide(request, pk: int, item_id: int):
    agenda_item = get_object_or_404(AgendaItem.objects.select_related("roundtable"), pk=item_id, roundtable_id=pk)
    form = DecisionForm(
        request.POST or None, agenda_item=agenda_item, initial={"suggestion": request.GET.get("suggestion")}
    )

    def save(data) -> str:
        services.record_decision(actor=request.user, agenda_item=agenda_item, **form.service_arguments())
        return _("The decision is recorded. It is published when the roundtable is closed.")

    if request.method == "POST" and saved(request, form, save):
        return redirect("meetings:agenda", pk=pk)
    context = {"agenda_item": agenda_item, "roundtable": agenda_item.roundtable, "form": form}
    return render(request, "meetings/decide.html", context)


@officer_required
def decision_texts(request, pk: int, decision_id: int):
    decision = get_object_or_404(Decision.objects.select_related("roundtable"), pk=decision_id, roundtable_id=pk)
    initial = {name: getattr(decision, name) for name in localized_fields("text")}
    form = DecisionTextsForm(request.POST or None, initial=initial)

    def save(data) -> str:
        services.translate_decision(actor=request.user, decision=decision, **data)
        return _("The decision's wording is saved.")

    if request.method == "POST" and saved(request, form, save):
        return redirect("meetings:agenda", pk=pk)
    return render(
        request, "meetings/decision_texts.html", {"decision": decision, "roundtable": decision.roundtable, "form": form}
    )


@officer_required
@require_POST
def withdraw_decision(request, pk: int, decision_id: int):
    decision = get_object_or_404(Decision.objects.select_related("roundtable"), pk=decision_id, roundtable_id=pk)
    try:
        services.withdraw_decision(actor=request.user, decision=decision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meetings:agenda", pk=pk)


@officer_required
def close(request, pk: int):
    roundtable = get_object_or_404(Roundtable, pk=pk)
    error_messages = []
    if request.method == "POST":
        try:
            services.close_roundtable(actor=request.user, roundtable=roundtable)
        except ValidationError as error:
            error_messages = error.messages
        else:
            messages.success(request, _("The roundtable is closed; its minutes and decisions are public."))
            return redirect(roundtable)
    return render(
        request,
        "meetings/close.html",
        {
            "roundtable": selectors.roundtable_detail(pk, with_decisions=True),
            "error_messages": error_messages,
        },
        status=400 if error_messages else 200,
    )


def _absolute(roundtable) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse("meetings:detail", args=[roundtable.pk])


def event_ics(request, pk: int):
    roundtable = get_object_or_404(Roundtable, pk=pk)
    response = HttpResponse(ical.calendar([roundtable], _absolute), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roundtable-{roundtable.pk}.ics"'
    return response


def calendar_feed(request):
    roundtables = Roundtable.objects.order_by("-starts_at")[:200]
    return HttpResponse(ical.calendar(roundtables, _absolute), content_type="text/calendar; charset=utf-8")
