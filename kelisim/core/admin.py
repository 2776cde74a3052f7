"""Administrators see every background task and every outgoing email, and can send a failed one again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from kelisim.core.models import OutboxEmail, WorkerHeartbeat
from kelisim.core.worker import retry_task

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    actions = ["retry_failed"]

    @admin.action(description=_("Run the selected failed tasks again"))
    def retry_failed(self, request, queryset):
        failed = list(queryset.failed())
        for result in failed:
            retry_task(result)
        queued = ngettext("%(count)d task queued again.", "%(count)d tasks queued again.", len(failed))
        self.message_user(request, queued % {"count": len(failed)}, messages.SUCCESS)


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to", "subject", "status", "attempts", "sent_at", "topic")
    list_filter = ("status", "topic")
    search_fields = ("to", "subject")
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected failed emails again"))
    def send_again(self, request, queryset):
        from kelisim.core.tasks import deliver_email

        failed = list(queryset.filter(status=OutboxEmail.Status.FAILED).values_list("pk", flat=True))
        OutboxEmail.objects.filter(pk__in=failed).update(attempts=0)
        for outbox_id in failed:
            deliver_email.enqueue(outbox_id)
        queued = ngettext("%(count)d email queued again.", "%(count)d emails queued again.", len(failed))
        self.message_user(request, queued % {"count": len(failed)}, messages.SUCCESS)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "queues", "started_at", "last_seen")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
