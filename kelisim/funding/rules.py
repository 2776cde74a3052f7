"""The rules of funding that both services and pages ask: who may see or do what, who is eligible, what
is missing from an application. Pure reads; writes live in services.py."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kelisim.accounts.models import Role, User
from kelisim.accounts.permissions import is_officer
from kelisim.core.text import normalise_text
from kelisim.funding.models import MIN_REVIEWERS, Application, Call, Question, ReviewAssignment
from kelisim.organisations.models import Membership, Organisation

# --- Who ------------------------------------------------------------------------------------------


def member_organisation_ids(user) -> set[int]:
    """Organisations where ``user`` is an active member or admin (both may apply on its behalf)."""
    if not user or not user.is_authenticated:
        return set()
    cached = getattr(user, "_funding_member_orgs", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values_list(
                "organisation_id", flat=True
            )
        )
        user._funding_member_orgs = cached
    return cached


def is_applicant(user, application: Application) -> bool:
    return application.organisation_id in member_organisation_ids(user)


def visible_assignment(user, application: Application) -> ReviewAssignment | None:
    """The reviewer's assignment on the application, unless they are (or were found) conflicted."""
    if not user or not user.is_authenticated:
        return None
    assignment = ReviewAssignment.objects.filter(application=application, reviewer=user).first()
    if assignment is None or assignment.status == ReviewAssignment.Status.CONFLICTED or assignment.automatic_conflict:
        return None
    if application.organisation_id in member_organisation_ids(user):
        return None  # joined the organisation after being assigned: conflicted all the same
    return assignment


def can_view_application(user, application: Application) -> bool:
    return is_officer(user) or is_applicant(user, application) or visible_assignment(user, application) is not None


def can_edit_application(user, application: Application) -> bool:
    return application.is_editable and is_applicant(user, application)


def assignable_reviewers(call: Call):
    """Who an officer may assign to the call's applications: active accounts with the reviewer role, and only
    those of the call's reviewer pool when it has one."""
    reviewers = User.objects.filter(role_grants__role=Role.REVIEWER, is_active=True)
    if call.reviewer_pool.exists():
        reviewers = reviewers.filter(pk__in=call.reviewer_pool.values("pk"))
    return reviewers.distinct().order_by("display_name", "email")


# --- Review before a decision ---------------------------------------------------------------------


def submitted_review_count(application: Application) -> int:
    """Reviews that count towards a decision: submitted and not flagged as conflicted."""
    return application.assignments.filter(status=ReviewAssignment.Status.SUBMITTED, automatic_conflict=False).count()


def reviews_missing(count: int) -> int:
    """How many more reviews an approval or a rejection waits for."""
    return max(0, MIN_REVIEWERS - count)


def reviews_progress(count: int) -> str:
    """“1 of 2 reviews in”, for officers."""
    return ngettext("%(count)d of %(needed)d review in", "%(count)d of %(needed)d reviews in", MIN_REVIEWERS) % {
        "count": count,
        "needed": MIN_REVIEWERS,
    }


def decision_waits_for_reviews(count: int) -> str:
    """Why approving or rejecting is refused for now, and what the officer can still do."""
    return ngettext(
        "An application is approved or rejected only after %(needed)d independent review is in; conflicted "
        "reviewers do not count. %(progress)s so far. You can ask the applicant for changes at any time.",
        "An application is approved or rejected only after %(needed)d independent reviews are in; conflicted "
        "reviewers do not count. %(progress)s so far. You can ask the applicant for changes at any time.",
        MIN_REVIEWERS,
    ) % {"needed": MIN_REVIEWERS, "progress": reviews_progress(count)}


# --- Eligibility ----------------------------------------------------------------------------------


def registered_on(organisation: Organisation) -> date | None:
    """The registration date, or the month the BIN records (its first four digits are YYMM)."""
    if organisation.registration_date:
        return organisation.registration_date
    digits = organisation.bin[:4]
    if len(digits) == 4 and digits.isdigit():
        year, month = int(digits[:2]), int(digits[2:])
        if 1 <= month <= 12:
            century = 2000 if year <= timezone.localdate().year % 100 else 1900
            return date(century + year, month, 1)
    return None


