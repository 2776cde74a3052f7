"""Every write of the activities app: one function per use case, permission checked, history recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.activities import progress, summary
from kelisim.activities.models import (
    ActivityReport,
    IndicatorSource,
    ManualIndicatorValue,
    ReportImport,
    ReportStatus,
    StatusChange,
)
from kelisim.activities.rules import require_mover, require_reporter
from kelisim.activities.validation import as_validation_error, milestone_problems
from kelisim.core import files
from kelisim.core.services import replace_relations
from kelisim.core.workflow import record_history, transition
from kelisim.notifications.services import notify
from kelisim.organisations.models import Membership, Organisation


def _save(report: ActivityReport, *, actor, reason: str) -> None:
    report.material_file_name = files.given_name(report.material_file, report.material_file_name)
    if problems := milestone_problems(milestone=report.milestone, organisation_id=report.organisation_id):
        raise as_validation_error(problems)
    record_history(report, actor=actor, reason=reason)
    report.full_clean(exclude=["organisation", "created_by", "plan_item", "milestone", "import_job"])
    report.save()


@transaction.atomic
def create_report(
    *, actor, organisation: Organisation, data: dict, lecturers=(), partners=(), submit: bool = False
) -> ActivityReport:
    require_reporter(actor, organisation)
    report = ActivityReport(organisation=organisation, created_by=actor, **data)
    _save(report, actor=actor, reason="created")
    report.lecturers.set(lecturers)
    report.partners.set(partners)
    if submit:
        transition_report(actor=actor, report=report, to=ReportStatus.SUBMITTED)
    return report


@transaction.atomic
def update_report(*, actor, report: ActivityReport, data: dict, lecturers=None, partners=None) -> ActivityReport:
    report = ActivityReport.objects.select_for_update().get(pk=report.pk)
    require_reporter(actor, report.organisation)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or a returned report can be changed."))
    for name, value in data.items():
        setattr(report, name, value)
    _save(report, actor=actor, reason="edited")
    replace_relations(report, lecturers=lecturers, partners=partners)
    return report


@transaction.atomic
def transition_report(*, actor, report: ActivityReport, to: str, reason: str = "") -> ActivityReport:
    """Move a report along ``ActivityReport.WORKFLOW``; ``reason`` is the comment to the organisation (required
    to return a report). Verification and un-verification update the summaries in this same transaction, so a
    dashboard never counts a report that is not verified, and so does the progress of its plan item when that
    follows the item's indicators."""
    report, counts_changed = _move_without_progress(actor=actor, report=report, to=to, reason=reason)
    if counts_changed:
        progress.refresh([report.plan_item_id], actor=actor)
    return report


def _move_without_progress(*, actor, report: ActivityReport, to: str, reason: str) -> tuple[ActivityReport, bool]:
    """The move itself, leaving the plan items' progress to the caller; also says whether the report entered
    or left the counts."""
    report = ActivityReport.objects.select_for_update().get(pk=report.pk)
    require_mover(actor, report, to)
    previous = transition(report, to=to, actor=actor, reason=f"{report.status} -> {to}")
    reason = (reason or "").strip()
    if to == ReportStatus.RETURNED and not reason:
        raise ValidationError({"comment": _("Say what the organisation should correct.")})
    if previous == ReportStatus.VERIFIED:
        summary.apply(report, -1)
    now = timezone.now()
    if to == ReportStatus.SUBMITTED:
        report.submitted_at = now
    elif to == ReportStatus.VERIFIED:
        report.verified_at, report.verified_by = now, actor
        summary.apply(report, +1)
    elif to == ReportStatus.RETURNED:
        report.return_comment = reason
        report.verified_at = report.verified_by = None
    report.save()
    StatusChange.objects.create(report=report, from_status=previous, to_status=to, actor=actor, comment=reason)
    if to in (ReportStatus.VERIFIED, ReportStatus.RETURNED):
        _tell_organisation(report, actor)
    return report, ReportStatus.VERIFIED in (previous, to)


