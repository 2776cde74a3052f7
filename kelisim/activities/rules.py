"""Who may see or do what with activity reports: the rules services, views and the API all ask. Pure reads."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import is_officer, is_signed_in, require_officer
from kelisim.activities.models import ActivityReport, ReportStatus
from kelisim.organisations.models import Membership, Organisation

# The steps only programme officers take (the organisation's members take the others).
OFFICER_TARGETS = frozenset({ReportStatus.VERIFIED, ReportStatus.RETURNED})


def can_report_for(user, organisation: Organisation) -> bool:
    """Active members of the organisation (any NGO role) and programme officers."""
    if not is_signed_in(user):
        return False
    if user.is_officer:
        return True
    return Membership.objects.filter(user=user, organisation=organisation, status=Membership.Status.ACTIVE).exists()


def require_reporter(user, organisation: Organisation) -> None:
    if not can_report_for(user, organisation):
        raise PermissionDenied(_("Only this organisation's members and programme officers can report its activities."))


def can_see_report(user, report: ActivityReport) -> bool:
    return report.status == ReportStatus.VERIFIED or can_report_for(user, report.organisation)


def require_mover(user, report: ActivityReport, to: str) -> None:
    """Officers verify and return; the organisation's members submit (what may follow what is
    ``ActivityReport.WORKFLOW``)."""
    if to in OFFICER_TARGETS:
        require_officer(user)
    else:
        require_reporter(user, report.organisation)


def can_verify(user, report: ActivityReport) -> bool:
    return is_officer(user) and report.status == ReportStatus.SUBMITTED


def can_reopen(user, report: ActivityReport) -> bool:
    return is_officer(user) and report.status == ReportStatus.VERIFIED