def years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def eligibility_problems(call: Call, organisation: Organisation, today: date | None = None) -> list[str]:
    """Every reason the organisation may not apply to the call, in words an applicant understands."""
    today = today or timezone.localdate()
    problems = []
    if organisation.kind != Organisation.Kind.NGO:
        problems.append(_("Calls fund non-governmental organisations: a government body cannot apply."))
    if organisation.verification_status == Organisation.Verification.EXCLUDED:
        problems.append(_("The organisation is excluded from the registry and cannot receive funding."))
    elif call.require_verified and not organisation.is_verified:
        problems.append(_("Only verified organisations may apply; ask an officer to verify yours first."))
    regions = list(call.eligible_regions.all())
    if regions and organisation.region_id not in {region.pk for region in regions}:
        problems.append(
            _("This call is for organisations from: %(regions)s.") % {"regions": ", ".join(str(r) for r in regions)}
        )
    if call.min_years_registered:
        registered = registered_on(organisation)
        if registered is None or years_between(registered, today) < call.min_years_registered:
            problems.append(
                ngettext(
                    "The organisation must have been registered for at least %(years)d year.",
                    "The organisation must have been registered for at least %(years)d years.",
                    call.min_years_registered,
                )
                % {"years": call.min_years_registered}
            )
    return problems


# --- Completeness ---------------------------------------------------------------------------------


def budget_question(questions) -> Question | None:
    """The call's budget table (at most one), or None: a call without one asks for no budget."""
    return next((question for question in questions if question.kind == Question.Kind.BUDGET), None)


def budget_problem(question: Question, call: Call, lines) -> str | None:
    """What is wrong with the budget lines: none when the table is required, or a total outside the award limits."""
    if not lines:
        return _("Add at least one budget line.") if question.required else None
    total = sum((line.amount_kzt for line in lines), Decimal(0))
    if call.min_award_kzt <= total <= call.max_award_kzt:
        return None
    return _("The budget total is %(total)s KZT; this call funds between %(min)s and %(max)s KZT.") % {
        "total": f"{total:,.0f}".replace(",", " "),
        "min": f"{call.min_award_kzt:,.0f}".replace(",", " "),
        "max": f"{call.max_award_kzt:,.0f}".replace(",", " "),
    }


def check_answer(question: Question, value, has_file: bool) -> str | None:
    """The problem with one answer, or None."""
    if question.kind == Question.Kind.FILE:
        return _("Attach a file.") if question.required and not has_file else None
    # Counted as the live counter in the browser counts: line breaks as one character, trimmed, by code point.
    text = normalise_text("" if value is None else str(value))
    if not text:
        return _("This answer is required.") if question.required else None
    if question.kind == Question.Kind.SHORT_TEXT and len(text) > 300:
        return _("At most 300 characters.")
    if question.kind == Question.Kind.LONG_TEXT and question.max_length and len(text) > question.max_length:
        return _("At most %(limit)d characters (now %(count)d).") % {"limit": question.max_length, "count": len(text)}
    if question.kind == Question.Kind.NUMBER:
        try:
            Decimal(text.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            return _("Enter a number.")
    if question.kind == Question.Kind.CHOICE and text not in question.choice_list:
        return _("Choose one of the options.")
    if question.kind == Question.Kind.DATE:
        try:
            date.fromisoformat(text)
        except ValueError:
            return _("Enter a date as YYYY-MM-DD.")
    return None


def application_problems(application: Application, questions=None, budget_lines=None, attachments=None) -> dict:
    """Field name (or "__all__") -> messages. Empty when the application may be submitted. The budget table's
    problems are under "budget"; a call without a budget question checks no budget."""
    questions = list(application.call.questions.all()) if questions is None else questions
    budget_lines = list(application.budget_lines.all()) if budget_lines is None else budget_lines
    attachments = list(application.attachments.all()) if attachments is None else attachments
    problems: dict[str, list[str]] = {}
    if not application.title.strip():
        problems.setdefault("title", []).append(_("Give the project a title."))
    if not application.summary.strip():
        problems.setdefault("summary", []).append(_("Describe the project in a few sentences."))
    files_for = {attachment.question_id for attachment in attachments}
    for question in questions:
        if question.kind == Question.Kind.BUDGET:
            message = budget_problem(question, application.call, budget_lines)
            if message:
                problems.setdefault("budget", []).append(message)
            continue
        message = check_answer(question, application.answers.get(str(question.pk)), question.pk in files_for)
        if message:
            problems.setdefault(question.field_name, []).append(message)
    return problems
