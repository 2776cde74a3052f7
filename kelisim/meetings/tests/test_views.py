import pytest
from django.urls import reverse

from kelisim.accounts.tests.factories import make_staff, sign_in
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import OutboxEmail
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.meetings import services
from kelisim.meetings.models import AgendaItem, Attendance, Decision, Registration, Roundtable
from kelisim.meetings.tests.factories import agenda_item, member, roundtable

pytestmark = pytest.mark.django_db


def test_list_and_detail_show_almaty_time_and_calendar_links(client):
    meeting = roundtable(title="Youth and the internet")
    response = client.get(reverse("meetings:list"))
    assert "Youth and the internet" in response.text
    detail = client.get(meeting.get_absolute_url())
    assert "Astana time" in detail.text
    local = meeting.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Almaty"))
    assert local.strftime("%H:%M") in detail.text
    assert reverse("meetings:ics", args=[meeting.pk]) in detail.text


def test_ics_is_valid_icalendar(client):
    meeting = roundtable(title="A title, with; specials")
    body = client.get(reverse("meetings:ics", args=[meeting.pk])).content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "SUMMARY:A title\\, with\\; specials" in body
    assert f"UID:roundtable-{meeting.pk}@" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    feed = client.get(reverse("meetings:calendar"))
    assert feed["Content-Type"].startswith("text/calendar")


def test_member_registers_then_cancels_through_the_page(client):
    meeting = roundtable(capacity=1)
    user, organisation = member()
    sign_in(client, user)
    page = client.get(meeting.get_absolute_url())
    assert organisation.name in page.text
    response = client.post(reverse("meetings:register", args=[meeting.pk]), {"organisation": organisation.pk})
    assert response.status_code == 302
    assert Registration.objects.get(user=user).status == "confirmed"
    assert "You have a seat" in client.get(meeting.get_absolute_url()).text
    client.post(reverse("meetings:cancel_registration", args=[meeting.pk]))
    assert Registration.objects.get(user=user).status == "cancelled"


def test_a_rejected_roundtable_form_keeps_what_was_typed(client):
    sign_in(client, make_staff())
    response = client.post(
        reverse("meetings:create"),
        {
            "title_en": "Kept title",
            "starts_at": "2030-02-10T10:00",
            "ends_at": "2030-02-10T09:00",
            "place": "Astana",
            "organiser": "Office",
            "capacity": "10",
            "access": "public",
        },
    )
    assert response.status_code == 200
    assert 'value="Kept title"' in response.text
    assert "must end after it starts" in response.text
    assert not Roundtable.objects.exists()


def test_officer_records_attendance_and_closes(client):
    officer = make_staff()
    sign_in(client, officer)
    meeting = roundtable()
    user, organisation = member()
    services.register(user=user, roundtable=meeting, organisation=organisation)
    client.post(reverse("meetings:attendance", args=[meeting.pk]), {f"org_{organisation.pk}": "4"})
    assert Attendance.objects.get(roundtable=meeting).people == 4
    client.post(reverse("meetings:minutes", args=[meeting.pk]), {"minutes": "## Minutes\n\n<script>x</script>Agreed."})
    response = client.post(reverse("meetings:close", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Roundtable.Status.CLOSED
    client.logout()
    public = client.get(meeting.get_absolute_url()).text
    assert "Agreed." in public and "<script>x" not in public


def test_decisions_stay_private_until_the_close(client):
    version = consultation_factories.open_version()
    suggestion = consultation_factories.suggestion(version)
    meeting = roundtable()
    item = agenda_item(meeting, suggestions=[suggestion])
    services.record_decision(
        actor=None, agenda_item=item, kind="decline", text_en="Secret reason", suggestion=suggestion
    )
    assert "Secret reason" not in client.get(meeting.get_absolute_url()).text
    services.save_minutes(actor=None, roundtable=meeting, markdown="Done.")
    services.close_roundtable(actor=None, roundtable=meeting)
    assert "Secret reason" in client.get(meeting.get_absolute_url()).text


def test_attachment_with_a_wrong_type_is_refused_with_a_message(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, make_staff())
    meeting = roundtable()
    response = client.post(
        reverse("meetings:upload_attachment", args=[meeting.pk]),
        {"title": "Script", "file": SimpleUploadedFile("x.pdf", b"#!/bin/sh\n")},
    )
    assert response.status_code == 400
    assert "x.pdf is not one of the accepted kinds (PDF, DOCX, XLSX, PNG, JPEG, GIF, WebP)" in response.text


def test_list_page_queries_do_not_grow(client):
    roundtable()
    assert_queries_do_not_grow(
        client, reverse("meetings:list"), add_data=lambda: [roundtable() for _ in range(5)], limit=8
    )


def test_detail_page_queries_do_not_grow(client):
    version = consultation_factories.open_version()
    meeting = roundtable()
    services.save_minutes(actor=None, roundtable=meeting, markdown="Minutes.")
    services.close_roundtable(actor=None, roundtable=meeting)

    def add(count=4):
        for number in range(count):
            item = AgendaItem.objects.create(roundtable=meeting, starts_at="10:00", title_en=f"Item {number}")
            suggestion = consultation_factories.suggestion(version)
            item.suggestions.add(suggestion)
            Decision.objects.create(
                roundtable=meeting, agenda_item=item, suggestion=suggestion, kind="defer", text_en="Later"
            )
            Attendance.objects.create(roundtable=meeting, organisation=member()[1], people=3)

    add(1)  # so that every prefetch has rows from the start
    count = assert_queries_do_not_grow(client, meeting.get_absolute_url(), add_data=add, limit=15)
    print(f"roundtable detail: {count} queries")


def test_reminder_command(capsys):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    meeting = roundtable(starts_at=timezone.now() + timedelta(hours=5), ends_at=timezone.now() + timedelta(hours=6))
    user, organisation = member()
    services.register(user=user, roundtable=meeting, organisation=organisation)
    call_command("send_roundtable_reminders")
    assert "1 reminders queued" in capsys.readouterr().out
    assert OutboxEmail.objects.filter(topic="meetings.reminder").count() == 1


def test_pages_speak_kazakh_and_russian(client):
    meeting = roundtable()
    assert "Круглые столы" in client.get("/ru/roundtables/").text
    assert "Астана уақыты" in client.get(f"/kk/roundtables/{meeting.pk}/").text
    assert "Іс-шаралар жоспары" in client.get("/kk/plan/").text
