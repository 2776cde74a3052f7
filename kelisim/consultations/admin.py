from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kelisim.consultations.models import Document, DocumentVersion, Programme, Suggestion


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["slug", "period_start", "period_end"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["slug", "programme", "kind"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = ["document", "number", "opens_at", "closes_at", "answer_within_days", "is_published"]


@admin.register(Suggestion)
class SuggestionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "status", "language", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["reference"]
    # Writes go through the triage pages so that the workflow and the outbox are respected.
    readonly_fields = [field.name for field in Suggestion._meta.fields]

    def has_add_permission(self, request):
        return False
