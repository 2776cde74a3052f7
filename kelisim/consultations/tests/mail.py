"""Writing test emails and putting them in the test mailbox with IMAP APPEND (as a mail server delivers them)."""

import contextlib
import imaplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from hypothesis import strategies as st

INTAKE = "ideas@kelisim.test"
FOLDERS = ("INBOX", "Kelisim-Done", "Kelisim-Needs-Attention")


def compose(
    *,
    text: str | None = "Open a youth club in every district centre, with evening hours.",
    html: str | None = None,
    subject: str = "My suggestion",
    sender: str = "Aigerim <aigerim@example.kz>",
    to: str = INTAKE,
    charset: str = "utf-8",
    headers: dict | None = None,
    attachments: tuple = (),
    message_id: str | None = None,
) -> bytes:
    """An email as bytes. ``attachments`` are (name, bytes, declared MIME type)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.kz")
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text, charset=charset)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html", charset=charset)
        else:
            message.add_alternative(html, subtype="html", charset=charset)
    for name, content, declared in attachments:
        maintype, subtype = declared.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


WELL_FORMED = compose(
    text="Жастарға арналған үйірмелер әр ауданда ашылсын, кешкі уақытта да жұмыс істесін.",
    html="<p>Откройте молодёжные клубы в каждом районе.<script>alert(1)</script></p>",
    subject="Ұсыныс",
    charset="utf-8",
    attachments=[("скан.pdf", b"%PDF-1.4\n", "application/pdf")],
)
# Edits a mail server, a broken client or an attacker could make: bytes overwritten, cut, repeated elsewhere, and
# header lines with odd charsets, encoded words, NULs and raw 8-bit bytes put in front.
HEADER_LINES = st.sampled_from(
    [
        b"Content-Type: text/plain; charset=utf-7",
        b'Content-Type: text/plain; charset="utf-8\x00"',
        b"Content-Type: multipart/mixed; boundary=",
        b"Subject: =?punycode?Q?abc?=",
        b"Subject: =?utf-8?B?0YHQ\x00?=",
        b"From: \x00\xff <a@example.kz>",
        b"Content-Disposition: attachment; filename=\xd0\xb0\x00.exe",
        b"References: " + b"<a@b> " * 500,
    ]
)


@st.composite
def mutated_messages(draw):
    raw = WELL_FORMED
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["overwrite", "cut", "repeat", "header"]))
        at = draw(st.integers(0, len(raw) - 1))
        if kind == "overwrite":
            raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at + 8 :]
        elif kind == "cut":
            raw = raw[: max(at, 1)]
        elif kind == "repeat":
            start = draw(st.integers(0, len(raw) - 1))
            raw = raw[:at] + raw[start : start + draw(st.integers(1, 300))] + raw[at:]
        else:
            raw = draw(HEADER_LINES) + b"\r\n" + raw
    return raw


class Mailbox:
    def __init__(self, server: dict):
        context = ssl.create_default_context(cafile=server["ca_file"])
        self.connection = imaplib.IMAP4_SSL(server["host"], server["port"], ssl_context=context)
        self.connection.login(server["user"], server["password"])

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        kind, data = self.connection.append(f'"{folder}"', None, None, raw)
        assert kind == "OK", data

    def messages(self, folder: str) -> list[bytes]:
        kind, _data = self.connection.select(f'"{folder}"', readonly=True)
        if kind != "OK":
            return []
        found = []
        _kind, data = self.connection.uid("SEARCH", None, "ALL")
        for uid in data[0].split():
            _kind, fetched = self.connection.uid("FETCH", uid, "(BODY.PEEK[])")
            found += [item[1] for item in fetched if isinstance(item, tuple)]
        return found

    def count(self, folder: str) -> int:
        """How many messages ``folder`` holds now (a fresh SELECT: another session may have moved some)."""
        self.connection.noop()
        kind, data = self.connection.select(f'"{folder}"', readonly=True)
        return int(data[0] or 0) if kind == "OK" else 0

    def empty(self) -> None:
        for folder in FOLDERS:
            kind, data = self.connection.select(f'"{folder}"')
            if kind == "OK" and int(data[0] or 0):
                self.connection.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                self.connection.expunge()
        self.connection.select('"INBOX"')

    def close(self) -> None:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            self.connection.logout()
