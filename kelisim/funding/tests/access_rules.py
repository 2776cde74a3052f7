"""Who may open every funding address. Applicants: members of world.organisation (ngo_member, ngo_admin);
the reviewer is assigned to world.application; officers see everything."""

from datetime import date, timedelta
from decimal import Decimal

from kelisim.core.tests.access import EVERYONE, NOBODY, OFFICERS, SIGNED_IN, Rule

APPLICANTS = frozenset({"ngo_member", "ngo_admin"})
READERS = APPLICANTS | OFFICERS | {"reviewer"}


def _stored_pdf(name: str, body: bytes) -> dict:
    """The fields of an uploaded PDF (an attachment, a piece of evidence)."""
    from django.core.files.base import ContentFile

    return {
        "file": ContentFile(body, name=name),
        "original_name": name,
        "content_type": "application/pdf",
        "size": len(body),
    }


def _add_call(world, now) -> None:
    from kelisim.funding.models import Call, Criterion, Question

    world.call = Call.objects.create(
        reference="world-call",
        title_en="World call",
        budget_kzt=Decimal(5_000_000),
        min_award_kzt=Decimal(100_000),
        max_award_kzt=Decimal(2_000_000),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        status=Call.Status.PUBLISHED,
        published_at=now,
        created_by=world.users["officer"],
    )
    world.question = Question.objects.create(call=world.call, kind=Question.Kind.SHORT_TEXT, label_en="Where?")
    world.criterion = Criterion.objects.create(call=world.call, name_en="Relevance", weight=100)


def _add_application(world, now) -> None:
    """The organisation's approved application, with an attachment, a submitted revision and a reviewer."""
    from kelisim.funding.models import Application, ApplicationRevision, Attachment, ReviewAssignment, RevisionFile

    applicant = world.users["ngo_admin"]
    world.application = Application.objects.create(
        call=world.call,
        organisation=world.organisation,
        title="World project",
        summary="Lectures",
        status=Application.Status.APPROVED,
        approved_amount_kzt=Decimal(1_000_000),
        submitted_at=now,
        submitted_by=applicant,
    )
    world.attachment = Attachment.objects.create(
        application=world.application, **_stored_pdf("world.pdf", b"%PDF-1.4 world")
    )
    revision = ApplicationRevision.objects.create(
        application=world.application,
        number=1,
        title="World project",
        budget_total_kzt=Decimal(1_000_000),
        submitted_at=now,
        submitted_by=applicant,
    )
    world.revision_file = RevisionFile.objects.create(
        revision=revision,
        file=world.attachment.file.name,
        original_name="world.pdf",
        content_type="application/pdf",
        size=14,
    )
    world.assignment = ReviewAssignment.objects.create(
        application=world.application, reviewer=world.users["reviewer"], assigned_by=world.users["officer"]
    )


def _add_contract(world) -> None:
    """The application's active contract, with a milestone, its report and a piece of evidence."""
    from kelisim.funding.models import Contract, Milestone, MilestoneReport, ReportEvidence

    world.contract = Contract.objects.create(
        application=world.application,
        number="KLS-WORLD-001",
        title_en="Lectures for students",
        amount_kzt=Decimal(1_000_000),
        period_start=date(2017, 3, 1),
        period_end=date(2017, 12, 31),
        status=Contract.Status.ACTIVE,
        signed_on=date(2017, 3, 1),
    )
    world.milestone = Milestone.objects.create(
        contract=world.contract, title_en="Stage 1", deliverables_en="Lectures", due_date=date(2017, 6, 1)
    )
    world.report = MilestoneReport.objects.create(milestone=world.milestone, narrative="Done")
    world.evidence = ReportEvidence.objects.create(
        report=world.report, **_stored_pdf("evidence.pdf", b"%PDF-1.4 evidence")
    )


def extend_world(world):
    from django.utils import timezone

    now = timezone.now()
    _add_call(world, now)
    _add_application(world, now)
    _add_contract(world)


def _call(world):
    return {"reference": world.call.reference}


def _application(world):
    return {"pk": world.application.pk}


def _contract(world):
    return {"number": world.contract.number}


