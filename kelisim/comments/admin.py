from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kelisim.comments.models import AuthorSanction, Comment, WordRule


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    """Read-only: moderation goes through the moderation queue, so that every decision has a reason."""

    list_display = ["pk", "status", "reason_code", "language", "created_at"]
    list_filter = ["status", "reason_code", "language"]
    search_fields = ["text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WordRule)
class WordRuleAdmin(SimpleHistoryAdmin):
    list_display = ["phrase", "kind", "language"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AuthorSanction)
class AuthorSanctionAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "reason", "starts_at", "ends_at", "lifted_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
