from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kelisim.meetings.models import Decision, Roundtable


@admin.register(Roundtable)
class RoundtableAdmin(SimpleHistoryAdmin):
    list_display = ["title_ru", "starts_at", "status", "capacity", "seats_taken"]
    list_filter = ["status", "access"]
    search_fields = ["title_kk", "title_ru", "title_en"]
    readonly_fields = ["seats_taken", "minutes_html", "closed_at", "reminder_sent_at"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["roundtable", "kind", "suggestion", "plan_item_code"]
    list_filter = ["kind"]
