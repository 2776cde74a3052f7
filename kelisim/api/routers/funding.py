"""Funding: public calls and contracts, OCDS packages, and application submission for NGO systems.

Reading is public. Writing needs an account token of a member of the applicant organisation and goes
through the same services as the web form: a draft is saved as sent, then submitted if asked and
complete; refusals (deadline, eligibility, missing answers) answer 422 with the reasons.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kelisim.api.auth import token_auth
from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.api.types import Text
from kelisim.core.errors import Conflict
from kelisim.funding import ocds, rules, selectors, services
from kelisim.funding.models import Application, Call, Contract, Question
from kelisim.organisations.models import Organisation

router = Router(tags=["funding"])


class CriterionOut(Schema):
    id: int
    name_kk: str
    name_ru: str
    name_en: str
    weight: int = Field(description="Percent of the total score.")


class QuestionOut(Schema):
    id: int
    kind: str = Field(
        description="short_text, long_text, number, choice, date, file or budget (the budget table: its answer is "
        "the application's budget lines, not an entry in answers)."
    )
    label_kk: str
    label_ru: str
    label_en: str
    required: bool
    max_length: int | None
    choices: list[str]

    @staticmethod
    def resolve_choices(question) -> list[str]:
        return question.choice_list


class CallOut(Schema):
    reference: str
    title_kk: str
    title_ru: str
    title_en: str
    status: str
    phase: str = Field(description="upcoming, open, closed or cancelled.")
    budget_kzt: Decimal
    min_award_kzt: Decimal
    max_award_kzt: Decimal
    opens_at: datetime
    closes_at: datetime
    strands: list[str]

    @staticmethod
    def resolve_strands(call: Call) -> list[str]:
        return [strand.code for strand in call.strands.all()]


class CallDetailOut(CallOut):
    description_kk: str
    description_ru: str
    description_en: str
    require_verified: bool
    eligible_regions: list[str] = Field(description="Region codes; empty for the whole country.")
    min_years_registered: int
    scale_max: int
    plan_items: list[str] = Field(description="Public IDs of the plan items the call funds.")
    questions: list[QuestionOut]
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_eligible_regions(call: Call) -> list[str]:
        return [region.code for region in call.eligible_regions.all()]

    @staticmethod
    def resolve_plan_items(call: Call) -> list[str]:
        return [item.code for item in call.plan_items.all()]

    @staticmethod
    def resolve_questions(call: Call):
        return list(call.questions.all())

    @staticmethod
    def resolve_criteria(call: Call):
        return list(call.criteria.all())


class ContractOut(Schema):
    number: str
    ocid: str
    title: str = Field(description="The project's title in the language of the request, else in another.")
    title_kk: str
    title_ru: str
    title_en: str
    organisation_id: int
    organisation: str
    call: str = Field(description="Reference of the call.")
    amount_kzt: Decimal
    period_start: str
    period_end: str
    status: str
    version: int
    milestones: int
    milestones_accepted: int

    @staticmethod
    def resolve_ocid(contract: Contract) -> str:
        return ocds.ocid_for(contract)

    @staticmethod
    def resolve_title(contract: Contract) -> str:
        return contract.title

    @staticmethod
    def resolve_organisation_id(contract: Contract) -> int:
        return contract.application.organisation_id

    @staticmethod
    def resolve_organisation(contract: Contract) -> str:
        return contract.application.organisation.name

    @staticmethod
    def resolve_call(contract: Contract) -> str:
        return contract.application.call.reference

    @staticmethod
    def resolve_period_start(contract: Contract) -> str:
        return contract.period_start.isoformat()

    @staticmethod
    def resolve_period_end(contract: Contract) -> str:
        return contract.period_end.isoformat()

    @staticmethod
    def resolve_milestones(contract: Contract) -> int:
        return contract.milestone_count

    @staticmethod
    def resolve_milestones_accepted(contract: Contract) -> int:
        return contract.accepted_count


class BudgetLineIn(Schema):
    item: Text = Field(max_length=200)
    amount_kzt: Decimal = Field(ge=0, le=Decimal("9999999999999999"), decimal_places=0)


class ApplicationIn(Schema):
    organisation_id: int = Field(description="The applicant organisation; the token's account must be its member.")
    title: Text = Field("", max_length=300)
    summary: Text = Field("", max_length=2000)
    answers: dict[str, Text] = Field(
        default_factory=dict, description="Answers by question id (file questions: use the web form)."
    )
    budget: list[BudgetLineIn] = Field(default_factory=list, max_length=50)
    submit: bool = Field(False, description="Submit after saving; refused with the reasons if anything is missing.")


class ProblemOut(Schema):
    field: str
    message: str


class ApplicationOut(Schema):
    id: int
    call: str
    organisation_id: int
    status: str
    revision: int
    title: str
    budget_total_kzt: Decimal
    submitted_at: datetime | None
    problems: list[ProblemOut] = Field(description="What still stops submission (empty when complete).")

    @staticmethod
    def resolve_call(application: Application) -> str:
        return application.call.reference

    @staticmethod
    def resolve_budget_total_kzt(application: Application) -> Decimal:
        return application.budget_total

    @staticmethod
    def resolve_problems(application: Application) -> list[dict]:
        return [
            {"field": field, "message": str(message)}
            for field, messages in rules.application_problems(application).items()
            for message in messages
        ]


def _stream(chunks) -> StreamingHttpResponse:
    return StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")


@router.get(
    "/funding/calls",
    response={200: list[CallOut], 422: Error},
    summary="Published calls for proposals, newest first",
)
@paginate(Page)
def list_calls(request):
    return selectors.public_calls()


@router.get(
    "/funding/calls/{reference}",
    response={200: CallDetailOut, 404: Error, 422: Error},
    summary="One call with its questions",
)
def get_call(request, reference: Text):
    call = selectors.call_detail(reference, None)
    if call is None:
        raise Http404
    return call


@router.get(
    "/funding/contracts",
    response={200: list[ContractOut], 422: Error},
    summary="Public contracts (signed or later)",
)
@paginate(Page)
def list_contracts(request):
    return selectors.public_contracts()


@router.get(
    "/funding/contracts/{number}",
    response={200: ContractOut, 404: Error, 422: Error},
    summary="One public contract",
)
def get_contract(request, number: Text):
    contract = selectors.public_contracts().filter(number=number).first()
    if contract is None:
        raise Http404
    return contract


@router.get(
    "/funding/ocds/releases",
    response={200: None},
    summary="OCDS 1.1 release package of every public contract (streamed)",
    description="application/json, valid against the OCDS 1.1 release package schema.",
)
def ocds_releases(request):
    return _stream(ocds.release_package_stream(uri=request.build_absolute_uri()))


@router.get(
    "/funding/ocds/records",
    response={200: None},
    summary="OCDS 1.1 record package of every public contract (streamed)",
)
def ocds_records(request):
    return _stream(ocds.record_package_stream(uri=request.build_absolute_uri()))


@router.get(
    "/funding/contracts/{number}/ocds/release",
    response={200: None, 404: Error, 422: Error},
    summary="OCDS 1.1 release package of one contract",
)
def ocds_contract_release(request, number: Text):
    queryset = ocds.contract_queryset().filter(number=number)
    if not queryset.exists():
        raise Http404
    return _stream(ocds.release_package_stream(queryset, uri=request.build_absolute_uri()))


@router.get(
    "/funding/contracts/{number}/ocds/record",
    response={200: None, 404: Error, 422: Error},
    summary="OCDS 1.1 record package of one contract",
)
def ocds_contract_record(request, number: Text):
    queryset = ocds.contract_queryset().filter(number=number)
    if not queryset.exists():
        raise Http404
    return _stream(ocds.record_package_stream(queryset, uri=request.build_absolute_uri()))


@router.get(
    "/funding/applications",
    auth=token_auth,
    response={200: list[ApplicationOut], 401: Error, 422: Error},
    summary="The applications of the token account's organisations",
)
@paginate(Page)
def list_applications(request):
    return selectors.applications_for(request.auth).prefetch_related("budget_lines", "attachments", "call__questions")


@router.post(
    "/funding/calls/{reference}/applications",
    auth=token_auth,
    response={
        200: ApplicationOut,
        201: ApplicationOut,
        400: Error,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: Error,
    },
    summary="Save (and optionally submit) the organisation's application to a call",
    description="Creates the draft on first use (201), then updates it (200). With submit=true the saved draft is "
    "submitted; refusals answer 422 with the code deadline, not_open, ineligible or incomplete and the reasons. "
    "A submitted application answers 409 until an officer asks for changes.",
)
def save_application(request, reference: Text, payload: ApplicationIn):
    call = Call.objects.exclude(status=Call.Status.DRAFT).filter(reference=reference).first()
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if call is None or organisation is None:
        raise Http404
    if payload.budget and not call.questions.filter(kind=Question.Kind.BUDGET).exists():
        raise ValidationError({"budget": "This call asks for no budget table: send no budget lines."})
    existing = Application.objects.filter(call=call, organisation=organisation).first()
    application = existing or services.start_application(actor=request.auth, call=call, organisation=organisation)
    if not rules.is_applicant(request.auth, application):
        raise PermissionDenied("Only members of the organisation can apply on its behalf.")
    if not application.is_editable:
        raise Conflict("This application was submitted and is read-only.")
    services.save_draft(
        actor=request.auth,
        application=application,
        title=payload.title,
        summary=payload.summary,
        answers=payload.answers,
        budget=[services.BudgetRow(item=line.item, amount_kzt=line.amount_kzt) for line in payload.budget],
    )
    if payload.submit:
        # Refusals carry their code (deadline, not_open, ineligible, incomplete) for the API's handler.
        application = services.submit_application(actor=request.auth, application=application)
    application = Application.objects.select_related("call").prefetch_related("budget_lines").get(pk=application.pk)
    return Status(200 if existing else 201, application)
