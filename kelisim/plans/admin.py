from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kelisim.plans.models import ActionPlan, PlanVersion, TrackedItem


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["slug", "programme"]


@admin.register(PlanVersion)
class PlanVersionAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "number", "kind", "kind_number", "state", "published_at", "adopted_on"]
    list_filter = ["kind", "state"]

    def has_change_permission(self, request, obj=None):
        # Versions change through the services only (a published one never changes).
        return False


@admin.register(TrackedItem)
class TrackedItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "status", "progress"]
    list_filter = ["status"]
    search_fields = ["code"]
