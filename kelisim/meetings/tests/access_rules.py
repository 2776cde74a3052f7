from django.core.files.uploadedfile import SimpleUploadedFile

from kelisim.core.tests.access import EVERYONE, OFFICERS, Rule, page_and_form


def extend_world(world):
    from kelisim.meetings import services
    from kelisim.meetings.tests.factories import agenda_item, roundtable

    world.roundtable = roundtable(capacity=5, invited=[world.organisation])
    services.save_minutes(actor=None, roundtable=world.roundtable, markdown="## Draft minutes")
    world.agenda_item = agenda_item(world.roundtable, suggestions=[world.suggestion])
    world.decision = services.record_decision(
        actor=None, agenda_item=world.agenda_item, kind="defer", text_en="Next time.", suggestion=world.suggestion
    )
    world.draft_attachment = services.add_attachment(
        actor=None, roundtable=world.roundtable, title="Draft", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    )
    services.register(user=world.users["ngo_member"], roundtable=world.roundtable, organisation=world.organisation)

    world.closed_roundtable = roundtable(title="Closed roundtable")
    world.closed_attachment = services.add_attachment(
        actor=None,
        roundtable=world.closed_roundtable,
        title="Minutes",
        upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4 y"),
    )
    services.save_minutes(actor=None, roundtable=world.closed_roundtable, markdown="We met.")
    services.close_roundtable(actor=None, roundtable=world.closed_roundtable)


def _open(world):
    return {"pk": world.roundtable.pk}


def _agenda_item(world):
    return {"pk": world.roundtable.pk, "item_id": world.agenda_item.pk}


def _decision(world):
    return {"pk": world.roundtable.pk, "decision_id": world.decision.pk}


def _closed_attachment(world):
    return {"pk": world.closed_roundtable.pk, "attachment_id": world.closed_attachment.pk}


def _draft_attachment(world):
    return {"pk": world.roundtable.pk, "attachment_id": world.draft_attachment.pk}


def _roundtable_data(world):
    return {
        "title_en": "Access roundtable",
        "topic": "",
        "starts_at": "2030-02-10T10:00",
        "ends_at": "2030-02-10T13:00",
        "place": "Astana",
        "online_url": "",
        "organiser": "Programme office",
        "capacity": "20",
        "access": "public",
    }


ACCESS_RULES = [
    Rule("meetings:list", allowed=EVERYONE),
    Rule("meetings:calendar", allowed=EVERYONE),
    *page_and_form("meetings:create", data=_roundtable_data, allowed=OFFICERS),
    Rule("meetings:detail", kwargs=_open, allowed=EVERYONE),
    Rule("meetings:detail", kwargs=lambda world: {"pk": world.closed_roundtable.pk}, allowed=EVERYONE, note="closed"),
    *page_and_form("meetings:edit", kwargs=_open, data=_roundtable_data, allowed=OFFICERS),
    Rule("meetings:ics", kwargs=_open, allowed=EVERYONE),
    # Only members of the invited organisation register on its behalf.
    Rule(
        "meetings:register",
        method="POST",
        kwargs=_open,
        data=lambda world: {"organisation": world.organisation.pk},
        allowed={"ngo_admin", "ngo_member"},
        note="a second try is answered with a message",
    ),
    Rule("meetings:cancel_registration", method="POST", kwargs=_open, allowed={"ngo_member"}),
    *page_and_form(
        "meetings:agenda",
        kwargs=_open,
        data=lambda world: {"starts_at": "11:00", "duration_minutes": "20", "title_en": "Prisons"},
        allowed=OFFICERS,
    ),
    Rule("meetings:decide", kwargs=_agenda_item, allowed=OFFICERS),
    Rule("meetings:withdraw_decision", method="POST", kwargs=_decision, allowed=OFFICERS),
    *page_and_form(
        "meetings:decision_texts",
        kwargs=_decision,
        data=lambda world: {"text_en": "Next time.", "text_ru": "В следующий раз."},
        allowed=OFFICERS,
    ),
    Rule("meetings:attendance", kwargs=_open, allowed=OFFICERS),
    Rule("meetings:minutes", kwargs=_open, allowed=OFFICERS),
    Rule(
        "meetings:upload_attachment",
        method="POST",
        kwargs=_open,
        data=lambda world: {"title": "Photo", "file": SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n0000")},
        allowed=OFFICERS,
    ),
    Rule("meetings:attachment", kwargs=_closed_attachment, allowed=EVERYONE),
    Rule("meetings:attachment", kwargs=_draft_attachment, allowed=OFFICERS, note="before the close"),
    Rule("meetings:close", kwargs=_open, allowed=OFFICERS),
    Rule("meetings:close", method="POST", kwargs=_open, allowed=OFFICERS),
]

# The API: public reading.
ACCESS_RULES += [
    Rule("api:list_roundtables", allowed=EVERYONE),
    Rule("api:get_roundtable", kwargs=lambda world: {"roundtable_id": world.closed_roundtable.pk}, allowed=EVERYONE),
]
