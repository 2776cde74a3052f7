"""The intake against a real IMAP server (Dovecot over IMAPS, started by the tests): each message processed
once, moved to its folder, nothing lost whatever arrives."""

import logging
from email.utils import make_msgid

import pytest

from kelisim.consultations import mailbox
from kelisim.consultations.models import Channel, DocumentVersion, InboundEmail, Suggestion
from kelisim.consultations.tasks import read_intake_mailbox
from kelisim.consultations.tests.mail import INTAKE, compose
from kelisim.core.models import OutboxEmail

pytestmark = pytest.mark.django_db(transaction=False)
DONE, ATTENTION = "Kelisim-Done", "Kelisim-Needs-Attention"


@pytest.fixture
def version(version):
    DocumentVersion.objects.filter(pk=version.pk).update(intake_address=INTAKE)
    version.refresh_from_db()
    return version


def test_an_email_in_the_mailbox_becomes_a_suggestion_and_is_moved_to_done(version, intake_mailbox):
    intake_mailbox.append(compose(subject="Клубы", text="Откройте молодёжные клубы в каждом районном центре."))
    result = read_intake_mailbox.enqueue().return_value
    assert result == {"suggestion": 1}
    suggestion = Suggestion.objects.get()
    assert suggestion.channel == Channel.EMAIL and suggestion.status == "received"
    assert suggestion.contact_email == "aigerim@example.kz"
    assert suggestion.reference in OutboxEmail.objects.get(to="aigerim@example.kz").subject
    assert intake_mailbox.count("INBOX") == 0 and intake_mailbox.count(DONE) == 1


def test_a_crash_between_recording_and_moving_never_duplicates(version, intake_mailbox, monkeypatch):
    intake_mailbox.append(compose())

    def crash(*args, **kwargs):
        raise OSError("connection lost after the commit")

    monkeypatch.setattr(mailbox, "_move", crash)
    assert mailbox.read_mailbox() == {"error": 1}
    assert Suggestion.objects.count() == 1 and intake_mailbox.count("INBOX") == 1
    monkeypatch.undo()
    assert mailbox.read_mailbox() == {"suggestion": 1}
    assert Suggestion.objects.count() == 1 and OutboxEmail.objects.count() == 1
    assert intake_mailbox.count("INBOX") == 0 and intake_mailbox.count(DONE) == 1


def test_bad_input_is_sorted_with_a_reason_and_nothing_is_lost(version, intake_mailbox, settings, caplog):
    settings.EMAIL_INTAKE_MAX_BYTES = 200_000
    messages = {
        "oversized": compose(attachments=[("big.pdf", b"%PDF-" + b"0" * 300_000, "application/pdf")]),
        "unknown address": compose(to="nobody@kelisim.test"),
        "auto-reply": compose(headers={"Auto-Submitted": "auto-replied"}),
        "bounce": compose(sender="MAILER-DAEMON@mx.example.kz").replace(
            b"Content-Type: text/plain", b"Content-Type: multipart/report; report-type=delivery-status", 1
        ),
        "koi8-r": compose(text="Откройте клубы для молодёжи в сёлах.", charset="koi8-r"),
        "windows-1251": compose(text="Спортивные секции для подростков бесплатно.", charset="windows-1251"),
        "kazakh": compose(text="Жастарға арналған үйірмелер әр ауылда ашылсын.", subject="Ұсыныс"),
        "html with scripts": compose(text=None, html="<p>Reading rooms for teenagers</p><script>alert(1)</script>"),
        "lying attachment": compose(attachments=[("photo.jpg", b"<html><script>x</script></html>", "image/jpeg")]),
        "malformed": (
            b"From: m@example.kz\r\nTo: " + INTAKE.encode() + b"\r\nMessage-ID: " + make_msgid().encode() + b"\r\n"
            b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\nTW9yZSBjbHVicyBmb3IgeW91bmcgcGVvcGxlLg=!\r\n"
        ),
    }
    for raw in messages.values():
        intake_mailbox.append(raw)
    with caplog.at_level(logging.INFO, logger="kelisim.consultations"):
        result = read_intake_mailbox.enqueue().return_value
    assert result == {"suggestion": 6, "ignored": 2, "attention": 2}
    assert intake_mailbox.count("INBOX") == 0
    assert intake_mailbox.count(DONE) == 8 and intake_mailbox.count(ATTENTION) == 2
    attention = {email.reason.split(" ")[0] for email in InboundEmail.objects.filter(outcome="attention")}
    assert attention == {"The", "No"}  # larger than the limit; no consultation at that address
    texts = set(Suggestion.objects.values_list("text", flat=True))
    assert {"Откройте клубы для молодёжи в сёлах.", "Спортивные секции для подростков бесплатно."} <= texts
    assert "Жастарға арналған үйірмелер әр ауылда ашылсын." in texts
    assert "Reading rooms for teenagers" in texts and "More clubs for young people." in texts
    lying = InboundEmail.objects.get(attachments__original_name="photo.jpg")
    assert lying.outcome == "suggestion" and "photo.jpg" in lying.reason
    assert "larger than" in caplog.text and "Intake mailbox: 10 of 10 messages done" in caplog.text


def test_thousands_of_messages_are_taken_in_batches(version, intake_mailbox, settings):
    settings.EMAIL_INTAKE_BATCH = 120
    for number in range(150):
        intake_mailbox.append(compose(sender="auto@example.kz", headers={"Precedence": "bulk"}, subject=str(number)))
    assert read_intake_mailbox.enqueue().return_value == {"ignored": 120}
    assert intake_mailbox.count("INBOX") == 30
    assert read_intake_mailbox.enqueue().return_value == {"ignored": 30}
    assert InboundEmail.objects.count() == 150 and intake_mailbox.count(DONE) == 150


def test_an_unreachable_server_is_logged_not_raised(settings, caplog):
    settings.EMAIL_INTAKE_HOST, settings.EMAIL_INTAKE_PORT = "127.0.0.1", 18419
    assert mailbox.read_mailbox() == {"error": 1}
    assert "unreachable" in caplog.text


def test_without_a_host_nothing_is_read(settings):
    settings.EMAIL_INTAKE_HOST = ""
    assert mailbox.read_mailbox() == {}
