"""Funding objects for tests, built through the services where a workflow is involved."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.funding import services
from kelisim.funding.models import Application, Call, Contract, Question, ReviewAssignment
from kelisim.organisations.models import Membership, Organisation
from kelisim.organisations.tests.factories import OrganisationFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def officer():
    return make_staff(Role.OFFICER)


def reviewer(**fields):
    return make_staff(Role.REVIEWER, totp=False, **fields)


def verified_organisation(**fields) -> Organisation:
    fields.setdefault("verification_status", Organisation.Verification.VERIFIED)
    fields.setdefault("registration_date", date(2010, 5, 1))
    return OrganisationFactory(**fields)


def member(organisation: Organisation, role=Membership.Role.ADMIN, **fields):
    user = UserFactory(**fields)
    Membership.objects.create(user=user, organisation=organisation, role=role, status=Membership.Status.ACTIVE)
    return user


def open_call(
    *,
    actor=None,
    reference: str = "youth-2017",
    questions: bool = True,
    budget: bool = True,
    publish: bool = True,
    **fields,
) -> Call:
    """A published call open since yesterday for a week, with a long-text question, then a budget table (unless
    ``budget=False``), and two criteria."""
    actor = actor or officer()
    now = timezone.now()
    values = {
        "reference": reference,
        "title_en": "Youth outreach in the regions",
        "title_ru": "Работа с молодёжью в регионах",
        "budget_kzt": Decimal(10_000_000),
        "min_award_kzt": Decimal(500_000),
        "max_award_kzt": Decimal(3_000_000),
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=7),
        "require_verified": True,
        "min_years_registered": 1,
    }
    values.update(fields)
    call = services.save_call(actor=actor, **values)
    if questions:
        services.add_question(
            actor=actor,
            call=call,
            kind=Question.Kind.LONG_TEXT,
            label_en="How will you reach young people?",
            max_length=500,
        )
    if budget:
        services.add_question(actor=actor, call=call, kind=Question.Kind.BUDGET, label_en="Budget")
    services.add_criterion(actor=actor, call=call, name_en="Relevance", weight=60)
    services.add_criterion(actor=actor, call=call, name_en="Value for money", weight=40)
    if publish:
        call = services.transition_call(actor=actor, call=call, to=Call.Status.PUBLISHED)
    return call


def complete_draft(call: Call, organisation: Organisation, applicant, amount=Decimal(1_000_000)) -> Application:
    application = services.start_application(actor=applicant, call=call, organisation=organisation)
    answers = {str(question.pk): "Lectures in schools and colleges of the region." for question in call.questions.all()}
    services.save_draft(
        actor=applicant,
        application=application,
        title="Peace lectures for students",
        summary="Twenty lectures with theologians in the region's colleges.",
        answers=answers,
        budget=[
            services.BudgetRow("Lecturers' fees", amount - 200_000),
            services.BudgetRow("Travel", Decimal(200_000)),
        ],
    )
    return Application.objects.get(pk=application.pk)


def draft_with_file_question(officer_user) -> tuple[Application, object, Question]:
    """A complete draft to a call that also asks for a work plan file: (application, applicant, file question)."""
    call = open_call(actor=officer_user, publish=False)
    services.add_question(actor=officer_user, call=call, kind=Question.Kind.FILE, label_en="Work plan")
    call = services.transition_call(actor=officer_user, call=call, to=Call.Status.PUBLISHED)
    organisation = verified_organisation()
    applicant = member(organisation)
    application = complete_draft(call, organisation, applicant)
    return application, applicant, call.questions.get(kind=Question.Kind.FILE)


def submitted_application(call: Call | None = None, organisation=None, applicant=None, **kwargs) -> Application:
    call = call or open_call()
    organisation = organisation or verified_organisation()
    applicant = applicant or member(organisation)
    application = complete_draft(call, organisation, applicant, **kwargs)
    return services.submit_application(actor=applicant, application=application)


def reviewed_application(application: Application, actor, reviewers, scores=((8, 6), (7, 7))) -> Application:
    for person, values in zip(reviewers, scores[: len(reviewers)], strict=True):
        assignment = services.assign_reviewer(actor=actor, application=application, reviewer=person)
        criteria = list(application.call.criteria.all())
        services.submit_review(
            actor=person,
            assignment=assignment,
            scores={criterion.pk: (value, "") for criterion, value in zip(criteria, values, strict=True)},
        )
    return application


def two_reviews(application: Application, actor=None) -> Application:
    """The independent reviews an approval or a rejection waits for (services.MIN_REVIEWERS of them)."""
    return reviewed_application(application, actor or officer(), [reviewer(), reviewer()])


def approved_application(actor=None, amount=Decimal(1_000_000), **kwargs) -> Application:
    """A submitted application, reviewed by two reviewers, then approved."""
    actor = actor or officer()
    application = two_reviews(submitted_application(**kwargs), actor)
    return services.determine_application(
        actor=actor,
        application=application,
        decision=services.Determination.APPROVE,
        reason="Strong plan.",
        amount_kzt=amount,
    )


def signed_contract(actor=None, milestones: int = 2, status: str = Contract.Status.SIGNED, **kwargs) -> Contract:
    actor = actor or officer()
    application = approved_application(actor=actor, **kwargs)
    start = timezone.localdate()
    contract = services.create_contract(
        actor=actor, application=application, period_start=start, period_end=start + timedelta(days=300)
    )
    for number in range(milestones):
        services.add_milestone(
            actor=actor,
            contract=contract,
            title_en=f"Stage {number + 1}",
            deliverables_en="Ten lectures and a short report",
            due_date=start + timedelta(days=100 * (number + 1)),
            tranche_kzt=Decimal(300_000),
        )
    path = {
        Contract.Status.DRAFT: [],
        Contract.Status.SIGNED: [Contract.Status.SIGNED],
        Contract.Status.ACTIVE: [Contract.Status.SIGNED, Contract.Status.ACTIVE],
    }[status]
    for step in path:
        contract = services.transition_contract(actor=actor, contract=contract, to=step)
    return contract


def assignment_for(application, person, actor=None) -> ReviewAssignment:
    return services.assign_reviewer(actor=actor or officer(), application=application, reviewer=person)
