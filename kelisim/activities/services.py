"""Every write of the activities app: one function per use case, permission checked, history recorded."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.activities import progress, summary
from kelisim.activities.models import (
    OFFICER_TARGETS,
    TRANSITIONS,
    ActivityReport,
    IndicatorSource,
    ManualIndicatorValue,
    ReportImport,
    ReportStatus,
    StatusChange,
)
from kelisim.activities.selectors import can_report_for
from kelisim.organisations.models import Organisation


def _require_reporter(actor, organisation: Organisation) -> None:
    if not can_report_for(actor, organisation):
        raise PermissionDenied(_("Only this organisation's members and programme officers can report its activities."))


def _check_milestone(report: ActivityReport) -> None:
    if report.milestone_id and report.milestone.contract.application.organisation_id != report.organisation_id:
        raise ValidationError({"milestone": _("This milestone belongs to another organisation's contract.")})


def _save(report: ActivityReport, *, actor, reason: str) -> None:
    _check_milestone(report)
    report._history_user = actor
    report._change_reason = reason[:100]
    report.full_clean(exclude=["organisation", "created_by", "plan_item", "milestone", "import_job"])
    report.save()


@transaction.atomic
def create_report(
    *, actor, organisation: Organisation, data: dict, lecturers=(), partners=(), submit: bool = False
) -> ActivityReport:
    _require_reporter(actor, organisation)
    report = ActivityReport(organisation=organisation, created_by=actor, **data)
    _save(report, actor=actor, reason="created")
    report.lecturers.set(lecturers)
    report.partners.set(partners)
    if submit:
        transition(actor=actor, report=report, to_status=ReportStatus.SUBMITTED)
    return report


@transaction.atomic
def update_report(*, actor, report: ActivityReport, data: dict, lecturers=None, partners=None) -> ActivityReport:
    report = ActivityReport.objects.select_for_update().get(pk=report.pk)
    _require_reporter(actor, report.organisation)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or a returned report can be changed."))
    for name, value in data.items():
        setattr(report, name, value)
    _save(report, actor=actor, reason="edited")
    if lecturers is not None:
        report.lecturers.set(lecturers)
    if partners is not None:
        report.partners.set(partners)
    return report


@transaction.atomic
def transition(*, actor, report: ActivityReport, to_status: str, comment: str = "") -> ActivityReport:
    """Move a report along ``models.TRANSITIONS``; verification and un-verification update the summaries
    in this same transaction, so a dashboard never counts a report that is not verified, and so does the
    progress of its plan item when that follows the item's indicators."""
    report, counts_changed = _transition(actor=actor, report=report, to_status=to_status, comment=comment)
    if counts_changed:
        progress.refresh([report.plan_item_id], actor=actor)
    return report


def _transition(*, actor, report: ActivityReport, to_status: str, comment: str) -> tuple[ActivityReport, bool]:
    """The move itself; also says whether the report entered or left the counts."""
    report = ActivityReport.objects.select_for_update().get(pk=report.pk)
    if to_status in OFFICER_TARGETS:
        require_officer(actor)
    else:
        _require_reporter(actor, report.organisation)
    if to_status not in TRANSITIONS.get(report.status, ()):
        raise ValidationError(
            _("A report that is “%(current)s” cannot become “%(target)s”.")
            % {"current": report.get_status_display(), "target": ReportStatus(to_status).label}
        )
    comment = (comment or "").strip()
    if to_status == ReportStatus.RETURNED and not comment:
        raise ValidationError({"comment": _("Say what the organisation should correct.")})

    previous = report.status
    if previous == ReportStatus.VERIFIED:
        summary.apply(report, -1)
    now = timezone.now()
    report.status = to_status
    if to_status == ReportStatus.SUBMITTED:
        report.submitted_at = now
    elif to_status == ReportStatus.VERIFIED:
        report.verified_at, report.verified_by = now, actor
        summary.apply(report, +1)
    elif to_status == ReportStatus.RETURNED:
        report.return_comment = comment
        report.verified_at = report.verified_by = None
    report._history_user = actor
    report._change_reason = f"{previous} -> {to_status}"
    report.save()
    StatusChange.objects.create(report=report, from_status=previous, to_status=to_status, actor=actor, comment=comment)
    return report, ReportStatus.VERIFIED in (previous, to_status)


@transaction.atomic
def verify_many(*, actor, reports) -> int:
    """Verify several submitted reports at once (an officer's queue); returns how many were verified."""
    require_officer(actor)
    count, plan_items = 0, set()
    for report in reports:
        if report.status == ReportStatus.SUBMITTED:
            report, _counted = _transition(actor=actor, report=report, to_status=ReportStatus.VERIFIED, comment="")
            plan_items.add(report.plan_item_id)
            count += 1
    progress.refresh(plan_items, actor=actor)  # once per plan item, not once per report
    return count


@transaction.atomic
def delete_draft(*, actor, report: ActivityReport) -> None:
    _require_reporter(actor, report.organisation)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    report.delete()


def start_import(*, actor, organisation: Organisation, uploaded_file) -> ReportImport:
    """Store the file and queue the task that checks and imports it (all or nothing)."""
    from django.utils import translation

    from kelisim.activities.tasks import run_import

    _require_reporter(actor, organisation)
    name = getattr(uploaded_file, "name", "") or "reports.xlsx"
    if not name.lower().endswith(".xlsx"):
        raise ValidationError({"source": _("Upload the XLSX template filled in (a .xlsx file).")})
    with transaction.atomic():
        job = ReportImport.objects.create(
            organisation=organisation, created_by=actor, source=uploaded_file, original_name=name[:255]
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk, translation.get_language() or ""))
    return job


@transaction.atomic
def set_indicator_source(*, actor, indicator, rule: str) -> IndicatorSource:
    require_officer(actor)
    source, _created = IndicatorSource.objects.get_or_create(indicator=indicator, defaults={"rule": rule})
    source.rule, source.updated_by, source.updated_at = rule, actor, timezone.now()
    source._history_user = actor
    source._change_reason = f"rule: {rule}"
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
    entry._history_user = actor
    entry._change_reason = "value entered"
    entry.full_clean(exclude=["indicator", "entered_by"])
    entry.save()
    progress.refresh([indicator.item.tracked_id], actor=actor)
    return entry