def _tell_organisation(report: ActivityReport, actor) -> None:
    """The decision on a report reaches who wrote it and the organisation's admins (notifications)."""
    admins = Membership.objects.filter(
        organisation_id=report.organisation_id, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    ).select_related("user")
    notify(
        recipients=[report.created_by, *(membership.user for membership in admins)],
        kind="activities.report",
        params={"title": report.title, "status": report.status, "comment": report.return_comment or ""},
        url=reverse("activities:report", args=[report.pk]),
        exclude=[actor] if actor else [],
    )


@transaction.atomic
def verify_many(*, actor, reports) -> int:
    """Verify several submitted reports at once (an officer's queue); returns how many were verified."""
    require_officer(actor)
    count, plan_items = 0, set()
    for report in reports:
        if report.status == ReportStatus.SUBMITTED:
            report, _counted = _move_without_progress(actor=actor, report=report, to=ReportStatus.VERIFIED, reason="")
            plan_items.add(report.plan_item_id)
            count += 1
    progress.refresh(plan_items, actor=actor)  # once per plan item, not once per report
    return count


@transaction.atomic
def delete_draft(*, actor, report: ActivityReport) -> None:
    require_reporter(actor, report.organisation)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    report.delete()


def start_import(*, actor, organisation: Organisation, uploaded_file) -> ReportImport:
    """Store the file and queue the task that checks it and shows the reports it would create; nothing is written
    before the person confirms (``confirm_import``), then all or nothing."""
    from django.utils import translation

    from kelisim.activities.tasks import run_import

    require_reporter(actor, organisation)
    name = files.given_name(uploaded_file) or "reports.xlsx"
    try:
        files.SPREADSHEET_IMPORT.check(uploaded_file)
    except ValidationError as error:
        raise ValidationError({"source": error.messages}) from None
    with transaction.atomic():
        job = ReportImport.objects.create(
            organisation=organisation, created_by=actor, source=uploaded_file, original_name=name[:255]
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk, translation.get_language() or ""))
    return job


def _decide_import(actor, job: ReportImport, to: str, **values) -> ReportImport:
    require_reporter(actor, job.organisation)
    changed = ReportImport.objects.filter(pk=job.pk, status=ReportImport.Status.PREVIEW).update(status=to, **values)
    if not changed:
        raise ValidationError(_("This import is not waiting for a confirmation."), code="not_in_preview")
    job.refresh_from_db()
    return job


@transaction.atomic
def confirm_import(*, actor, job: ReportImport) -> ReportImport:
    """After reading the preview, the reports are written (all or nothing) by the background task."""
    from django.utils import translation

    from kelisim.activities.tasks import run_import

    job = _decide_import(actor, job, ReportImport.Status.CONFIRMED, confirmed_at=timezone.now())
    transaction.on_commit(lambda: run_import.enqueue(job.pk, translation.get_language() or ""))
    return job


@transaction.atomic
def cancel_import(*, actor, job: ReportImport) -> ReportImport:
    return _decide_import(actor, job, ReportImport.Status.CANCELLED, finished_at=timezone.now())


@transaction.atomic
def set_indicator_source(*, actor, indicator, rule: str) -> IndicatorSource:
    require_officer(actor)
    source, _created = IndicatorSource.objects.get_or_create(indicator=indicator, defaults={"rule": rule})
    source.rule, source.updated_by, source.updated_at = rule, actor, timezone.now()
    record_history(source, actor=actor, reason=f"rule: {rule}")
    source.save()
    progress.refresh([indicator.item.tracked_id], actor=actor)
    return source


@transaction.atomic
def add_manual_value(
    *, actor, indicator, year: int, value, region=None, evidence_url: str = "", evidence_file=None, note: str = ""
) -> ManualIndicatorValue:
    require_officer(actor)
    if not evidence_url and not evidence_file:
        raise ValidationError({"evidence_url": _("Give the evidence: a link or a file.")})
    entry = ManualIndicatorValue(
        indicator=indicator,
        year=year,
        region=region,
        value=value,
        evidence_url=evidence_url,
        evidence_file=evidence_file or "",
        note=note,
        entered_by=actor,
    )
    entry.evidence_file_name = files.given_name(entry.evidence_file)
    record_history(entry, actor=actor, reason="value entered")
    entry.full_clean(exclude=["indicator", "entered_by"])
    entry.save()
    progress.refresh([indicator.item.tracked_id], actor=actor)
    return entry
