import datetime

from kelisim.core.tests.access import EVERYONE, NOBODY, OFFICERS, SIGNED_IN, Rule

REPORTERS = {"ngo_member", "ngo_admin", "officer", "administrator"}


def extend_world(world):
    from django.core.files.base import ContentFile

    from kelisim.activities.models import ActivityReport, ManualIndicatorValue, ReportImport, ReportStatus
    from kelisim.core.models import Region
    from kelisim.plans.models import Indicator

    common = {
        "organisation": world.organisation,
        "activity_type": "lecture",
        "start_date": datetime.date(2026, 4, 1),
        "end_date": datetime.date(2026, 4, 1),
        "region": Region.objects.get(code="KZ-71"),
        "venue_type": "school",
        "strand": world.strand,
        "female_14_18": 9,
    }
    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name="w.pdf")
    world.draft_report = ActivityReport.objects.create(title="World draft", material_file=pdf, **common)
    world.submitted_report = ActivityReport.objects.create(
        title="World submitted", status=ReportStatus.SUBMITTED, **common
    )
    world.verified_report = ActivityReport.objects.create(
        title="World verified", status=ReportStatus.VERIFIED, material_file=pdf, **common
    )
    world.report_import = ReportImport.objects.create(
        organisation=world.organisation,
        created_by=world.users["ngo_member"],
        source="activities/imports/world.xlsx",
        original_name="world.xlsx",
        status=ReportImport.Status.REJECTED,
    )
    world.previewed_report_import = ReportImport.objects.create(
        organisation=world.organisation,
        created_by=world.users["ngo_member"],
        source="activities/imports/world-preview.xlsx",
        original_name="world-preview.xlsx",
        status=ReportImport.Status.PREVIEW,
    )
    world.indicator = Indicator.objects.create(item=world.plan_item, name_en="Events held", unit_en="events")
    world.manual_value = ManualIndicatorValue.objects.create(
        indicator=world.indicator, year=2026, value=3, evidence_file=pdf
    )


def _transition(report: str, to: str, **rule) -> Rule:
    """Taking the world's ``report`` to ``to`` through the report page's buttons."""
    return Rule(
        "activities:report_transition",
        method="POST",
        kwargs=lambda w: {"pk": getattr(w, report).pk},
        data=lambda w: {"to": to},
        **rule,
    )


ACCESS_RULES = [
    Rule("activities:dashboard", allowed=EVERYONE),
    Rule("activities:dashboard", allowed=EVERYONE, query="by=period&period=month&year_from=2025", note="filtered"),
    Rule("activities:dashboard_export", kwargs=lambda w: {"file_format": "csv"}, allowed=EVERYONE),
    Rule("activities:dashboard_export", kwargs=lambda w: {"file_format": "xlsx"}, allowed=EVERYONE, note="xlsx"),
    Rule("activities:dashboard_internal", allowed=OFFICERS),
    Rule("activities:dashboard_internal_export", kwargs=lambda w: {"file_format": "csv"}, allowed=OFFICERS),
    Rule("activities:reports_export", allowed=OFFICERS),
    Rule("activities:indicators", allowed=EVERYONE),
    Rule("activities:iati_activities", allowed=EVERYONE),
    Rule("activities:indicator_edit", kwargs=lambda w: {"pk": w.indicator.pk}, allowed=OFFICERS),
    Rule(
        "activities:indicator_edit",
        method="POST",
        kwargs=lambda w: {"pk": w.indicator.pk},
        data=lambda w: {"set_rule": "1", "rule": "events"},
        allowed=OFFICERS,
    ),
    Rule("activities:my_reports", allowed=SIGNED_IN),
    Rule("activities:queue", allowed=OFFICERS),
    Rule(
        "activities:queue",
        method="POST",
        data=lambda w: {"report": [w.submitted_report.pk]},
        allowed=OFFICERS,
    ),
    Rule("activities:report", kwargs=lambda w: {"pk": w.verified_report.pk}, allowed=EVERYONE),
    Rule("activities:report", kwargs=lambda w: {"pk": w.draft_report.pk}, allowed=REPORTERS, note="draft"),
    Rule("activities:report_edit", kwargs=lambda w: {"pk": w.draft_report.pk}, allowed=REPORTERS),
    Rule("activities:report_file", kwargs=lambda w: {"pk": w.verified_report.pk}, allowed=EVERYONE),
    Rule("activities:report_file", kwargs=lambda w: {"pk": w.draft_report.pk}, allowed=REPORTERS, note="draft"),
    Rule("activities:evidence_file", kwargs=lambda w: {"pk": w.manual_value.pk}, allowed=OFFICERS),
    _transition("draft_report", "submitted", allowed=REPORTERS),
    _transition("submitted_report", "verified", allowed=OFFICERS, note="verify"),
    Rule("activities:organisation_reports", kwargs=lambda w: {"pk": w.organisation.pk}, allowed=REPORTERS),
    Rule("activities:report_create", kwargs=lambda w: {"pk": w.organisation.pk}, allowed=REPORTERS),
    Rule("activities:import_upload", kwargs=lambda w: {"pk": w.organisation.pk}, allowed=REPORTERS),
    Rule("activities:import_detail", kwargs=lambda w: {"pk": w.report_import.pk}, allowed=REPORTERS),
    # Cancelling a previewed import: the organisation's members and officers, not another organisation's admin.
    Rule(
        "activities:import_decide",
        method="POST",
        kwargs=lambda w: {"pk": w.previewed_report_import.pk},
        data=lambda w: {"decision": "cancel"},
        allowed=REPORTERS,
    ),
    Rule("activities:import_template", allowed=SIGNED_IN),
    Rule("api:activity_summary", allowed=EVERYONE),
    Rule("api:activity_indicators", allowed=EVERYONE),
    Rule("api:activity_reports", allowed=NOBODY, note="(needs a Bearer token)"),
    Rule("api:create_activity_report", method="POST", allowed=NOBODY, note="(needs a Bearer token)"),
    Rule(
        "api:activity_report",
        kwargs=lambda w: {"report_id": w.draft_report.pk},
        allowed=NOBODY,
        note="(needs a Bearer token)",
    ),
    Rule(
        "api:update_activity_report",
        method="PUT",
        kwargs=lambda w: {"report_id": w.draft_report.pk},
        allowed=NOBODY,
        note="(needs a Bearer token)",
    ),
]
