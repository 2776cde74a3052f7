"""iCalendar (RFC 5545) text for roundtables, written by hand: a handful of properties, escaped and folded."""

from datetime import UTC, datetime

from django.conf import settings

PRODID = "-//Kelisim//Roundtables//EN"


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and one space (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(roundtable, url: str) -> list[str]:
    location = ", ".join(part for part in (roundtable.place, roundtable.online_url) if part)
    lines = [
        "BEGIN:VEVENT",
        f"UID:roundtable-{roundtable.pk}@{settings.SITE_URL.split('//')[-1].split('/')[0] or 'kelisim'}",
        f"DTSTAMP:{_utc(roundtable.created_at)}",
        f"DTSTART:{_utc(roundtable.starts_at)}",
        f"DTEND:{_utc(roundtable.ends_at)}",
        f"SUMMARY:{_escape(roundtable.title)}",
        f"DESCRIPTION:{_escape(roundtable.topic)}",
        f"URL:{url}",
        f"X-KELISIM-ORGANISER:{_escape(roundtable.organiser)}",
        f"STATUS:{'CANCELLED' if roundtable.status == 'cancelled' else 'CONFIRMED'}",
    ]
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    lines.append("END:VEVENT")
    return lines


def calendar(roundtables, url_for) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for roundtable in roundtables:
        lines.extend(event_lines(roundtable, url_for(roundtable)))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
