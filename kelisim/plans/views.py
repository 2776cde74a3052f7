import csv
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.consultations.models import Suggestion
from kelisim.core.forms import apply_validation_error
from kelisim.meetings.models import AgendaItem
from kelisim.plans import comparison, selectors, services, trace
from kelisim.plans.forms import (
    IncorporateForm,
    IndicatorForm,
    ItemForm,
    ObjectiveForm,
    PlanFilterForm,
    ProgressForm,
    ProgressSourceForm,
    PublishForm,
    StartVersionForm,
)
from kelisim.plans.models import NEXT_KINDS, PlanItem, PlanVersion


def _plan():
    plan = selectors.current_plan()
    if plan is None:
        raise Http404
    return plan


def _is_officer(request) -> bool:
    return request.user.is_authenticated and request.user.is_officer


def _version(request, plan, number: int) -> PlanVersion:
    version = selectors.visible_version(plan, number, request.user)
    if version is None:
        raise Http404
    return version


def index(request):
    plan = selectors.current_plan()
    version = selectors.public_version(plan) if plan else None
    context = {"plan": plan, "version": version, "is_officer": _is_officer(request)}
    if plan is not None and context["is_officer"]:
        context["working"] = services.working_version(plan)
    if version is not None:
        form = PlanFilterForm(request.GET or None, bodies=selectors.responsible_bodies(version))
        filters = form.cleaned_data if form.is_valid() else {}
        items = list(
            selectors.version_items(
                version, body=filters.get("body", ""), region=filters.get("region"), status=filters.get("status", "")
            )
        )
        context.update(
            form=form,
            tree=selectors.strand_tree(items),
            overall=selectors.weighted_progress(items),
            item_count=len(items),
            filtered=bool(filters and any(filters.values())),
        )
    return render(request, "plans/index.html", context)


def versions(request):
    plan = _plan()
    queryset = plan.versions.order_by("-number") if _is_officer(request) else selectors.published_versions(plan)
    context = {"plan": plan, "versions": queryset, "is_officer": _is_officer(request)}
    if _is_officer(request):
        base = services.latest_published(plan)
        kinds = [kind for kind in NEXT_KINDS[base.kind if base else None] if kind != PlanVersion.Kind.ADOPTED]
        context["start_form"] = StartVersionForm(kinds=kinds) if kinds and not services.working_version(plan) else None
        context["can_adopt"] = (
            request.user.is_administrator
            and PlanVersion.Kind.ADOPTED in NEXT_KINDS[base.kind if base else None]
            and not services.working_version(plan)
        )
    return render(request, "plans/versions.html", context)


def version(request, number: int):
    plan = _plan()
    version = _version(request, plan, number)
    items = list(selectors.version_items(version))
    context = {
        "plan": plan,
        "version": version,
        "tree": selectors.strand_tree(items),
        "item_count": len(items),
        "editable": _is_officer(request) and version.state == PlanVersion.State.WORKING,
        "other_versions": selectors.published_versions(plan).exclude(pk=version.pk),
    }
    if context["editable"]:
        context["publish_form"] = PublishForm()
        context["needs_administrator"] = version.kind != PlanVersion.Kind.DRAFT
    return render(request, "plans/version.html", context)


