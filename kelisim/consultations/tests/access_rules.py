from django.utils import timezone

from kelisim.core.tests.access import EVERYONE, OFFICERS, Rule


def extend_world(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kelisim.consultations.services.suggestions import record_suggestion
    from kelisim.consultations.tests import factories

    world.consultation_version = factories.open_version(slug="world-draft")
    world.paragraph = world.consultation_version.paragraphs.first()
    world.suggestion = factories.suggestion(
        world.consultation_version, paragraph=world.paragraph, contact_email="visitor@world.test"
    )
    world.letter = record_suggestion(
        actor=world.users["officer"],
        version=world.consultation_version,
        channel="letter",
        text="By letter: hold the youth forum in the regional centre as well.",
        received_on=timezone.localdate(),
        contact_note="+7 700 000 00 00",
        scan=SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"),
    )
    from kelisim.consultations.models import DocumentVersion
    from kelisim.consultations.services.intake import receive_email
    from kelisim.consultations.tests.mail import INTAKE, compose

    DocumentVersion.objects.filter(pk=world.consultation_version.pk).update(intake_address=INTAKE)
    raw = compose(attachments=[("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")])
    world.emailed = receive_email(key="<world-email@example.kz>", size=len(raw), raw=raw)
    world.stray_email = receive_email(key="<world-stray@example.kz>", size=10, raw=compose(to="x@elsewhere.kz"))


def _suggestion(world):
    return {"reference": world.suggestion.reference}


def _version(world):
    return {"slug": "world-draft", "number": world.consultation_version.number}


def _answer(world):
    return {
        "action": "status",
        "status-status": "accepted",
        "status-answer": "Included in the plan.",
        "status-reason": "",
    }


def _window(world):
    return {
        "opens_at": "2017-02-10T09:00",
        "closes_at": "2030-03-10T18:00",
        "allow_anonymous": "on",
        "is_published": "on",
    }


ACCESS_RULES = [
    Rule("consultations:index", allowed=EVERYONE),
    Rule("consultations:list", allowed=EVERYONE),
    Rule("consultations:list", allowed=EVERYONE, query="q=young&status=received&sort=support", note="filtered"),
    Rule("consultations:export_csv", allowed=EVERYONE),
    Rule("consultations:export_json", allowed=EVERYONE),
    Rule("consultations:statistics", allowed=EVERYONE),
    Rule("consultations:suggestion", kwargs=_suggestion, allowed=EVERYONE),
    Rule("consultations:support", method="POST", kwargs=_suggestion, allowed=EVERYONE),
    # The private link is its own key: whoever holds it may read it.
    Rule("consultations:follow", kwargs=lambda world: {"token": world.suggestion.follow_token}, allowed=EVERYONE),
    Rule(
        "consultations:confirm_email", kwargs=lambda world: {"token": world.suggestion.contact_token}, allowed=EVERYONE
    ),
    Rule(
        "consultations:confirm_email",
        method="POST",
        kwargs=lambda world: {"token": world.suggestion.contact_token},
        allowed=EVERYONE,
    ),
    Rule("consultations:document", kwargs=lambda world: {"slug": "world-draft"}, allowed=EVERYONE),
    Rule("consultations:version", kwargs=_version, allowed=EVERYONE),
    Rule(
        "consultations:paragraph",
        kwargs=lambda world: {**_version(world), "key": world.paragraph.key},
        allowed=EVERYONE,
    ),
    Rule("consultations:suggest", kwargs=_version, allowed=EVERYONE),
    Rule(
        "consultations:suggest",
        method="POST",
        kwargs=_version,
        data=lambda world: {"text": "Open youth clubs in every district centre.", "paragraph": world.paragraph.key},
        allowed=EVERYONE,
    ),
    Rule("consultations:triage", allowed=OFFICERS),
    Rule(
        "consultations:triage",
        method="POST",
        data=lambda world: {"selected": [world.suggestion.reference], "action": "assign", "assignee": ""},
        allowed=OFFICERS,
        note="bulk assign",
    ),
    Rule("consultations:record", allowed=OFFICERS),
    Rule(
        "consultations:record",
        method="POST",
        data=lambda world: {
            "version": world.consultation_version.pk,
            "channel": "phone",
            "received_on": timezone.localdate().isoformat(),
            "text": "By phone: open a reading room for young people in every district centre.",
        },
        allowed=OFFICERS,
    ),
    # A letter's scan may show a name and a postal address.
    Rule("consultations:scan", kwargs=lambda world: {"reference": world.letter.reference}, allowed=OFFICERS),
    # Emails: the sender's address and the files they sent are private.
    Rule("consultations:email_intake", allowed=OFFICERS),
    Rule(
        "consultations:resolve_email",
        method="POST",
        kwargs=lambda world: {"pk": world.stray_email.pk},
        allowed=OFFICERS,
    ),
    Rule(
        "consultations:email_attachment",
        kwargs=lambda world: {
            "reference": world.emailed.suggestion.reference,
            "pk": world.emailed.attachments.get().pk,
        },
        allowed=OFFICERS,
    ),
    Rule("consultations:triage_detail", kwargs=_suggestion, allowed=OFFICERS),
    Rule(
        "consultations:triage_detail", method="POST", kwargs=_suggestion, data=_answer, allowed=OFFICERS, note="answer"
    ),
    Rule("consultations:import", kwargs=lambda world: {"slug": "world-draft"}, allowed=OFFICERS),
    Rule("consultations:window", kwargs=_version, allowed=OFFICERS),
    Rule("consultations:window", method="POST", kwargs=_version, data=_window, allowed=OFFICERS),
    Rule("api:list_documents", allowed=EVERYONE),
    Rule("api:get_document", kwargs=lambda world: {"slug": "world-draft"}, allowed=EVERYONE),
    Rule("api:list_suggestions", allowed=EVERYONE),
    Rule("api:get_suggestion", kwargs=_suggestion, allowed=EVERYONE),
    # The same address as the list: GET reads it; POST (JSON, anonymous or token) is covered in test_api.py.
    Rule("api:submit_suggestion", allowed=EVERYONE, note="(shared path, GET)"),
]