ACCESS_RULES = [
    # Public register and open data
    Rule("funding:index", allowed=EVERYONE),
    Rule("funding:call_detail", kwargs=_call, allowed=EVERYONE),
    Rule("funding:contracts", allowed=EVERYONE),
    Rule("funding:contract_detail", kwargs=_contract, allowed=EVERYONE),
    Rule("funding:ocds_contract_release", kwargs=_contract, allowed=EVERYONE),
    Rule("funding:ocds_contract_record", kwargs=_contract, allowed=EVERYONE),
    Rule("funding:ocds_releases", allowed=EVERYONE),
    Rule("funding:ocds_records", allowed=EVERYONE),
    Rule("funding:giving360_json", allowed=EVERYONE),
    Rule("funding:giving360_xlsx", allowed=EVERYONE),
    Rule("funding:giving360_csv", allowed=EVERYONE),
    # Applicants: their own organisation's application only
    Rule("funding:applications", allowed=SIGNED_IN),
    Rule(
        "funding:application_start",
        method="POST",
        kwargs=_call,
        data=lambda world: {"organisation": world.organisation.pk},
        allowed=APPLICANTS,
    ),
    Rule("funding:application_detail", kwargs=_application, allowed=READERS),
    Rule("funding:application_edit", kwargs=_application, allowed=APPLICANTS, note="submitted: back to the page"),
    Rule(
        "funding:application_edit",
        method="POST",
        kwargs=_application,
        data=lambda world: {"title": "Changed"},
        allowed=APPLICANTS,
    ),
    Rule("funding:attachment", kwargs=lambda world: {"pk": world.attachment.pk}, allowed=READERS),
    Rule("funding:revision_file", kwargs=lambda world: {"pk": world.revision_file.pk}, allowed=READERS),
    Rule(
        "funding:attachment_remove", method="POST", kwargs=lambda world: {"pk": world.attachment.pk}, allowed=APPLICANTS
    ),
    Rule("funding:milestone_report", kwargs=lambda world: {"pk": world.milestone.pk}, allowed=APPLICANTS),
    Rule(
        "funding:milestone_report", method="POST", kwargs=lambda world: {"pk": world.milestone.pk}, allowed=APPLICANTS
    ),
    Rule("funding:evidence", kwargs=lambda world: {"pk": world.evidence.pk}, allowed=APPLICANTS | OFFICERS),
    # Reviewers: only what they are assigned to
    Rule("funding:reviews", allowed={"reviewer"}),
    Rule("funding:review", kwargs=lambda world: {"pk": world.assignment.pk}, allowed={"reviewer"}),
    Rule("funding:review", method="POST", kwargs=lambda world: {"pk": world.assignment.pk}, allowed={"reviewer"}),
    Rule(
        "funding:review_conflict", method="POST", kwargs=lambda world: {"pk": world.assignment.pk}, allowed={"reviewer"}
    ),
    # Officers
    Rule("funding:dashboard", allowed=OFFICERS),
    Rule("funding:call_create", allowed=OFFICERS),
    Rule("funding:call_create", method="POST", data=lambda world: {"reference": ""}, allowed=OFFICERS),
    Rule("funding:call_edit", kwargs=_call, allowed=OFFICERS),
    Rule("funding:question_add", method="POST", kwargs=_call, allowed=OFFICERS),
    Rule("funding:question_remove", method="POST", kwargs=lambda world: {"pk": world.question.pk}, allowed=OFFICERS),
    Rule("funding:question_move", method="POST", kwargs=lambda world: {"pk": world.question.pk}, allowed=OFFICERS),
    Rule("funding:criterion_add", method="POST", kwargs=_call, allowed=OFFICERS),
    Rule("funding:criterion_remove", method="POST", kwargs=lambda world: {"pk": world.criterion.pk}, allowed=OFFICERS),
    Rule("funding:call_status", method="POST", kwargs=_call, allowed=OFFICERS),
    Rule("funding:ranking", kwargs=_call, allowed=OFFICERS),
    Rule("funding:application_assign", method="POST", kwargs=_application, allowed=OFFICERS),
    Rule("funding:application_determine", method="POST", kwargs=_application, allowed=OFFICERS),
    Rule("funding:contract_create", method="POST", kwargs=_application, allowed=OFFICERS),
    Rule("funding:milestone_add", method="POST", kwargs=_contract, allowed=OFFICERS),
    Rule("funding:milestone_texts", kwargs=lambda world: {"pk": world.milestone.pk}, allowed=OFFICERS),
    Rule(
        "funding:milestone_texts",
        method="POST",
        kwargs=lambda world: {"pk": world.milestone.pk},
        data=lambda world: {"title_en": "Stage 1", "deliverables_en": "Lectures"},
        allowed=OFFICERS,
    ),
    Rule("funding:contract_texts", kwargs=_contract, allowed=OFFICERS),
    Rule(
        "funding:contract_texts",
        method="POST",
        kwargs=_contract,
        data=lambda world: {"title_en": "Lectures for students"},
        allowed=OFFICERS,
    ),
    Rule("funding:contract_status", method="POST", kwargs=_contract, allowed=OFFICERS),
    Rule("funding:contract_amend", method="POST", kwargs=_contract, allowed=OFFICERS),
    Rule("funding:report_decide", method="POST", kwargs=lambda world: {"pk": world.report.pk}, allowed=OFFICERS),
    # API: reading is public; writing and the applicant's list need a Bearer token (a session is not enough)
    Rule("api:list_calls", allowed=EVERYONE),
    Rule("api:get_call", kwargs=_call, allowed=EVERYONE),
    Rule("api:list_contracts", allowed=EVERYONE),
    Rule("api:get_contract", kwargs=_contract, allowed=EVERYONE),
    Rule("api:ocds_releases", allowed=EVERYONE),
    Rule("api:ocds_records", allowed=EVERYONE),
    Rule("api:ocds_contract_release", kwargs=_contract, allowed=EVERYONE),
    Rule("api:ocds_contract_record", kwargs=_contract, allowed=EVERYONE),
    Rule("api:list_applications", allowed=NOBODY, note="(needs a Bearer token)"),
    Rule("api:save_application", method="POST", kwargs=_call, allowed=NOBODY, note="(needs a Bearer token)"),
]
