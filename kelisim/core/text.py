"""The one normalisation of text that people type, used wherever a length limit is counted (forms, the API,
imports, the live counter's server side): what is counted is what is stored."""

import unicodedata

# Zero-width and soft-hyphen characters: invisible on screen, so they must not count or be stored.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def normalise_text(raw: str | None) -> str:
    """Unicode NFC, invisible and control characters removed (tab and line end kept), one kind of line end,
    trimmed. A browser sends CR LF for a line end; it counts as one character, as on screen."""
    text = unicodedata.normalize("NFC", raw or "").translate(INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(char for char in text if char in "\n\t" or unicodedata.category(char)[0] != "C")
    return text.strip()


def storable(text: str) -> str:
    """``text`` as every database can store it, changed no further: NUL characters dropped and lone surrogates
    (which some codecs, such as UTF-7, decode to) replaced. For text that is kept as received (an email's parts and
    headers); :func:`normalise_text` also does this, with everything else it does to what people type."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
