"""Reading the intake mailbox over IMAP (the standard library's ``imaplib``; IMAPS unless configured otherwise).

One run takes at most ``EMAIL_INTAKE_BATCH`` messages from the inbox, in chunks: first each message's size and
header (cheap), then the whole message only when it is under ``EMAIL_INTAKE_MAX_BYTES``. Each message is
recorded by ``services.intake.receive_email`` (once, under its Message-ID) and only then moved: to the done
folder, or to the "needs attention" folder. Nothing is ever deleted. A crash between the two leaves the message
in the inbox, and the next run finds its row and only moves it. An error on one message is logged and the
message kept for officers; an error with the server ends the run (the next one starts again).
"""

import contextlib
import imaplib
import logging
import re
import ssl
import time
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from kelisim.consultations import inbound
from kelisim.consultations.models import InboundEmail
from kelisim.consultations.services import intake

logger = logging.getLogger(__name__)
FETCH_CHUNK = 50
SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
UID = re.compile(rb"UID (\d+)")


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    security: str  # ssl, starttls or none
    user: str
    password: str
    inbox: str
    done_folder: str
    attention_folder: str
    max_bytes: int
    batch: int
    ca_file: str
    timeout: int

    @classmethod
    def from_django(cls) -> "Settings":
        return cls(
            host=settings.EMAIL_INTAKE_HOST,
            port=settings.EMAIL_INTAKE_PORT,
            security=settings.EMAIL_INTAKE_SECURITY,
            user=settings.EMAIL_INTAKE_USER,
            password=settings.EMAIL_INTAKE_PASSWORD,
            inbox=settings.EMAIL_INTAKE_INBOX,
            done_folder=settings.EMAIL_INTAKE_DONE_FOLDER,
            attention_folder=settings.EMAIL_INTAKE_ATTENTION_FOLDER,
            max_bytes=settings.EMAIL_INTAKE_MAX_BYTES,
            batch=settings.EMAIL_INTAKE_BATCH,
            ca_file=settings.EMAIL_INTAKE_CA_FILE,
            timeout=settings.EMAIL_INTAKE_TIMEOUT,
        )


def quoted(name: str) -> str:
    """A mailbox name as an IMAP quoted string (imaplib sends arguments as they are)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connect(config: Settings) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=config.ca_file or None)
    if config.security == "ssl":
        connection = imaplib.IMAP4_SSL(config.host, config.port, ssl_context=context, timeout=config.timeout)
    else:
        connection = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
        if config.security == "starttls":
            connection.starttls(ssl_context=context)
    connection.login(config.user, config.password)
    # The capabilities after login (MOVE, UIDPLUS) may differ from the greeting's, which imaplib keeps.
    kind, data = connection.capability()
    if kind == "OK" and data and data[0]:
        connection.capabilities = tuple(data[0].decode("ascii", "replace").upper().split())
    return connection


def _check(response, what: str):
    kind, data = response
    if kind != "OK":
        raise imaplib.IMAP4.error(f"{what}: {kind} {data!r}")
    return data


def _ensure_folders(connection: imaplib.IMAP4, config: Settings) -> None:
    for folder in (config.done_folder, config.attention_folder):
        kind, _data = connection.create(quoted(folder))  # NO when it exists already
        if kind == "OK":
            logger.info("Intake mailbox: created folder %s", folder)


def _move(connection: imaplib.IMAP4, uid: bytes, folder: str) -> None:
    if "MOVE" in connection.capabilities:
        _check(connection.uid("MOVE", uid, quoted(folder)), f"move {uid!r}")
        return
    _check(connection.uid("COPY", uid, quoted(folder)), f"copy {uid!r}")
    _check(connection.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"), f"flag {uid!r}")
    if "UIDPLUS" in connection.capabilities:
        _check(connection.uid("EXPUNGE", uid), f"expunge {uid!r}")
    else:
        _check(connection.expunge(), "expunge")


def _headers(connection: imaplib.IMAP4, uids: list[bytes]) -> dict[bytes, tuple[int, bytes]]:
    """{uid: (size, header bytes)} for a chunk of messages, in one FETCH."""
    data = _check(connection.uid("FETCH", b",".join(uids), "(RFC822.SIZE BODY.PEEK[HEADER])"), "fetch headers")
    found = {}
    for item in data:
        if not isinstance(item, tuple):
            continue
        envelope, header = item
        uid, size = UID.search(envelope), SIZE.search(envelope)
        if uid and size:
            found[uid.group(1)] = (int(size.group(1)), header or b"")
    return found


def _body(connection: imaplib.IMAP4, uid: bytes) -> bytes:
    data = _check(connection.uid("FETCH", uid, "(BODY.PEEK[])"), f"fetch {uid!r}")
    return next((item[1] for item in data if isinstance(item, tuple)), b"")


def _folder(config: Settings, email: InboundEmail) -> str:
    return config.attention_folder if email.outcome == InboundEmail.Outcome.ATTENTION else config.done_folder


def _process(connection: imaplib.IMAP4, config: Settings, uid: bytes, size: int, header: bytes) -> str:
    key = inbound.message_key(inbound.header_message_id(header), header)
    try:
        email = intake.existing(key)
        if email is None and size > config.max_bytes:
            email = intake.receive_email(
                key=key,
                size=size,
                refusal=_("The message is %(size)d MB, larger than the %(limit)d MB accepted: it was not read.")
                % {"size": -(-size // (1024 * 1024)), "limit": config.max_bytes // (1024 * 1024)},
            )
        elif email is None:
            email = intake.receive_email(key=key, size=size, raw=_body(connection, uid))
    except imaplib.IMAP4.abort:
        raise
    except Exception as error:  # a bug met by one message must not stop the others
        logger.exception("Intake message %s could not be processed", key[:80])
        try:
            email = intake.record_failure(key=key, size=size, reason=f"{type(error).__name__}: {error}")
        except Exception:  # the database itself failed: leave the message in the inbox for the next run
            logger.exception("Intake message %s left in the inbox", key[:80])
            return "error"
    _move(connection, uid, _folder(config, email))
    return email.outcome


def read_mailbox(config: Settings | None = None) -> Counter:
    """One run over the inbox. Returns how many messages ended in each outcome ("error" when the run failed)."""
    config = config or Settings.from_django()
    counts: Counter = Counter()
    if not config.host:
        return counts
    started = time.monotonic()
    try:
        connection = connect(config)
    except (OSError, imaplib.IMAP4.error) as error:
        logger.error("Intake mailbox %s:%s unreachable: %s", config.host, config.port, error)
        counts["error"] += 1
        return counts
    try:
        _ensure_folders(connection, config)
        _check(connection.select(quoted(config.inbox)), "select inbox")
        uids = _check(connection.uid("SEARCH", None, "UNDELETED"), "search")[0].split()
        waiting = len(uids)
        uids = uids[: config.batch]
        for start in range(0, len(uids), FETCH_CHUNK):
            chunk = uids[start : start + FETCH_CHUNK]
            for uid, (size, header) in _headers(connection, chunk).items():
                counts[_process(connection, config, uid, size, header)] += 1
            logger.info(
                "Intake mailbox: %d of %d messages done (%d waiting in all), %.1f s",
                start + len(chunk),
                len(uids),
                waiting,
                time.monotonic() - started,
            )
    except (OSError, imaplib.IMAP4.error) as error:
        logger.error("Intake mailbox run stopped after %d messages: %s", sum(counts.values()), error)
        counts["error"] += 1
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            connection.logout()
    return counts
