import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.consultations.models import Status
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import OutboxEmail
from kelisim.meetings import services
from kelisim.meetings.models import Decision, Registration, Roundtable
from kelisim.meetings.tests.factories import agenda_item, member, roundtable
from kelisim.meetings.text import render_minutes
from kelisim.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_scheduling_needs_an_officer_and_a_place_or_link():
    citizen = UserFactory()
    with pytest.raises(PermissionDenied):
        services.save_roundtable(actor=citizen, title_en="x")
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.save_roundtable(
            actor=None,
            title_en="No place",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            organiser="Office",
            capacity=5,
        )
    assert "place" in error.value.message_dict


def test_seats_then_waiting_list_then_promotion_on_cancellation():
    meeting = roundtable(capacity=2)
    people = [member() for _ in range(3)]
    registrations = [services.register(user=user, roundtable=meeting, organisation=org) for user, org in people]
    assert [r.status for r in registrations] == ["confirmed", "confirmed", "waiting"]
    meeting.refresh_from_db()
    assert meeting.seats_taken == 2

    services.cancel_registration(user=people[0][0], registration=registrations[0])
    registrations[2].refresh_from_db()
    meeting.refresh_from_db()
    assert registrations[2].status == Registration.Status.CONFIRMED
    assert meeting.seats_taken == 2
    assert OutboxEmail.objects.filter(to=people[2][0].email, topic="meetings.promoted").count() == 1


def test_promotion_email_links_to_the_page_in_the_participants_language():
    meeting = roundtable(capacity=1)
    first, second = member(), member()
    second[0].preferred_language = "kk"
    second[0].save()
    services.register(user=first[0], roundtable=meeting, organisation=first[1])
    waiting = services.register(user=second[0], roundtable=meeting, organisation=second[1])
    with translation.override("en"):  # whoever cancels works in English
        services.cancel_registration(user=first[0], registration=Registration.objects.get(user=first[0]))
    waiting.refresh_from_db()
    email = OutboxEmail.objects.get(to=second[0].email, topic="meetings.promoted")
    assert f"/kk/roundtables/{meeting.pk}/" in email.body_text
    assert "/en/" not in email.body_text


def test_no_double_registration_and_the_database_refuses_a_second_live_row():
    meeting = roundtable()
    user, organisation = member()
    services.register(user=user, roundtable=meeting, organisation=organisation)
    with pytest.raises(ValidationError):
        services.register(user=user, roundtable=meeting, organisation=organisation)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(roundtable=meeting, user=user, organisation=organisation, status="waiting")
    meeting.refresh_from_db()
    assert meeting.seats_taken == 1


def test_cancelled_person_may_register_again():
    meeting = roundtable()
    user, organisation = member()
    first = services.register(user=user, roundtable=meeting, organisation=organisation)
    services.cancel_registration(user=user, registration=first)
    again = services.register(user=user, roundtable=meeting, organisation=organisation)
    assert again.status == "confirmed"


def test_invitation_only_roundtable_refuses_members_of_other_organisations():
    invited = OrganisationFactory(verification_status="verified")
    meeting = roundtable(access=Roundtable.Access.INVITATION, invited=[invited])
    outsider, outsider_org = member()
    with pytest.raises(PermissionDenied):
        services.register(user=outsider, roundtable=meeting, organisation=outsider_org)
    insider, _ = member(invited)
    assert services.register(user=insider, roundtable=meeting, organisation=invited).status == "confirmed"


