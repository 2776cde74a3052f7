"""Notifications: inbox rows, email as each person chose, the daily digest sent once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kelisim.accounts.tests.factories import UserFactory
from kelisim.core.models import OutboxEmail
from kelisim.notifications import registry, services
from kelisim.notifications.models import Digest, EmailChoice, Notification

pytestmark = pytest.mark.django_db

registry.register_kind(registry.Kind("tests.hello", lambda p: f"Hello {p['name']}"))


def _notify(person, **kwargs):
    return services.notify(recipients=[person], kind="tests.hello", params={"name": "Aigul"}, url="/en/", **kwargs)


def test_at_once_by_default_in_the_recipients_language():
    person = UserFactory(preferred_language="kk")
    (notification,) = _notify(person)
    assert notification.text == "Hello Aigul" and notification.emailed_at is not None
    message = OutboxEmail.objects.get(to=person.email)
    assert "Hello Aigul" in message.body_text
    assert "/kk/" in message.body_text  # the link opens in the language the email is written in


def test_off_keeps_it_in_the_inbox_only_and_daily_waits_for_the_digest():
    quiet, daily = UserFactory(), UserFactory()
    services.set_email_choice(actor=quiet, choice=EmailChoice.OFF)
    services.set_email_choice(actor=daily, choice=EmailChoice.DAILY)
    _notify(quiet)
    _notify(daily)
    assert not OutboxEmail.objects.exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_a_daily_digest_is_one_email_sent_once():
    person = UserFactory()
    services.set_email_choice(actor=person, choice=EmailChoice.DAILY)
    for _ in range(3):
        _notify(person)
    tomorrow = timezone.now() + timedelta(days=1)
    assert services.send_daily_digests(now=tomorrow) == 1
    assert services.send_daily_digests(now=tomorrow) == 0  # a second run (another worker) sends nothing
    digest = OutboxEmail.objects.get(to=person.email, topic="notifications.digest")
    assert digest.body_text.count("Hello Aigul") == 3
    assert Digest.objects.get().notification_count == 3
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # Today's notifications wait for tomorrow's digest.
    assert services.send_daily_digests() == 0


def test_nobody_else_can_mark_a_notification_read():
    person, other = UserFactory(), UserFactory()
    (notification,) = _notify(person)
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError, whatever its message
        services.mark_read(actor=other, notification=notification)
    services.mark_read(actor=person, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_email_false_leaves_it_out_of_every_email():
    person = UserFactory()
    _notify(person, email=False)
    assert not OutboxEmail.objects.exists()
    assert services.send_daily_digests(now=timezone.now() + timedelta(days=1)) == 0
