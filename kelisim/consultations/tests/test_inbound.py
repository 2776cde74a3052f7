"""Reading emails as they really arrive: encodings, HTML, broken MIME, automatic messages."""

from hypothesis import given, settings

from kelisim.consultations import inbound
from kelisim.consultations.tests.mail import INTAKE, compose, mutated_messages

KAZAKH = "Жастарға арналған үйірмелер әр ауданда ашылсын, кешкі уақытта да жұмыс істесін."
RUSSIAN = "Откройте молодёжные клубы в каждом районном центре, с вечерними часами работы."


def test_plain_text_sender_recipient_and_subject_are_read():
    parsed = inbound.parse(compose(subject="Идея", sender="Aigerim <AIGERIM@Example.kz>", text=RUSSIAN))
    assert parsed.text == RUSSIAN
    assert parsed.sender == "aigerim@example.kz"
    assert parsed.recipients == [INTAKE]
    assert parsed.subject == "Идея"
    assert parsed.message_id.startswith("<") and parsed.automatic == ""


def test_koi8r_and_windows1251_bodies_and_encoded_subjects_read_as_cyrillic():
    for charset in ("koi8-r", "windows-1251"):
        raw = compose(text=RUSSIAN, subject=RUSSIAN[:30], charset=charset)
        assert charset.encode() in raw.lower()
        parsed = inbound.parse(raw)
        assert parsed.text == RUSSIAN and parsed.subject == RUSSIAN[:30]


def test_kazakh_letters_in_utf8_headers_and_body():
    parsed = inbound.parse(compose(text=KAZAKH, subject="Ұсыныс: үйірмелер", sender="Әлия <aliya@example.kz>"))
    assert parsed.text == KAZAKH and parsed.subject == "Ұсыныс: үйірмелер"


