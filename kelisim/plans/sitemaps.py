from kelisim.core.sitemaps import SectionSitemap
from kelisim.plans.models import ActionPlan, PlanVersion, TrackedItem


class PlanSitemap(SectionSitemap):
    """The action plan: its published versions and every item published at least once (working copies never)."""

    pages = ("plans:index", "plans:versions")

    def objects(self):
        plan = ActionPlan.objects.order_by("pk").values("pk")[:1]  # the plan the pages show (selectors.current_plan)
        return [
            PlanVersion.objects.filter(plan=plan, state=PlanVersion.State.PUBLISHED).only("number").order_by("number"),
            TrackedItem.objects.filter(plan=plan, first_published_in__isnull=False).only("code").order_by("code"),
        ]