@officer_required
@require_POST
def start_version(request):
    plan = _plan()
    base = services.latest_published(plan)
    form = StartVersionForm(request.POST, kinds=list(NEXT_KINDS[base.kind if base else None]))
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
    plan = _plan()
    version = get_object_or_404(PlanVersion, plan=plan, number=number)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.publish_version(actor=request.user, version=version, adopted_on=form.cleaned_data.get("adopted_on"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The version is published. It can no longer change."))
    return redirect(version)


@officer_required
def adopt(request):
    if not request.user.is_administrator:
        raise PermissionDenied
    plan = _plan()
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


def _working(plan, number: int) -> PlanVersion:
    version = get_object_or_404(PlanVersion, plan=plan, number=number)
    if version.state != PlanVersion.State.WORKING:
        raise Http404
    return version


@officer_required
def objective_edit(request, number: int):
    plan = _plan()
    version = _working(plan, number)
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_objective(
                actor=request.user,
                version=version,
                strand=data["strand"],
                title_ru=data["title_ru"],
                title_kk=data["title_kk"],
                title_en=data["title_en"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(version)
    return render(request, "plans/form.html", {"version": version, "form": form, "title": _("Add an objective")})


@officer_required
def item_edit(request, number: int, code: str | None = None):
    plan = _plan()
    version = _working(plan, number)
    item = get_object_or_404(PlanItem, version=version, tracked__code=code) if code else None
    initial = {}
    if item is not None:
        initial = {
            "objective": item.objective_id,
            "partner_bins": " ".join(item.partners.values_list("bin", flat=True)),
            "regions": list(item.regions.all()),
            **{name: getattr(item, name) for name in services.ITEM_FIELDS if name != "position"},
        }
    form = ItemForm(request.POST or None, version=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_item(
                actor=request.user,
                version=version,
                objective=form.cleaned_data["objective"],
                item=item,
                partners=form.cleaned_data["partner_bins"],
                regions=form.cleaned_data["regions"],
                **form.item_fields(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(version)
    title = _("Edit item %(code)s") % {"code": code} if item else _("Add an item")
    return render(request, "plans/form.html", {"version": version, "form": form, "title": title})


@officer_required
@require_POST
def item_remove(request, number: int, code: str):
    plan = _plan()
    version = _working(plan, number)
    item = get_object_or_404(PlanItem, version=version, tracked__code=code)
    services.remove_item(actor=request.user, item=item)
    messages.success(request, _("The item is removed from this version."))
    return redirect(version)


@officer_required
def indicator_edit(request, number: int, code: str):
    plan = _plan()
    version = _working(plan, number)
    item = get_object_or_404(
        PlanItem.objects.select_related("version__plan__programme"), version=version, tracked__code=code
    )
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_indicator(
                actor=request.user,
                item=item,
                name=data["name"],
                unit=data["unit"],
                baseline=data["baseline"],
                targets=data["targets"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(version)
    return render(
        request,
        "plans/form.html",
        {"version": version, "form": form, "title": _("Add an indicator to %(code)s") % {"code": code}},
    )


def export_csv(request, number: int):
    plan = _plan()
    version = _version(request, plan, number)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="action-plan-v{version.number}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for row in export_rows(version):
        writer.writerow([row[column] for column in EXPORT_COLUMNS])
    return response


def export_json(request, number: int):
    plan = _plan()
    version = _version(request, plan, number)
    data = {
        "plan": plan.slug,
        "version": version.number,
        "label": version.label,
        "kind": version.kind,
        "state": version.state,
        "published_at": version.published_at,
        "adopted_on": version.adopted_on,
        "items": export_rows(version, nested=True),
    }
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 1})


EXPORT_COLUMNS = [
    "id",
    "number",
    "strand",
    "objective",
    "text_kk",
    "text_ru",
    "text_en",
    "responsible_body",
    "partners",
    "regions",
    "deadline",
    "completion_form",
    "budget_kzt",
    "budget_source",
    "weight",
    "status",
    "progress",
    "progress_source",
    "suggestions",
    "indicators",
]


def export_rows(version: PlanVersion, *, nested: bool = False) -> list[dict]:
    items = list(selectors.version_items(version))
    links = selectors.provenance_of([item.tracked_id for item in items], include_unpublished=False)
    suggestions: dict[int, list[str]] = {}
    for link in links:
        if link.suggestion_id:
            suggestions.setdefault(link.tracked_id, []).append(link.suggestion.reference)
    rows = []
    for item in items:
        indicators = [
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "baseline": indicator.baseline,
                "targets": [
                    {"year": t.year, "region": t.region.code if t.region else None, "value": t.value}
                    for t in indicator.targets.all()
                ],
            }
            for indicator in item.indicators.all()
        ]
        partners = [{"bin": p.bin, "name": p.name} for p in item.partners.all()]
        regions = [region.code for region in item.regions.all()]
        refs = sorted(set(suggestions.get(item.tracked_id, [])))
        rows.append(
            {
                "id": item.tracked.code,
                "number": item.number,
                "strand": item.objective.strand.code,
                "objective": item.objective.title,
                "text_kk": item.text_kk,
                "text_ru": item.text_ru,
                "text_en": item.text_en,
                "responsible_body": item.responsible_body,
                "partners": partners if nested else "; ".join(f"{p['bin']} {p['name']}" for p in partners),
                "regions": regions if nested else " ".join(regions),
                "deadline": item.deadline,
                "completion_form": item.completion_form,
                "budget_kzt": item.budget_kzt,
                "budget_source": item.budget_source,
                "weight": item.weight,
                "status": item.tracked.status,
                "progress": item.tracked.progress,
                "progress_source": item.tracked.progress_source,  # "manual" or "indicators"
                "suggestions": refs if nested else " ".join(refs),
                "indicators": indicators
                if nested
                else json.dumps(indicators, cls=DjangoJSONEncoder, ensure_ascii=False),
            }
        )
    return rows


def compare(request):
    plan = _plan()
    choices = list(plan.versions.order_by("-number") if _is_officer(request) else selectors.published_versions(plan))
    numbers = {v.number: v for v in choices}
    try:
        old_number, new_number = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        old_number = new_number = 0
    if not (old_number and new_number) and len(choices) >= 2:
        old_number, new_number = choices[1].number, choices[0].number
    old, new = numbers.get(old_number), numbers.get(new_number)
    context = {"plan": plan, "choices": choices, "old": old, "new": new}
    if old and new:
        context["comparison"] = comparison.compare_versions(old, new)
    return render(request, "plans/compare.html", context)


def item(request, code: str):
    tracked = selectors.tracked_item(code)
    officer = _is_officer(request)
    if tracked is None or (tracked.first_published_in_id is None and not officer):
        raise Http404
    versions = list(selectors.item_versions(tracked, include_working=officer))
    if not versions:
        raise Http404
    links = list(selectors.provenance_of([tracked.pk], include_unpublished=officer))
    setting_source = request.method == "POST" and "set_source" in request.POST
    source_form = ProgressSourceForm(
        request.POST if setting_source else None, initial={"source": tracked.progress_source}
    )
    form = ProgressForm(
        request.POST if request.method == "POST" and not setting_source else None,
        initial={"status": tracked.status, "progress": tracked.progress},
        follows_indicators=tracked.follows_indicators,
    )
    if request.method == "POST":
        if not officer:
            raise PermissionDenied
        if setting_source:
            bound, save, done = source_form, services.set_progress_source, _("The way progress is obtained is saved.")
        else:
            bound, save, done = form, services.record_progress, _("The progress update is saved.")
        if bound.is_valid():
            try:
                save(actor=request.user, tracked=tracked, **bound.cleaned_data)
            except ValidationError as error:
                apply_validation_error(bound, error)
            else:
                messages.success(request, done)
                return redirect(tracked)
    can_edit = officer and tracked.first_published_in_id is not None
    return render(
        request,
        "plans/item.html",
        {
            "tracked": tracked,
            "item": versions[0],
            "versions": versions,
            "links": links,
            "updates": tracked.updates.all()[:100],
            "form": form if can_edit else None,
            "source_form": source_form if can_edit else None,
            "trace_steps": trace.trace_steps([tracked]),
        },
    )


def trace_suggestion(request, reference: str):
    suggestion = get_object_or_404(Suggestion.objects.select_related("version__document"), reference=reference)
    officer = _is_officer(request)
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


def trace_item(request, code: str):
    tracked = selectors.tracked_item(code)
    officer = _is_officer(request)
    if tracked is None or (tracked.first_published_in_id is None and not officer):
        raise Http404
    links = list(selectors.provenance_of([tracked.pk], include_unpublished=officer))
    versions = list(selectors.item_versions(tracked, include_working=officer))
    return render(
        request,
        "plans/trace_item.html",
        {
            "tracked": tracked,
            "item": versions[0] if versions else None,
            "links": links,
            "trace_steps": trace.trace_steps([tracked]),
        },
    )


@officer_required
def incorporate(request, agenda_item_id: int):
    plan = _plan()
    agenda_item = get_object_or_404(AgendaItem.objects.select_related("roundtable"), pk=agenda_item_id)
    base = services.working_version(plan) or services.latest_published(plan)
    items = list(selectors.version_items(base)) if base else []
    objectives = base.objectives.select_related("strand") if base else None
    from kelisim.plans.models import Objective

    form = IncorporateForm(
        request.POST or None,
        agenda_item=agenda_item,
        items=items,
        objectives=objectives if objectives is not None else Objective.objects.none(),
        initial={"suggestion": request.GET.get("suggestion")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tracked = None
        new_item = None
        if data["existing_item"]:
            tracked = selectors.tracked_item(data["existing_item"])
        else:
            new_item = {
                "objective": data["objective"],
                "text_ru": data["new_text_ru"],
                "text_kk": data["new_text_kk"],
                "text_en": data["new_text_en"],
                "responsible_body": data["responsible_body"],
            }
        try:
            decision = services.incorporate_suggestion(
                actor=request.user,
                plan=plan,
                agenda_item=agenda_item,
                suggestion=data["suggestion"],
                text=data["text"],
                acceptance=data["acceptance"],
                tracked=tracked,
                new_item=new_item,
            )
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