def test_someone_else_cannot_cancel_my_registration():
    meeting = roundtable()
    user, organisation = member()
    registration = services.register(user=user, roundtable=meeting, organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(user=UserFactory(), registration=registration)


def test_reminders_go_once_the_day_before_to_confirmed_participants():
    soon = roundtable(
        days=0, starts_at=timezone.now() + timedelta(hours=20), ends_at=timezone.now() + timedelta(hours=22)
    )
    later = roundtable(days=5)
    confirmed, organisation = member()
    services.register(user=confirmed, roundtable=soon, organisation=organisation)
    other, other_organisation = member()
    services.register(user=other, roundtable=later, organisation=other_organisation)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    reminder = OutboxEmail.objects.get(topic="meetings.reminder")
    assert reminder.to == confirmed.email
    assert soon.title in reminder.subject


def test_minutes_are_sanitised():
    html = render_minutes("## Decisions\n\n- one\n\n<script>alert(1)</script> [x](javascript:alert(1))")
    assert "<h2>Decisions</h2>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_attachments_are_typed_by_their_content_and_size_limited(settings):
    meeting = roundtable()
    pdf = services.add_attachment(
        actor=None, roundtable=meeting, title="Agenda", upload=SimpleUploadedFile("a.txt", b"%PDF-1.7 rest")
    )
    assert pdf.content_type == "application/pdf"
    docx = services.add_attachment(
        actor=None, roundtable=meeting, title="", upload=SimpleUploadedFile("m.bin", _docx())
    )
    assert docx.content_type.endswith("wordprocessingml.document")
    with pytest.raises(ValidationError):
        services.add_attachment(
            actor=None, roundtable=meeting, title="x", upload=SimpleUploadedFile("evil.pdf", b"MZ\x90\x00")
        )
    from kelisim.meetings import models

    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (models.MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(ValidationError):
        services.add_attachment(actor=None, roundtable=meeting, title="big", upload=big)


def test_closing_publishes_decisions_and_answers_suggestions():
    version = consultation_factories.open_version()
    author = UserFactory()
    declined = consultation_factories.suggestion(version, text="Ban all social networks at once.", author=author)
    deferred = consultation_factories.suggestion(version, text="Open more youth clubs in villages, please.")
    primary = consultation_factories.suggestion(version, text="Invite theologians into every prison.")
    duplicate = consultation_factories.suggestion(version, text="Bring theologians to prisons regularly.")
    meeting = roundtable()
    item = agenda_item(meeting, suggestions=[declined, deferred, duplicate])
    officer = make_staff()
    services.record_decision(
        actor=officer, agenda_item=item, kind="decline", text_en="Out of proportion.", suggestion=declined
    )
    services.record_decision(
        actor=officer, agenda_item=item, kind="defer", text_en="Next meeting.", suggestion=deferred
    )
    services.record_decision(
        actor=officer, agenda_item=item, kind="merge", text_en="Same idea.", suggestion=duplicate, merge_into=primary
    )
    with pytest.raises(ValidationError):
        services.close_roundtable(actor=officer, roundtable=meeting)  # no minutes yet
    services.save_minutes(actor=officer, roundtable=meeting, markdown="## Minutes\n\nWe met.")
    services.close_roundtable(actor=officer, roundtable=meeting)

    declined.refresh_from_db()
    deferred.refresh_from_db()
    duplicate.refresh_from_db()
    assert declined.status == Status.DECLINED and "Out of proportion." in declined.answer_text
    assert deferred.status == Status.UNDER_REVIEW
    assert duplicate.status == Status.MERGED and duplicate.merged_into == primary
    assert OutboxEmail.objects.filter(to=author.email, topic="consultations.answer").count() == 1
    assert Decision.objects.filter(roundtable=meeting, applied_at__isnull=False).count() == 3
    with pytest.raises(ValidationError):
        services.save_minutes(actor=officer, roundtable=meeting, markdown="changed later")
    assert meeting.history.first().history_change_reason


def test_a_decision_needs_the_suggestion_on_the_agenda_item():
    version = consultation_factories.open_version()
    elsewhere = consultation_factories.suggestion(version)
    meeting = roundtable()
    item = agenda_item(meeting)
    with pytest.raises(ValidationError):
        services.record_decision(actor=None, agenda_item=item, kind="decline", text_en="No.", suggestion=elsewhere)


def test_cancelling_the_roundtable_tells_registered_people():
    meeting = roundtable()
    user, organisation = member()
    services.register(user=user, roundtable=meeting, organisation=organisation)
    services.cancel_roundtable(actor=None, roundtable=meeting, reason="venue unavailable")
    assert OutboxEmail.objects.filter(to=user.email, topic="meetings.cancelled").exists()
    with pytest.raises(ValidationError):
        services.close_roundtable(actor=None, roundtable=meeting)
