from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kelisim.organisations.models import ImportJob, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user", "decided_by")
    readonly_fields = ("created_at", "decided_at")


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "bin", "region", "legal_form", "verification_status", "updated_at")
    list_filter = ("verification_status", "kind", "legal_form", "region")
    search_fields = ("bin", "name_kk", "name_ru", "name_en")
    list_select_related = ("region",)
    raw_id_fields = ("verified_by",)
    filter_horizontal = ("focus_strands",)
    readonly_fields = ("created_at", "updated_at", "verified_at")
    inlines = [MembershipInline]
    show_full_result_count = False  # 23,000 rows: skip the second COUNT on every filtered page


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation", "role", "status", "created_at", "decided_at")
    list_filter = ("status", "role")
    search_fields = ("user__email", "organisation__bin", "organisation__name_ru", "organisation__name_en")
    list_select_related = ("user", "organisation")
    raw_id_fields = ("user", "organisation", "decided_by")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "status",
        "mode",
        "total_rows",
        "created_count",
        "updated_count",
        "error_count",
        "created_at",
    )
    list_filter = ("status", "mode")
    list_select_related = ("created_by",)
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request):
        # Imports start from the upload page, which runs the checks and the background task.
        return False
