from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kelisim.funding.models import Application, Call, Contract, Milestone


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title_ru", "status", "opens_at", "closes_at"]
    list_filter = ["status"]
    search_fields = ["reference", "title_ru", "title_en", "title_kk"]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "title", "organisation", "call", "status", "revision"]
    list_filter = ["status", "call"]
    raw_id_fields = ["organisation", "submitted_by", "created_by"]


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["number", "amount_kzt", "status", "version", "period_start", "period_end"]
    list_filter = ["status"]
    raw_id_fields = ["application", "created_by"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "contract", "due_date", "status"]
    list_filter = ["status"]
