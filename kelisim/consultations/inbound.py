"""One email read into what the intake needs: who sent it, to which address, its text, its files, and whether
it is an automatic message. No database, no network: ``services.intake`` decides what becomes of it.

Mail arrives in any state. The parser is Python's ``compat32`` one, which never raises on a header: every
header and body part is then decoded here with its declared charset (KOI8-R, Windows-1251, UTF-8…), and,
when the charset is missing, unknown or wrong, with UTF-8 and then Windows-1251 (the usual one in Kazakhstan),
so that a badly labelled letter still reads as text. Whatever had to be guessed is listed in ``notes``.
"""

import codecs
import email
import hashlib
import html
import re
from dataclasses import dataclass, field
from email import policy
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from kelisim.core.text import storable

# Read the recipients from every header a mail server may leave the envelope's address in.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
FALLBACK_CHARSETS = ("utf-8", "windows-1251")
MAX_ATTACHMENTS = 10
MESSAGE_ID = re.compile(r"<[^<>\s]{1,900}>")
BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/\s*(?:p|div|li|tr|h[1-6]|blockquote|table|ul|ol))\s*>", re.IGNORECASE)
AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster")
RAW_FILENAME = re.compile(r'filename\s*=\s*"?([^";]+)', re.IGNORECASE)


@dataclass
class Attachment:
    name: str
    content: bytes
    declared_type: str
    too_many: bool = False  # beyond MAX_ATTACHMENTS: named, not kept


@dataclass
class ParsedEmail:
    message_id: str
    sender: str  # "" when the From address is missing or not an address
    recipients: list[str]
    subject: str
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    automatic: str = ""  # why this is an automatic message (auto-reply, bounce), "" for a person's
    notes: list[str] = field(default_factory=list)  # what was guessed or left out, in plain English (for the log)


def decode_bytes(payload: bytes, charset: str | None, notes: list[str] | None = None) -> str:
    """Text from bytes in the declared charset, else UTF-8, else Windows-1251; never raises."""
    tried = []
    if charset:
        try:
            codecs.lookup(charset)
            tried.append(charset)
        except (LookupError, ValueError):  # ValueError: a NUL inside the declared name
            if notes is not None:
                notes.append(f"unknown charset {charset[:40]!r}")
    for candidate in (*tried, *FALLBACK_CHARSETS):
        try:
            text = payload.decode(candidate)
        except (ValueError, LookupError):  # UnicodeError of any codec (punycode, idna); not a text codec
            continue
        if candidate not in tried and tried and notes is not None:
            notes.append(f"text was not {tried[0]}, read as {candidate}")
        return storable(text)
    if notes is not None:
        notes.append("undecodable bytes replaced")
    return storable(payload.decode("utf-8", errors="replace"))


def decode_header_value(raw) -> str:
    """A header as text: RFC 2047 encoded words decoded, raw 8-bit bytes read as UTF-8 or Windows-1251."""
    if raw is None:
        return ""
    if isinstance(raw, Header):
        # compat32 hands 8-bit header bytes over as a Header in "unknown-8bit": decode them as a body's.
        parts = decode_header(raw)
        text = "".join(
            decode_bytes(value, None if charset in (None, "unknown-8bit") else charset)
            if isinstance(value, bytes)
            else value
            for value, charset in parts
        )
        return " ".join(storable(text).split())
    raw = str(raw)
    # compat32 keeps 8-bit header bytes as surrogate escapes; get the bytes back to decode them properly.
    if any("\udc80" <= char <= "\udcff" for char in raw):
        raw = decode_bytes(raw.encode("ascii", "surrogateescape"), None)
    try:
        parts = decode_header(raw)
    except Exception:  # a malformed encoded word: keep the header as it is written
        return " ".join(storable(raw).split())
    text = "".join(decode_bytes(value, charset) if isinstance(value, bytes) else value for value, charset in parts)
    return " ".join(storable(text).split())


def html_to_text(markup: str) -> str:
    """The words of an HTML body: scripts, styles and every tag removed by nh3, entities decoded, blocks on
    their own lines. The result is plain text and is always escaped where it is shown."""
    markup = BLOCK_END.sub("\n", markup)
    cleaned = nh3.clean(markup, tags=set(), clean_content_tags={"script", "style", "head", "title"})
    return html.unescape(cleaned)


