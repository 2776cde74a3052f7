"""Reads of the funding app, shaped so that the number of queries does not grow with the data."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kelisim.core import search
from kelisim.funding import rules
from kelisim.funding.models import (
    DECIDED_STATUSES,
    OPEN_MILESTONE_STATUSES,
    PUBLIC_CONTRACT_STATUSES,
    Application,
    ApplicationRevision,
    Call,
    Contract,
    Milestone,
    MilestoneReport,
    ReviewAssignment,
    Score,
)

# Two reviewers whose weighted totals (0–100) differ by more than this are flagged for a closer look.
DIVERGENCE_POINTS = 20


def _calls_with_counts(queryset: QuerySet[Call]) -> QuerySet[Call]:
    """Calls with their strands and the number of applications submitted (drafts are the applicants' own)."""
    return (
        queryset.prefetch_related("strands")
        .annotate(application_count=Count("applications", filter=~Q(applications__status=Application.Status.DRAFT)))
        .order_by("-opens_at", "pk")
    )


def public_calls() -> QuerySet[Call]:
    return _calls_with_counts(Call.objects.exclude(status=Call.Status.DRAFT))


CALL_SEARCH_FIELDS = [
    "reference",
    "title_kk",
    "title_ru",
    "title_en",
    "description_kk",
    "description_ru",
    "description_en",
]
CONTRACT_SEARCH_FIELDS = [
    "number",
    "title_kk",
    "title_ru",
    "title_en",
    "application__organisation__name_kk",
    "application__organisation__name_ru",
    "application__organisation__name_en",
]


def search_calls(queryset: QuerySet[Call], q: str) -> QuerySet[Call]:
    return search.contains_every_word(queryset, CALL_SEARCH_FIELDS, q) if q else queryset


def search_contracts(queryset: QuerySet[Contract], q: str) -> QuerySet[Contract]:
    return search.contains_every_word(queryset, CONTRACT_SEARCH_FIELDS, q) if q else queryset


def calls_for(user) -> QuerySet[Call]:
    if rules.is_officer(user):
        return _calls_with_counts(Call.objects.all())
    return public_calls()


def call_detail(reference: str, user) -> Call | None:
    return (
        calls_for(user)
        .prefetch_related("questions", "criteria", "eligible_regions", "plan_items", "reviewer_pool")
        .filter(reference=reference)
        .first()
    )


def applications_for(user) -> QuerySet[Application]:
    """Officers see every application; applicants their organisations' ones; others none."""
    base = Application.objects.select_related("call", "organisation").order_by("-created_at", "pk")
    if rules.is_officer(user):
        return base
    return base.filter(organisation_id__in=rules.member_organisation_ids(user))


# The application list's status filter: one status, or "open" (still with the applicant: draft or sent back).
OPEN_APPLICATION_STATUSES = (Application.Status.DRAFT, Application.Status.CHANGES_REQUESTED)
APPLICATION_LIST_FILTERS = {"", "open", *Application.Status.values}


def application_filter_choices() -> list[tuple[str, str]]:
    return [
        ("", _("All statuses")),
        ("open", _("With the applicant (draft or changes requested)")),
        *Application.Status.choices,
    ]


def filter_applications(applications: QuerySet[Application], status: str) -> QuerySet[Application]:
    if status == "open":
        return applications.filter(status__in=OPEN_APPLICATION_STATUSES)
    if status:
        return applications.filter(status=status)
    return applications


def review_assignments_for(user) -> QuerySet[ReviewAssignment]:
    """The reviewer's list: reviews still to give first, then those given, closed (decided before the review was
    in) and declined for a conflict; newest first within each."""
    assigned = ReviewAssignment.Status.ASSIGNED
    return (
        ReviewAssignment.objects.filter(reviewer=user, automatic_conflict=False)
        .exclude(application__organisation_id__in=rules.member_organisation_ids(user))
        .select_related("application__call", "application__organisation")
        .annotate(
            list_order=Case(
                When(status=assigned, application__status__in=DECIDED_STATUSES, then=Value(2)),
                When(status=assigned, then=Value(0)),
                When(status=ReviewAssignment.Status.SUBMITTED, then=Value(1)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("list_order", "-assigned_at", "-pk")
    )


def application_page(pk: int) -> Application | None:
    return (
        Application.objects.select_related("call", "organisation__region", "submitted_by")
        .prefetch_related(
            "budget_lines",
            "attachments",
            Prefetch("revisions", queryset=ApplicationRevision.objects.prefetch_related("files")),
            "call__questions",
            "call__criteria",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class ReviewerTotal:
    assignment: ReviewAssignment
    total: Decimal | None  # weighted, 0–100
    scores: list[Score] = field(default_factory=list)


@dataclass
class RankedApplication:
    application: Application
    reviews: list[ReviewerTotal]
    average: Decimal | None
    spread: Decimal | None

    @property
    def divergent(self) -> bool:
        return self.spread is not None and self.spread > DIVERGENCE_POINTS

    @property
    def submitted_reviews(self) -> int:
        return sum(1 for review in self.reviews if review.assignment.counts_as_review)

    @property
    def reviews_progress(self) -> str:
        return rules.reviews_progress(self.submitted_reviews)

    @property
    def waiting_for_reviews(self) -> bool:
        """Submitted, not decided, and short of the reviews an approval or a rejection needs."""
        return (
            self.application.status == Application.Status.SUBMITTED
            and rules.reviews_missing(self.submitted_reviews) > 0
        )


def weighted_total(scores: list[Score], scale_max: int) -> Decimal | None:
    if not scores:
        return None
    total = sum(Decimal(score.value) / Decimal(scale_max) * score.criterion.weight for score in scores)
    return total.quantize(Decimal("0.1"))


def ranking(call: Call) -> list[RankedApplication]:
    """Submitted and decided applications by average weighted score, highest first."""
    applications = (
        call.applications.exclude(status=Application.Status.DRAFT)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related("reviewer").prefetch_related(
                    Prefetch("scores", queryset=Score.objects.select_related("criterion"))
                ),
            ),
            "budget_lines",
        )
    )
    ranked = []
    for application in applications:
        reviews = []
        for assignment in application.assignments.all():
            scores = list(assignment.scores.all()) if assignment.status == ReviewAssignment.Status.SUBMITTED else []
            reviews.append(ReviewerTotal(assignment, weighted_total(scores, call.scale_max), scores))
        totals = [review.total for review in reviews if review.total is not None]
        average = (sum(totals) / len(totals)).quantize(Decimal("0.1")) if totals else None
        spread = (max(totals) - min(totals)) if len(totals) > 1 else None
        ranked.append(RankedApplication(application, reviews, average, spread))
    ranked.sort(key=lambda row: (row.average is None, -(row.average or 0), row.application.pk))
    return ranked


def scores_visible_to(assignment: ReviewAssignment) -> list[ReviewerTotal]:
    """Other reviewers' scores, shown to a reviewer only once their own review is in."""
    if assignment.status != ReviewAssignment.Status.SUBMITTED:
        return []
    others = (
        ReviewAssignment.objects.filter(application=assignment.application, status=ReviewAssignment.Status.SUBMITTED)
        .exclude(pk=assignment.pk)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    )
    scale = assignment.application.call.scale_max
    return [
        ReviewerTotal(other, weighted_total(list(other.scores.all()), scale), list(other.scores.all()))
        for other in others
    ]


def _contracts_with_counts(queryset: QuerySet[Contract]) -> QuerySet[Contract]:
    """Contracts with their organisation and call, and how many milestones they have and have met."""
    return queryset.select_related("application__organisation", "application__call").annotate(
        milestone_count=Count("milestones", distinct=True),
        accepted_count=Count("milestones", filter=Q(milestones__status=Milestone.Status.ACCEPTED), distinct=True),
    )


def public_contracts() -> QuerySet[Contract]:
    return _contracts_with_counts(Contract.objects.filter(status__in=PUBLIC_CONTRACT_STATUSES)).order_by(
        "-signed_on", "-pk"
    )


def contracts_for(user) -> QuerySet[Contract]:
    if rules.is_officer(user):
        return _contracts_with_counts(Contract.objects.all()).order_by("-created_at", "-pk")
    own = Q(application__organisation_id__in=rules.member_organisation_ids(user))
    return _contracts_with_counts(Contract.objects.filter(Q(status__in=PUBLIC_CONTRACT_STATUSES) | own))


def contract_page(number: str, user) -> Contract | None:
    return (
        contracts_for(user)
        .prefetch_related(
            "plan_items",
            "amendments",
            Prefetch("milestones", queryset=Milestone.objects.prefetch_related("reports__evidence")),
        )
        .filter(number=number)
        .first()
    )


def overdue_milestones() -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(
            status__in=OPEN_MILESTONE_STATUSES,
            due_date__lt=timezone.localdate(),
            contract__status__in=["signed", "active"],
        )
        .select_related("contract__application__organisation")
        .order_by("due_date", "pk")
    )


def reports_waiting() -> QuerySet[MilestoneReport]:
    return (
        MilestoneReport.objects.filter(decision=MilestoneReport.Decision.WAITING)
        .select_related("milestone__contract__application__organisation")
        .order_by("submitted_at")
    )


def contracts_for_plan_items(tracked_items: list) -> dict | None:
    """For the plans trace page: the public contracts funding these plan items."""
    contracts = list(
        public_contracts().filter(plan_items__in=[item.pk for item in tracked_items]).distinct().order_by("number")
    )
    if not contracts:
        return None
    return {"funding_contracts": contracts}


def home_contract_count() -> int:
    return Contract.objects.filter(status__in=PUBLIC_CONTRACT_STATUSES).count()
