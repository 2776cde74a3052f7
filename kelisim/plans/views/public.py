from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import is_officer, require_officer
from kelisim.core.forms import apply_validation_error
from kelisim.core.pagecache import EVERYTHING, PLAN_SCOPES, public_page
from kelisim.plans import comparison, rules, selectors, services, trace
from kelisim.plans.forms import PlanFilterForm, ProgressForm, ProgressSourceForm, PublishForm, StartVersionForm
from kelisim.plans.models import PlanVersion, TrackedItem


def current_plan_or_404():
    plan = selectors.current_plan()
    if plan is None:
        raise Http404
    return plan


def visible_version_or_404(request, plan, number: int) -> PlanVersion:
    version = selectors.visible_version(plan, number, request.user)
    if version is None:
        raise Http404
    return version


def visible_item_or_404(request, code: str) -> TrackedItem:
    tracked = selectors.tracked_item(code)
    if tracked is None or not rules.can_see_item(request.user, tracked):
        raise Http404
    return tracked


@public_page(*PLAN_SCOPES)
def index(request):
    plan = selectors.current_plan()
    version = selectors.public_version(plan) if plan else None
    context = {"plan": plan, "version": version, "is_officer": is_officer(request.user)}
    if plan is not None and context["is_officer"]:
        context["working"] = services.working_version(plan)
    if version is not None:
        form = PlanFilterForm(request.GET or None, bodies=selectors.responsible_bodies(version))
        filters = form.cleaned_data if form.is_valid() else {}
        items = list(
            selectors.version_items(
                version,
                body=filters.get("body", ""),
                region=filters.get("region"),
                status=filters.get("status", ""),
                details=False,
                q=filters.get("q", ""),
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


def _versions_shown(request, plan):
    return plan.versions.order_by("-number") if is_officer(request.user) else selectors.published_versions(plan)


@public_page(*PLAN_SCOPES)
def versions(request):
    plan = current_plan_or_404()
    officer = is_officer(request.user)
    context = {"plan": plan, "versions": _versions_shown(request, plan), "is_officer": officer}
    if officer:
        base, working = services.latest_published(plan), services.working_version(plan)
        kinds = [kind for kind in rules.next_kinds(base) if kind != PlanVersion.Kind.ADOPTED]
        context["start_form"] = StartVersionForm(kinds=kinds) if kinds and not working else None
        context["can_adopt"] = rules.can_adopt(request.user, latest_published=base, working=working)
    return render(request, "plans/versions.html", context)


@public_page(*PLAN_SCOPES)
def version(request, number: int):
    plan = current_plan_or_404()
    version = visible_version_or_404(request, plan, number)
    items = list(selectors.version_items(version))
    context = {
        "plan": plan,
        "version": version,
        "tree": selectors.strand_tree(items),
        "item_count": len(items),
        "editable": is_officer(request.user) and version.state == PlanVersion.State.WORKING,
        "other_versions": selectors.published_versions(plan).exclude(pk=version.pk),
    }
    if context["editable"]:
        context["publish_form"] = PublishForm()
        context["needs_administrator"] = version.kind != PlanVersion.Kind.DRAFT
    return render(request, "plans/version.html", context)


@public_page(*PLAN_SCOPES)
def compare(request):
    plan = current_plan_or_404()
    choices = list(_versions_shown(request, plan))
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


def _save_progress(request, tracked, form, save, done: str):
    """An officer's progress update or choice of progress source; the redirect, or None to show the form."""
    require_officer(request.user)
    if not form.is_valid():
        return None
    try:
        save(actor=request.user, tracked=tracked, **form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    messages.success(request, done)
    return redirect(tracked)


@public_page(*EVERYTHING)
def item(request, code: str):
    tracked = visible_item_or_404(request, code)
    officer = is_officer(request.user)
    versions = list(selectors.item_versions(tracked, include_working=officer))
    if not versions:
        raise Http404
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
        if setting_source:
            saved = _save_progress(
                request, tracked, source_form, services.set_progress_source, _("The way progress is obtained is saved.")
            )
        else:
            saved = _save_progress(request, tracked, form, services.record_progress, _("The progress update is saved."))
        if saved is not None:
            return saved
    can_edit = rules.can_record_progress(request.user, tracked)
    return render(
        request,
        "plans/item.html",
        {
            "tracked": tracked,
            "item": selectors.with_labels([versions[0]])[0],
            "versions": versions,
            "links": list(selectors.provenance_of([tracked.pk], include_unpublished=officer)),
            "updates": tracked.updates.all()[:100],
            "form": form if can_edit else None,
            "source_form": source_form if can_edit else None,
            "trace_steps": trace.trace_steps([tracked]),
        },
    )
