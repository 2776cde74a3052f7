from kelisim.core.tests.access import ADMINISTRATORS, EVERYONE, OFFICERS, Rule


def extend_world(world):
    from kelisim.plans import services
    from kelisim.plans.models import PlanVersion
    from kelisim.plans.tests.factories import draft_with_items, plan

    world.plan_version = draft_with_items(items_per_strand=1, the_plan=plan())
    world.plan_item = world.plan_version.items.order_by("number").first()
    world.working_version = services.start_version(
        actor=None, plan=world.plan_version.plan, kind=PlanVersion.Kind.DRAFT
    )
    world.working_item = world.working_version.items.get(tracked=world.plan_item.tracked)


def _published(world):
    return {"number": world.plan_version.number}


def _working(world):
    return {"number": world.working_version.number}


def _working_item(world):
    return {"number": world.working_version.number, "code": world.plan_item.tracked.code}


def _code(world):
    return {"code": world.plan_item.tracked.code}


ACCESS_RULES = [
    Rule("plans:index", allowed=EVERYONE),
    Rule("plans:index", allowed=EVERYONE, query="status=not_started&body=Akimat", note="filtered"),
    Rule("plans:versions", allowed=EVERYONE),
    Rule("plans:compare", allowed=EVERYONE),
    Rule("plans:version", kwargs=_published, allowed=EVERYONE),
    Rule("plans:version", kwargs=_working, allowed=OFFICERS, note="being edited"),
    Rule("plans:export_csv", kwargs=_published, allowed=EVERYONE),
    Rule("plans:export_json", kwargs=_published, allowed=EVERYONE),
    Rule("plans:export_json", kwargs=_working, allowed=OFFICERS, note="being edited"),
    Rule("plans:start_version", method="POST", data=lambda world: {"kind": "draft"}, allowed=OFFICERS),
    Rule("plans:publish", method="POST", kwargs=_working, allowed=OFFICERS),
    Rule("plans:adopt", allowed=ADMINISTRATORS),
    Rule("plans:objective_add", kwargs=_working, allowed=OFFICERS),
    Rule("plans:item_add", kwargs=_working, allowed=OFFICERS),
    Rule("plans:item_edit", kwargs=_working_item, allowed=OFFICERS),
    Rule("plans:item_remove", method="POST", kwargs=_working_item, allowed=OFFICERS),
    Rule("plans:indicator_add", kwargs=_working_item, allowed=OFFICERS),
    Rule("plans:item", kwargs=_code, allowed=EVERYONE),
    Rule(
        "plans:item",
        method="POST",
        kwargs=_code,
        data=lambda world: {"status": "in_progress", "progress": "30", "note": "Lectures started."},
        allowed=OFFICERS,
    ),
    Rule("plans:trace_item", kwargs=_code, allowed=EVERYONE),
    Rule("plans:trace_suggestion", kwargs=lambda world: {"reference": world.suggestion.reference}, allowed=EVERYONE),
    Rule("plans:incorporate", kwargs=lambda world: {"agenda_item_id": world.agenda_item.pk}, allowed=OFFICERS),
    Rule(
        "plans:incorporate",
        method="POST",
        kwargs=lambda world: {"agenda_item_id": world.agenda_item.pk},
        data=lambda world: {
            "suggestion": world.suggestion.pk,
            "text_en": "Into the plan.",
            "acceptance": "accepted",
            "existing_item": world.plan_item.tracked.code,
        },
        allowed=OFFICERS,
    ),
]

# The API: public reading of published versions.
ACCESS_RULES += [
    Rule("api:list_versions", allowed=EVERYONE),
    Rule("api:get_version", kwargs=_published, allowed=EVERYONE),
    Rule("api:list_items", kwargs=_published, allowed=EVERYONE),
    Rule("api:get_item", kwargs=_code, allowed=EVERYONE),
]