def test_raw_8bit_header_and_a_wrongly_labelled_body_are_still_read():
    raw = (
        "From: a@example.kz\r\nTo: ideas@kelisim.test\r\nSubject: Ұсыныс жастарға\r\nMessage-ID: <raw@x>\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + RUSSIAN.encode("windows-1251")
    parsed = inbound.parse(raw)
    assert parsed.subject == "Ұсыныс жастарға"
    assert parsed.text == RUSSIAN
    assert any("read as windows-1251" in note for note in parsed.notes)


def test_html_only_message_loses_its_scripts_and_tags():
    html = (
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
        '<p>Open youth clubs &amp; libraries</p><div onclick="steal()">in every district</div>'
        "<img src=x onerror=alert(1)><script>document.cookie</script></body></html>"
    )
    parsed = inbound.parse(compose(text=None, html=html))
    assert "alert" not in parsed.text and "<" not in parsed.text and "steal" not in parsed.text
    assert parsed.text == "Open youth clubs & libraries\nin every district"


def test_plain_part_is_preferred_over_html():
    parsed = inbound.parse(compose(text="Plain words win here.", html="<p>HTML words</p>"))
    assert parsed.text == "Plain words win here."


def test_attachments_are_collected_with_their_declared_type():
    parsed = inbound.parse(compose(attachments=[("plan.pdf", b"%PDF-1.4 test", "application/pdf")]))
    assert [(a.name, a.content, a.declared_type) for a in parsed.attachments] == [
        ("plan.pdf", b"%PDF-1.4 test", "application/pdf")
    ]


def test_malformed_mime_is_read_as_far_as_it_goes():
    raw = (
        b"From: a@example.kz\r\nTo: ideas@kelisim.test\r\nMessage-ID: <broken@x>\r\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n'
        b"--never-closed\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"T3BlbiB5b3V0aCBjbHVicyBpbiBldmVyeSB2aWxsYWdlLg=!!\r\n"
    )
    parsed = inbound.parse(raw)
    assert "Open youth clubs" in parsed.text
    assert parsed.notes


def test_no_headers_at_all_is_not_an_email():
    try:
        inbound.parse(b"\x00\x01 just bytes")
    except ValueError:
        return
    raise AssertionError("bytes without headers were read as an email")


def test_automatic_messages_are_recognised():
    cases = {
        "Auto-Submitted": ({"Auto-Submitted": "auto-replied"}, "Aigerim <a@example.kz>"),
        "X-Autoreply": ({"X-Autoreply": "yes"}, "a@example.kz"),
        "Precedence": ({"Precedence": "bulk"}, "a@example.kz"),
        "Return-Path": ({"Return-Path": "<>"}, "a@example.kz"),
        "MAILER-DAEMON": ({}, "Mail Delivery System <MAILER-DAEMON@mx.example.kz>"),
    }
    for expected, (headers, sender) in cases.items():
        reason = inbound.parse(compose(headers=headers, sender=sender)).automatic
        assert expected.lower() in reason.lower(), (expected, reason)
    assert inbound.parse(compose(headers={"Auto-Submitted": "no"})).automatic == ""
    report = compose().replace(b"Content-Type: text/plain", b"Content-Type: multipart/report; report-type=x", 1)
    assert "multipart/report" in inbound.parse(report).automatic


def test_replies_name_the_messages_they_answer_and_quotes_are_dropped():
    parsed = inbound.parse(
        compose(
            text="One more idea: sports too.\n\nOn Monday you wrote:\n> Thank you",
            headers={"In-Reply-To": "<ack-1@kelisim>", "References": "<orig@example.kz> <ack-1@kelisim>"},
        )
    )
    assert parsed.references == ["<ack-1@kelisim>", "<orig@example.kz>", "<ack-1@kelisim>"]
    assert inbound.without_quotes(parsed.text) == "One more idea: sports too."


def test_message_key_is_the_message_id_or_a_hash_of_the_header():
    assert inbound.message_key("<a@b>", b"anything") == "<a@b>"
    hashed = inbound.message_key("", b"Received: x\r\nDate: y\r\n")
    assert hashed.startswith("sha256:") and hashed != inbound.message_key("", b"Received: z\r\n")


def _raw(headers: str, body: bytes) -> bytes:
    return ("From: a@example.kz\r\nTo: ideas@kelisim.test\r\nMessage-ID: <odd@x>\r\n" + headers + "\r\n").encode(
        "utf-8", "surrogateescape"
    ) + body


def test_charsets_no_text_codec_can_read_fall_back_instead_of_failing_the_message():
    # A NUL inside the declared name, a codec that fails with its own error (punycode) and a bytes-to-bytes codec.
    for charset in ("utf-8\x00", "punycode", "base64", "x-no-such-charset"):
        parsed = inbound.parse(
            _raw(f'Content-Type: text/plain; charset="{charset}"\r\n', RUSSIAN.encode("windows-1251"))
        )
        assert parsed.text == RUSSIAN, charset


def test_a_disposition_header_in_raw_8bit_bytes_still_tells_an_attachment():
    raw = _raw(
        'Content-Type: multipart/mixed; boundary="b"\r\n',
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + KAZAKH.encode() + b"\r\n"
        b'--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="\xd0\xb0.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=\r\n--b--\r\n",
    )
    parsed = inbound.parse(raw)
    assert parsed.text == KAZAKH
    assert [(attachment.name, attachment.declared_type) for attachment in parsed.attachments] == [
        ("а.pdf", "application/pdf")
    ]


def test_nul_characters_and_lone_surrogates_never_reach_what_is_stored():
    raw = _raw(
        'Subject: =?utf-8?B?0YHQ\x00utCw?=\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
        b"--b\r\nContent-Type: text/plain; charset=utf-7\r\n\r\nIdea +2D0- here\r\n"
        b"--b\r\nContent-Type: appli\x00cation/pdf\r\n"
        b'Content-Disposition: attachment; filename="=?utf-8?B?0Y\x00?="\r\n'
        b"\r\n%PDF\r\n--b--\r\n",
    )
    parsed = inbound.parse(raw)
    attachment = parsed.attachments[0]
    for text in (parsed.subject, parsed.text, attachment.name, attachment.declared_type):
        assert "\x00" not in text
        text.encode("utf-8")  # PostgreSQL refuses NUL and text that is not valid UTF-8
    assert parsed.text.startswith("Idea") and parsed.text.endswith("here")


@settings(max_examples=300, deadline=None)
@given(raw=mutated_messages())
def test_a_damaged_message_is_read_as_far_as_it_goes_into_storable_text(raw):
    try:
        parsed = inbound.parse(raw)
    except ValueError as error:
        assert "no headers" in str(error)
        return
    fields = [parsed.message_id, parsed.sender, parsed.subject, parsed.text, *parsed.recipients, *parsed.references]
    fields += [text for attachment in parsed.attachments for text in (attachment.name, attachment.declared_type)]
    for text in fields:
        assert "\x00" not in text
        text.encode("utf-8")
