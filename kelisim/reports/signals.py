"""After a suggestion is sent, answered or merged, a roundtable decides on it or it shapes the plan, the
consultation report's PDFs are built again in the background (after commit)."""

from django.db import transaction
from django.db.models.signals import post_save

from kelisim.consultations.models import Suggestion
from kelisim.meetings.models import Decision, Roundtable
from kelisim.plans.models import Provenance


def _rebuild(version_ids) -> None:
    ids = sorted({pk for pk in version_ids if pk})
    if ids:
        from kelisim.reports.tasks import render_consultation_reports

        transaction.on_commit(lambda: [render_consultation_reports.enqueue(pk) for pk in ids])


def _suggestion_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _rebuild([instance.version_id])


def _linked(sender, instance, raw=False, **kwargs):
    if not raw and instance.suggestion_id:
        _rebuild(Suggestion.objects.filter(pk=instance.suggestion_id).values_list("version_id", flat=True))


def _roundtable_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.status == Roundtable.Status.CLOSED:
        _rebuild(
            Suggestion.objects.filter(roundtable_decisions__roundtable=instance).values_list("version_id", flat=True)
        )


def connect() -> None:
    post_save.connect(_suggestion_saved, sender=Suggestion, dispatch_uid="reports_suggestion")
    post_save.connect(_linked, sender=Decision, dispatch_uid="reports_decision")
    post_save.connect(_linked, sender=Provenance, dispatch_uid="reports_provenance")
    post_save.connect(_roundtable_saved, sender=Roundtable, dispatch_uid="reports_roundtable")
