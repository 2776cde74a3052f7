"""Funding (S5): calls for proposals, applications, independent review, awards and contracts.

Each model with a status declares its workflow (``WORKFLOW``, a ``core.workflow.Workflow``); services move
objects only through ``core.workflow.transition``. Official records (calls, applications, assignments,
contracts, milestone reports) keep their history with django-simple-history.

The models live in one module per sub-domain; this package re-exports them, so that the app label, the
migrations and ``from kelisim.funding.models import Call`` stay as they were.
"""

from kelisim.funding.models.applications import (
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    Application,
    ApplicationRevision,
    Attachment,
    BudgetLine,
    RevisionFile,
    attachment_path,
)
from kelisim.funding.models.calls import Call, Criterion, Question
from kelisim.funding.models.contracts import (
    OPEN_MILESTONE_STATUSES,
    PUBLIC_CONTRACT_STATUSES,
    Contract,
    ContractAmendment,
    Milestone,
    MilestoneReport,
    ReportEvidence,
    evidence_path,
)
from kelisim.funding.models.releases import Release
from kelisim.funding.models.review import MIN_REVIEWERS, ReviewAssignment, Score, reviewer_snapshot

__all__ = [
    "DECIDED_STATUSES",
    "EDITABLE_STATUSES",
    "MIN_REVIEWERS",
    "OPEN_MILESTONE_STATUSES",
    "PUBLIC_CONTRACT_STATUSES",
    "Application",
    "ApplicationRevision",
    "Attachment",
    "BudgetLine",
    "Call",
    "Contract",
    "ContractAmendment",
    "Criterion",
    "Milestone",
    "MilestoneReport",
    "Question",
    "Release",
    "ReportEvidence",
    "ReviewAssignment",
    "RevisionFile",
    "Score",
    "attachment_path",
    "evidence_path",
    "reviewer_snapshot",
]
