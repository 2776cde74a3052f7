"""The emails funding sends about an application: to its organisation's admins, and to the people concerned."""

from kelisim.core.services import queue_templated_email
from kelisim.funding.models import Application
from kelisim.organisations.models import Membership


def organisation_recipients(organisation) -> dict[str, str]:
    """The organisation's active admins: email -> preferred language."""
    admins = Membership.objects.filter(
        organisation=organisation, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    ).select_related("user")
    return {membership.user.email: membership.user.preferred_language for membership in admins}


def email_about_application(application: Application, *, to: str, language: str, template: str, topic: str, **extra):
    queue_templated_email(
        to=to,
        template=template,
        context={
            "application": application,
            "call": application.call,
            "organisation": application.organisation,
            **extra,
        },
        language=language,
        topic=topic,
    )


def notify_organisation(application: Application, template: str, topic: str, extra_people=()) -> None:
    """Email the applicant organisation's admins (and ``extra_people``, e.g. who submitted), once each."""
    recipients = organisation_recipients(application.organisation)
    for person in extra_people:
        if person is not None:
            recipients[person.email] = person.preferred_language
    for email, language in sorted(recipients.items()):
        email_about_application(application, to=email, language=language, template=template, topic=topic)
