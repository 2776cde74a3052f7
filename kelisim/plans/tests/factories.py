"""Action plans for tests, built through the services."""

from datetime import date

from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import Strand
from kelisim.plans import services
from kelisim.plans.models import ActionPlan, PlanVersion


def strands() -> list[Strand]:
    rows = [
        ("zero-tolerance", "Zero tolerance", 0),
        ("prisons", "Prisons", 1),
        ("youth", "Youth", 2),
    ]
    return [
        Strand.objects.update_or_create(
            code=code, defaults={"name_en": name, "name_ru": name, "name_kk": name, "sort_order": order}
        )[0]
        for code, name, order in rows
    ]


def plan(slug: str = "test-plan") -> ActionPlan:
    programme = consultation_factories.programme()
    return services.save_plan(actor=None, programme=programme, slug=slug, title_en="Test action plan")


FUNDED = {"budget_kzt": 1_000_000, "budget_source": "republican budget", "deadline": date(2018, 12, 31)}


def draft_with_items(
    *, items_per_strand: int = 2, publish: bool = True, the_plan: ActionPlan | None = None
) -> PlanVersion:
    """Draft 1 with one objective per strand and ``items_per_strand`` items under each."""
    the_plan = the_plan or plan()
    version = services.start_version(actor=None, plan=the_plan, kind=PlanVersion.Kind.DRAFT, note="first draft")
    for strand in strands():
        objective = services.save_objective(
            actor=None, version=version, strand=strand, title_en=f"Objective of {strand.code}"
        )
        for number in range(items_per_strand):
            text = f"Measure {number + 1} of the {strand.code} strand with lectures in schools"
            _item(version, objective, text, "Ministry of Religious Affairs", **FUNDED)
    if publish:
        version = services.publish_version(actor=None, version=version)
    return version


def add_items(version: PlanVersion, count: int) -> None:
    objective = version.objectives.first()
    for number in range(count):
        _item(version, objective, f"Extra measure {number}", "Akimat")


def _item(version: PlanVersion, objective, text_en: str, responsible_body: str, **facts):
    return services.save_item(
        actor=None, version=version, objective=objective, text_en=text_en, responsible_body=responsible_body, **facts
    )
