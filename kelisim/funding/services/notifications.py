"""The emails funding sends about an application: to its organisation's admins, and to the people concerned."""

from django.urls import reverse

from kelisim.core.i18n import in_each_language
from kelisim.core.services import queue_templated_email
from kelisim.funding.models import Application
from kelisim.notifications.services import notify
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
    """Tell the applicant organisation's admins (and ``extra_people``, e.g. who submitted), once each: a
    notification, and this email as each of them chose (at once, in the daily digest, or not)."""
    admins = Membership.objects.filter(
        organisation=application.organisation, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    ).select_related("user")
    people = [membership.user for membership in admins] + [person for person in extra_people if person is not None]
    notify(
        recipients=sorted(people, key=lambda person: person.email),
        kind="funding.application",
        params={
            "title": in_each_language(lambda: application.title or str(application.organisation)),
            "status": application.status,
        },
        url=reverse("funding:application_detail", args=[application.pk]),
        own_email=lambda person: email_about_application(
            application, to=person.email, language=person.preferred_language, template=template, topic=topic
        ),
    )
