"""Officers' work on the plan: versions started, edited, published; the administrator's adoption; roundtable
decisions taken into the plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts.decorators import administrator_required, officer_required
from kelisim.core.forms import apply_validation_error
from kelisim.core.i18n import localized_fields
from kelisim.meetings.models import AgendaItem
from kelisim.plans import rules, selectors, services
from kelisim.plans.forms import IncorporateForm, IndicatorForm, ItemForm, ObjectiveForm, PublishForm, StartVersionForm
from kelisim.plans.models import ITEM_FACTS, Objective, PlanItem, PlanVersion
from kelisim.plans.views.public import current_plan_or_404


@officer_required
@require_POST
def start_version(request):
    plan = current_plan_or_404()
    form = StartVersionForm(request.POST, kinds=list(rules.next_kinds(services.latest_published(plan))))
    if not form.is_valid():
        messages.error(request, _("Choose the kind of version."))
        return redirect("plans:versions")
    try:
        version = services.start_version(
            actor=request.user, plan=plan, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:versions")
    return redirect(version)


@officer_required
@require_POST
def publish(request, number: int):
    version = get_object_or_404(PlanVersion, plan=current_plan_or_404(), number=number)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.publish_version(actor=request.user, version=version, adopted_on=form.cleaned_data.get("adopted_on"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The version is published. It can no longer change."))
    return redirect(version)


@administrator_required
def adopt(request):
    plan = current_plan_or_404()
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data.get("adopted_on"):
            form.add_error("adopted_on", _("Give the date of adoption."))
        else:
            try:
                version = services.adopt_plan(actor=request.user, plan=plan, adopted_on=form.cleaned_data["adopted_on"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The action plan is adopted."))
                return redirect(version)
    return render(request, "plans/adopt.html", {"plan": plan, "form": form, "base": services.latest_published(plan)})


def _working_or_404(number: int) -> PlanVersion:
    version = get_object_or_404(PlanVersion, plan=current_plan_or_404(), number=number)
    if version.state != PlanVersion.State.WORKING:
        raise Http404
    return version


def _working_copy_form(request, version: PlanVersion, form, save, title: str):
    """A form that changes the working copy: ``save(cleaned_data)`` calls the service; back to the version."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(version)
    return render(request, "plans/form.html", {"version": version, "form": form, "title": title})


@officer_required
def objective_edit(request, number: int):
    version = _working_or_404(number)
    titles = ("title_ru", "title_kk", "title_en")

    def save(data):
        titled = {name: data[name] for name in titles}
        services.save_objective(actor=request.user, version=version, strand=data["strand"], **titled)

    form = ObjectiveForm(request.POST or None)
    return _working_copy_form(request, version, form, save, _("Add an objective"))


@officer_required
def item_edit(request, number: int, code: str | None = None):
    version = _working_or_404(number)
    item = get_object_or_404(PlanItem, version=version, tracked__code=code) if code else None
    initial = {}
    if item is not None:
        initial = {
            "objective": item.objective_id,
            "partner_bins": " ".join(item.partners.values_list("bin", flat=True)),
            "regions": list(item.regions.all()),
            **{name: getattr(item, name) for name in ("text_kk", "text_ru", "text_en", *ITEM_FACTS)},
        }
    form = ItemForm(request.POST or None, version=version, initial=initial)

    def save(data):
        services.save_item(
            actor=request.user,
            version=version,
            objective=data["objective"],
            item=item,
            partners=data["partner_bins"],
            regions=data["regions"],
            **form.item_fields(),
        )

    title = _("Edit item %(code)s") % {"code": code} if item else _("Add an item")
    return _working_copy_form(request, version, form, save, title)


@officer_required
@require_POST
def item_remove(request, number: int, code: str):
    version = _working_or_404(number)
    item = get_object_or_404(PlanItem, version=version, tracked__code=code)
    services.remove_item(actor=request.user, item=item)
    messages.success(request, _("The item is removed from this version."))
    return redirect(version)


@officer_required
def indicator_edit(request, number: int, code: str):
    version = _working_or_404(number)
    item = get_object_or_404(
        PlanItem.objects.select_related("version__plan__programme"), version=version, tracked__code=code
    )

    def save(data):
        names = (*localized_fields("name"), *localized_fields("unit"), "baseline", "targets")
        facts = {name: data[name] for name in names}
        services.save_indicator(actor=request.user, item=item, **facts)

    form = IndicatorForm(request.POST or None)
    return _working_copy_form(request, version, form, save, _("Add an indicator to %(code)s") % {"code": code})


def _incorporation(request, plan, agenda_item, data: dict):
    """Record the decision the form describes: into an existing item, or a new one in the working copy."""
    if data["existing_item"]:
        tracked, new_item = selectors.tracked_item(data["existing_item"]), None
    else:
        tracked = None
        new_item = {
            "objective": data["objective"],
            "text_ru": data["new_text_ru"],
            "text_kk": data["new_text_kk"],
            "text_en": data["new_text_en"],
            "responsible_body": data["responsible_body"],
        }
    return services.incorporate_suggestion(
        actor=request.user,
        plan=plan,
        agenda_item=agenda_item,
        suggestion=data["suggestion"],
        **{name: data[name] for name in localized_fields("text")},
        acceptance=data["acceptance"],
        tracked=tracked,
        new_item=new_item,
    )


@officer_required
def incorporate(request, agenda_item_id: int):
    plan = current_plan_or_404()
    agenda_item = get_object_or_404(AgendaItem.objects.select_related("roundtable"), pk=agenda_item_id)
    base = services.working_version(plan) or services.latest_published(plan)
    form = IncorporateForm(
        request.POST or None,
        agenda_item=agenda_item,
        items=list(selectors.version_items(base)) if base else [],
        objectives=base.objectives.select_related("strand") if base else Objective.objects.none(),
        initial={"suggestion": request.GET.get("suggestion")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = _incorporation(request, plan, agenda_item, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Decision recorded: %(reference)s goes into %(item)s. It is published when the roundtable is closed.")
                % {"reference": decision.suggestion.reference, "item": decision.plan_item_label},
            )
            return redirect("meetings:agenda", pk=agenda_item.roundtable_id)
    return render(request, "plans/incorporate.html", {"form": form, "agenda_item": agenda_item, "base": base})
