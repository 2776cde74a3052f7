"""Text helpers without database access: language detection, Markdown splitting, character n-gram vectors."""

import math
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field

from kelisim.core.text import normalise_text

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def detect_language(text: str) -> str:
    """kk, ru or en from the script: Kazakh-specific letters mean Kazakh, other Cyrillic Russian, Latin English."""
    cyrillic = latin = kazakh = 0
    for char in text:
        if char in KAZAKH_LETTERS:
            kazakh += 1
            cyrillic += 1
        elif "\u0400" <= char <= "\u04ff":
            cyrillic += 1
        elif char.isascii() and char.isalpha():
            latin += 1
    if cyrillic >= latin and cyrillic:
        # One stray letter may be a typo; two or more, or a high share, is Kazakh text.
        return "kk" if kazakh >= 2 or (kazakh and kazakh * 40 >= cyrillic) else "ru"
    return "en"


# --- Markdown: headings become sections, blocks become paragraphs ---------------------------------

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
EXPLICIT_KEY = re.compile(r"\s*\{#([a-z]-[0-9a-f]{4,16})\}\s*$")


@dataclass
class ParsedParagraph:
    text: str
    key: str = ""


@dataclass
class ParsedSection:
    heading: str
    level: int
    key: str = ""
    paragraphs: list[ParsedParagraph] = field(default_factory=list)


def _split_key(text: str) -> tuple[str, str]:
    match = EXPLICIT_KEY.search(text)
    if match:
        return text[: match.start()].strip(), match.group(1)
    return text.strip(), ""


def parse_markdown(source: str) -> list[ParsedSection]:
    """Split a Markdown document. Text before the first heading goes into a section without heading.

    Each list item is its own paragraph (action plan measures are lists); ``{#p-1a2b3c4d}`` at the end
    of a heading or paragraph keeps an explicit stable ID.
    """
    sections: list[ParsedSection] = []
    current: ParsedSection | None = None
    block: list[str] = []

    def flush() -> None:
        nonlocal current
        if not block:
            return
        text = " ".join(line.strip() for line in block).strip()
        block.clear()
        if not text:
            return
        if current is None:
            current = ParsedSection(heading="", level=0)
            sections.append(current)
        text, key = _split_key(text)
        current.paragraphs.append(ParsedParagraph(text=text, key=key))

    for line in normalise_text(source).split("\n"):
        heading = HEADING.match(line)
        if heading:
            flush()
            text, key = _split_key(heading.group(2))
            current = ParsedSection(heading=text, level=len(heading.group(1)), key=key)
            sections.append(current)
        elif not line.strip():
            flush()
        elif LIST_ITEM.match(line):
            flush()
            block.append(LIST_ITEM.sub("", line, count=1))
        else:
            block.append(line)
    flush()
    return sections


# --- Character n-gram TF-IDF, shared by Kazakh, Russian and English ---------------------------------

# Kazakh letters folded to their nearest Russian ones, so that kk and ru spellings of a word share grams.
FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
GRAM_SIZE = 3


def gram_id(gram: str) -> int:
    return zlib.crc32(gram.encode()) & 0x7FFFFFFF


def grams(text: str) -> Counter:
    """Counts of character trigrams within words (padded with spaces), as stable integer IDs."""
    folded = unicodedata.normalize("NFC", text).lower().translate(FOLD)
    counts: Counter = Counter()
    for word in NON_WORD.sub(" ", folded).split():
        if len(word) < 2:
            continue
        padded = f" {word} "
        for start in range(len(padded) - GRAM_SIZE + 1):
            counts[gram_id(padded[start : start + GRAM_SIZE])] += 1
    return counts


def idf(document_frequency: int, total: int) -> float:
    return math.log((total + 1) / (document_frequency + 1)) + 1.0


def tfidf_vector(counts: Counter, frequencies: dict[int, int], total: int) -> dict[int, float]:
    weights = {gram: (1.0 + math.log(count)) * idf(frequencies.get(gram, 0), total) for gram, count in counts.items()}
    norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
    return {gram: weight / norm for gram, weight in weights.items()}


def cosine(left: dict, right: dict) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(weight * right.get(gram, 0.0) for gram, weight in left.items())


# --- Why two suggestions were matched ------------------------------------------------------------------

STEM_LENGTH = 5
WORD = re.compile(r"\w{4,}", re.UNICODE)


def _stem(word: str) -> str:
    """A crude stem shared by Kazakh, Russian and English: the folded word's first letters (endings differ
    between forms of one word in all three languages, beginnings mostly do not)."""
    return word.lower().translate(FOLD)[:STEM_LENGTH]


def shared_terms(left: str, right: str, limit: int = 8) -> list[str]:
    """Words of ``left`` whose stem also occurs in ``right`` (numbers and names included), in their order."""
    right_stems = {_stem(word) for word in WORD.findall(unicodedata.normalize("NFC", right))}
    seen, terms = set(), []
    for word in WORD.findall(unicodedata.normalize("NFC", left)):
        stem = _stem(word)
        if stem in right_stems and stem not in seen:
            seen.add(stem)
            terms.append(word.lower())
            if len(terms) == limit:
                break
    return terms