def tidy_text(text: str) -> str:
    """Line endings unified, trailing spaces and runs of blank lines removed."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return tidy.replace("\x00", "")


def without_quotes(text: str) -> str:
    """A reply without the quoted message below it (lines starting with '>' and the 'wrote:' line)."""
    kept = [line for line in text.split("\n") if not line.lstrip().startswith(">")]
    while kept and (not kept[-1].strip() or kept[-1].rstrip().endswith(":")):
        kept.pop()
    return "\n".join(kept).strip()


def valid_address(raw: str) -> str:
    address = (raw or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def message_key(message_id: str, header_bytes: bytes) -> str:
    """What identifies a message for good: its Message-ID, or a hash of its header when it has none (the
    header holds the Received lines and the date, so two different messages do not share it)."""
    if message_id and len(message_id) <= 255:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode() if message_id else header_bytes).hexdigest()


def header_message_id(header_bytes: bytes) -> str:
    message = email.message_from_bytes(header_bytes, policy=policy.compat32)
    return _message_id(message)


def _message_id(message: Message) -> str:
    found = MESSAGE_ID.search(decode_header_value(message.get("Message-ID")))
    return found.group(0) if found else ""


def automatic_reason(message: Message, sender_header: str) -> str:
    """Why this message was sent by a machine (an auto-reply, a bounce, a list), or ""."""
    auto_submitted = decode_header_value(message.get("Auto-Submitted")).lower()
    if auto_submitted and auto_submitted != "no":
        return f"automatic message (Auto-Submitted: {auto_submitted[:40]})"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autorespond-Type"):
        if message.get(name) is not None:
            return f"automatic reply ({name})"
    precedence = decode_header_value(message.get("Precedence")).lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"bulk or list message (Precedence: {precedence})"
    if message.get_content_type() == "multipart/report":
        return "delivery report (multipart/report)"
    return_path = message.get("Return-Path")
    if return_path is not None and str(return_path).strip() in ("<>", ""):
        return "null sender (Return-Path: <>)"
    local_part = parseaddr(sender_header)[1].split("@", 1)[0].lower()
    if local_part in AUTOMATIC_SENDERS:
        return f"bounce from {local_part.upper()}"
    return ""


def _is_attachment(part: Message) -> bool:
    disposition = decode_header_value(part.get("Content-Disposition")).split(";", 1)[0].strip().lower()
    return disposition == "attachment" or bool(part.get_filename()) or part.get_content_maintype() not in ("text",)


def _filename(part: Message) -> str:
    name = decode_header_value(part.get_filename())
    if "\ufffd" in name:
        # Written in raw 8-bit bytes rather than encoded: the decoded header reads them as UTF-8 or Windows-1251.
        found = RAW_FILENAME.search(decode_header_value(part.get("Content-Disposition")))
        name = found.group(1).strip() if found else name
    return name[:255] or "attachment"


def _part_text(part: Message, notes: list[str]) -> str:
    try:
        payload = part.get_payload(decode=True) or b""
    except Exception as error:
        notes.append(f"a text part could not be decoded: {error}")
        return ""
    text = decode_bytes(payload, part.get_content_charset(), notes)
    return html_to_text(text) if part.get_content_type() == "text/html" else text


def parse(raw: bytes) -> ParsedEmail:
    """``raw`` (the message as fetched) read into a ParsedEmail. Raises ValueError only when the bytes are no
    email at all (no header a message must have)."""
    message = email.message_from_bytes(raw, policy=policy.compat32)
    if not message.keys():
        raise ValueError("no headers: not an email message")
    notes = [f"MIME defect: {type(defect).__name__}" for defect in message.defects][:5]
    sender_header = decode_header_value(message.get("From"))
    recipients = []
    for name in RECIPIENT_HEADERS:
        values = [decode_header_value(value) for value in message.get_all(name, [])]
        recipients += [address for _name, raw in getaddresses(values) if (address := valid_address(raw))]
    references = MESSAGE_ID.findall(
        " ".join(decode_header_value(message.get(name)) for name in ("In-Reply-To", "References"))
    )
    plain, markup, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        if _is_attachment(part):
            name = _filename(part)
            content = part.get_payload(decode=True) or b""
            too_many = len(attachments) >= MAX_ATTACHMENTS
            declared = storable(part.get_content_type())[:100]
            attachments.append(Attachment(name, b"" if too_many else content, declared, too_many))
        elif part.get_content_type() == "text/html":
            markup.append(_part_text(part, notes))
        else:
            plain.append(_part_text(part, notes))
    text = tidy_text("\n\n".join(plain))
    if not text and markup:
        text = tidy_text("\n\n".join(markup))
    return ParsedEmail(
        message_id=_message_id(message),
        sender=valid_address(parseaddr(sender_header)[1]),
        recipients=list(dict.fromkeys(recipients)),
        subject=decode_header_value(message.get("Subject"))[:300],
        text=text,
        attachments=attachments,
        references=references,
        automatic=automatic_reason(message, sender_header),
        notes=notes,
    )
