"""Contracts of approved applications: drafting, milestones, status, amendments, and milestone reports."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.consultations.text import detect_language
from kelisim.core.i18n import require_one_language
from kelisim.core.workflow import record_history, transition
from kelisim.funding import rules
from kelisim.funding.files import check_upload
from kelisim.funding.models import (
    Application,
    Call,
    Contract,
    ContractAmendment,
    Milestone,
    MilestoneReport,
    ReportEvidence,
)
from kelisim.funding.services.saving import save_unique


def next_contract_number(call: Call) -> str:
    year = timezone.localtime(call.opens_at).year
    count = Contract.objects.filter(application__call=call).count() + 1
    while True:
        number = f"KLS-{year}-{call.pk:03d}-{count:03d}"
        if not Contract.objects.filter(number=number).exists():
            return number
        count += 1


@transaction.atomic
def create_contract(
    *, actor, application: Application, period_start: date, period_end: date, number: str = "", plan_items=None
) -> Contract:
    """The contract of an approved application, for the approved amount, linked to the call's plan items."""
    require_officer(actor)
    if application.status != Application.Status.APPROVED:
        raise ValidationError(_("Only an approved application becomes a contract."))
    if Contract.objects.filter(application=application).exists():
        raise ValidationError(_("This application already has a contract."))
    if period_end < period_start:
        raise ValidationError({"period_end": _("The contract must end after it starts.")})
    # The organisation wrote its application in one language; the officer adds the others (translate_contract).
    language = detect_language(f"{application.title} {application.summary}")
    contract = Contract(
        application=application,
        **{f"title_{language}": application.title, f"summary_{language}": application.summary},
        number=number.strip() or next_contract_number(application.call),
        amount_kzt=application.approved_amount_kzt,
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    record_history(contract, actor=actor, reason="contract drafted")
    save_unique(contract, {"number": _("Another contract already has this number.")})
    contract.plan_items.set(plan_items if plan_items is not None else application.call.plan_items.all())
    return contract


@transaction.atomic
def translate_contract(
    *,
    actor,
    contract: Contract,
    title_kk: str,
    title_ru: str,
    title_en: str,
    summary_kk: str,
    summary_ru: str,
    summary_en: str,
) -> Contract:
    """Give the contract's public title and summary in the languages they lack (or correct one). The wording does
    not change what was agreed, so a signed contract takes it without an amendment."""
    require_officer(actor)
    texts = {
        "title_kk": title_kk.strip(),
        "title_ru": title_ru.strip(),
        "title_en": title_en.strip(),
        "summary_kk": summary_kk.strip(),
        "summary_ru": summary_ru.strip(),
        "summary_en": summary_en.strip(),
    }
    require_one_language(texts, "title", _("A contract needs the project's title in one language at least."))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    for name, value in texts.items():
        setattr(contract, name, value)
    contract.updated_at = timezone.now()
    record_history(contract, actor=actor, reason="wording translated")
    contract.save()
    return contract


def _milestone_texts(**given: str) -> dict:
    texts = {name: value.strip() for name, value in given.items()}
    for base in ("title", "deliverables"):
        require_one_language(texts, base, _("A milestone needs a title and its deliverables."))
    return texts


@transaction.atomic
def translate_milestone(
    *,
    actor,
    milestone: Milestone,
    title_kk: str,
    title_ru: str,
    title_en: str,
    deliverables_kk: str,
    deliverables_ru: str,
    deliverables_en: str,
) -> Milestone:
    """Give a milestone's title and deliverables in the languages they lack (or correct one): what is due, when
    and for how much does not change, so a signed contract takes it without an amendment."""
    require_officer(actor)
    texts = _milestone_texts(
        title_kk=title_kk,
        title_ru=title_ru,
        title_en=title_en,
        deliverables_kk=deliverables_kk,
        deliverables_ru=deliverables_ru,
        deliverables_en=deliverables_en,
    )
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    for name, value in texts.items():
        setattr(milestone, name, value)
    record_history(milestone, actor=actor, reason="wording translated")
    milestone.save()
    return milestone


@transaction.atomic
def add_milestone(
    *,
    actor,
    contract: Contract,
    due_date: date,
    tranche_kzt: Decimal = Decimal(0),
    title_kk: str = "",
    title_ru: str = "",
    title_en: str = "",
    deliverables_kk: str = "",
    deliverables_ru: str = "",
    deliverables_en: str = "",
) -> Milestone:
    """The title and the deliverables are each given in one language at least (``title_kk``, ``title_ru``…)."""
    require_officer(actor)
    if contract.status in (Contract.Status.COMPLETED, Contract.Status.TERMINATED):
        raise ValidationError(_("A closed contract takes no new milestones."))
    texts = _milestone_texts(
        title_kk=title_kk,
        title_ru=title_ru,
        title_en=title_en,
        deliverables_kk=deliverables_kk,
        deliverables_ru=deliverables_ru,
        deliverables_en=deliverables_en,
    )
    tranches = sum(contract.milestones.values_list("tranche_kzt", flat=True))
    if tranches + tranche_kzt > contract.amount_kzt:
        raise ValidationError({"tranche_kzt": _("The tranches would add up to more than the contract amount.")})
    if not contract.period_start <= due_date <= contract.period_end:
        raise ValidationError({"due_date": _("The due date must fall within the contract period.")})
    milestone = Milestone(
        contract=contract,
        **texts,
        due_date=due_date,
        tranche_kzt=tranche_kzt,
        position=contract.milestones.count() + 1,
    )
    record_history(milestone, actor=actor, reason="milestone added")
    milestone.save()
    return milestone


@transaction.atomic
def transition_contract(
    *, actor, contract: Contract, to: str, reason: str = "", signed_on: date | None = None
) -> Contract:
    """Sign (with at least one milestone), start, complete, suspend or terminate (these two with a reason)."""
    require_officer(actor)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if to in (Contract.Status.SUSPENDED, Contract.Status.TERMINATED) and not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    if to == Contract.Status.SIGNED and not contract.milestones.exists():
        raise ValidationError(_("Add at least one milestone before signing."))
    transition(contract, to=to, actor=actor, reason=reason.strip())
    if to == Contract.Status.SIGNED:
        contract.signed_on = signed_on or timezone.localdate()
    contract.updated_at = timezone.now()
    contract.save()
    return contract


AMENDABLE_FIELDS = ("amount_kzt", "period_end")


@transaction.atomic
def amend_contract(*, actor, contract: Contract, reason: str, **changes) -> ContractAmendment:
    """A new version of the contract with the reason; the amendment keeps the before and after values."""
    require_officer(actor)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status in (Contract.Status.DRAFT, Contract.Status.COMPLETED, Contract.Status.TERMINATED):
        raise ValidationError(_("Only a signed, active or suspended contract is amended (edit a draft directly)."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contract is amended.")})
    recorded = {}
    for field, value in changes.items():
        if field not in AMENDABLE_FIELDS:
            raise TypeError(f"{field} cannot be amended")
        if value is not None and value != getattr(contract, field):
            recorded[field] = {"from": str(getattr(contract, field)), "to": str(value)}
            setattr(contract, field, value)
    if not recorded:
        raise ValidationError(_("Nothing changes in this amendment."))
    if contract.period_end < contract.period_start:
        raise ValidationError({"period_end": _("The contract must end after it starts.")})
    if contract.amount_kzt <= 0:
        raise ValidationError({"amount_kzt": _("The amount must be positive.")})
    contract.version += 1
    contract.updated_at = timezone.now()
    record_history(contract, actor=actor, reason=f"amendment v{contract.version}: {reason.strip()}")
    contract.save()
    return ContractAmendment.objects.create(
        contract=contract, version=contract.version, reason=reason.strip(), changes=recorded, created_by=actor
    )


@transaction.atomic
def submit_milestone_report(*, actor, milestone: Milestone, narrative: str, files=()) -> MilestoneReport:
    milestone = Milestone.objects.select_for_update().select_related("contract__application").get(pk=milestone.pk)
    contract = milestone.contract
    if not rules.is_applicant(actor, contract.application):
        raise PermissionDenied(_("Only members of the contracted organisation report on its milestones."))
    if contract.status not in (Contract.Status.SIGNED, Contract.Status.ACTIVE):
        raise ValidationError(_("Reports are taken while the contract is signed or active."))
    if not narrative.strip():
        raise ValidationError({"narrative": _("Describe what was done.")})
    checked = [(uploaded, check_upload(uploaded)) for uploaded in files]
    transition(milestone, to=Milestone.Status.REPORTED, actor=actor, reason="report submitted")
    milestone.save()
    report = MilestoneReport(milestone=milestone, narrative=narrative.strip(), submitted_by=actor)
    record_history(report, actor=actor, reason="submitted")
    report.save()
    for uploaded, content_type in checked:
        ReportEvidence.objects.create(
            report=report,
            file=uploaded,
            original_name=uploaded.name[-255:],
            content_type=content_type,
            size=uploaded.size,
        )
    return report


@transaction.atomic
def decide_milestone_report(*, actor, report: MilestoneReport, accept: bool, note: str = "") -> MilestoneReport:
    require_officer(actor)
    report = MilestoneReport.objects.select_for_update().select_related("milestone").get(pk=report.pk)
    if report.decision != MilestoneReport.Decision.WAITING:
        raise ValidationError(_("This report was already decided."))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say what is missing, so the organisation can complete it.")})
    milestone = report.milestone
    target = Milestone.Status.ACCEPTED if accept else Milestone.Status.RETURNED
    transition(milestone, to=target, actor=actor, reason="report accepted" if accept else "report returned")
    if accept:
        milestone.accepted_at = timezone.now()
    milestone.save()
    report.decision = MilestoneReport.Decision.ACCEPTED if accept else MilestoneReport.Decision.RETURNED
    report.decision_note = note.strip()
    report.decided_by = actor
    report.decided_at = timezone.now()
    record_history(report, actor=actor, reason=report.decision)
    report.save()
    return report
