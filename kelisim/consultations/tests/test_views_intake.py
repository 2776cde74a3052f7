"""Officers give a consultation an intake address, the public sees it, officers deal with emails that need
attention and open the files that came by email."""

import pytest
from django.urls import reverse

from kelisim.consultations.models import DocumentVersion, InboundEmail
from kelisim.consultations.services.intake import receive_email
from kelisim.consultations.tests.mail import INTAKE, compose

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _window(version, **extra):
    return {
        "opens_at": "2017-02-10T09:00",
        "closes_at": "2030-03-10T18:00",
        "allow_anonymous": "on",
        "is_published": "on",
        **extra,
    }


def test_officer_sets_the_intake_address_and_the_public_page_shows_it(client, version, officer):
    client.force_login(officer)
    url = reverse("consultations:window", args=[version.document.slug, version.number])
    refused = client.post(url, _window(version, intake_address="not an address"))
    assert refused.status_code == 400
    client.post(url, _window(version, intake_address="Ideas@Kelisim.test"))
    version.refresh_from_db()
    assert version.intake_address == INTAKE
    client.logout()
    page = client.get(version.get_absolute_url()).content.decode()
    assert f'or send your suggestion by email to <a href="mailto:{INTAKE}">{INTAKE}</a>' in page


def test_two_consultations_open_at_the_same_time_cannot_share_an_address(client, version, officer):
    from kelisim.consultations.tests import factories

    other = factories.open_version(slug="other-draft")
    DocumentVersion.objects.filter(pk=other.pk).update(intake_address=INTAKE)
    client.force_login(officer)
    url = reverse("consultations:window", args=[version.document.slug, version.number])
    response = client.post(url, _window(version, intake_address=INTAKE))
    assert response.status_code == 400 and "takes email at this address" in response.content.decode()


def test_officer_lists_emails_needing_attention_and_marks_one_dealt_with(client, version, officer):
    stray = receive_email(key="<stray@x>", size=100, raw=compose(to="nobody@kelisim.test", subject="Lost idea"))
    client.force_login(officer)
    page = client.get(reverse("consultations:email_intake")).content.decode()
    assert "Lost idea" in page and "nobody@kelisim.test" in page and "aigerim@example.kz" in page
    work = client.get(reverse("worklists:home")).content.decode()
    assert "email to an intake address that needs attention" in work
    client.post(reverse("consultations:resolve_email", args=[stray.pk]))
    stray.refresh_from_db()
    assert stray.resolved_by == officer
    assert "Lost idea" not in client.get(reverse("consultations:email_intake")).content.decode()


def test_the_triage_page_shows_the_email_and_serves_its_attachment_to_officers_only(client, version, officer):
    DocumentVersion.objects.filter(pk=version.pk).update(intake_address=INTAKE)
    email = receive_email(key="<with-file@x>", size=100, raw=compose(attachments=[("plan.png", PNG, "image/png")]))
    attachment = email.attachments.get()
    url = reverse("consultations:email_attachment", args=[email.suggestion.reference, attachment.pk])
    assert client.get(url).status_code in (302, 403)
    client.force_login(officer)
    detail = client.get(reverse("consultations:triage_detail", args=[email.suggestion.reference])).content.decode()
    assert "Received by email (private)" in detail and url in detail
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    public = client.get(email.suggestion.get_absolute_url()).content.decode()
    assert "aigerim@example.kz" not in public
    assert InboundEmail.objects.count() == 1
