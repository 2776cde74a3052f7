"""The moderation pipeline: each stage looks at a comment about to be written and either lets it
through, holds it for a moderator (pre-moderation) or refuses it. Every outcome has a reason code.

Stages, in order: length -> sanitising -> word lists -> author trust -> links -> rate limits.
A refusal stops the pipeline; the first hold reason is kept, later stages still run (a held
comment must still respect links and rate limits).

The stages are plain functions so that each can be tested alone; ``services.post_comment`` runs
them and writes the result.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.permissions import is_moderator, is_officer
from kelisim.comments.models import MAX_COMMENT_LENGTH, AuthorSanction, Comment, ReasonCode, WordRule
from kelisim.core import errors, locks, ratelimit
from kelisim.core.text import normalise_text

ACCOUNT_PER_MINUTE = 5
VISITOR_PER_MINUTE = 2
DUPLICATE_WINDOW = timedelta(hours=6)
MAX_LINKS = 2
# An author is trusted (post-moderated) after this many published comments.
TRUSTED_AFTER = 3

ACCEPT, HOLD, REFUSE = "accept", "hold", "refuse"

HTML_TAG = re.compile(r"</?[a-zA-Z!?][^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:kz|ru|com|org|net|info|me|io|xyz|top)\b(?:/\S*)?", re.I)

MESSAGES = {
    ReasonCode.EMPTY: _("Write a comment first."),
    ReasonCode.TOO_LONG: _("A comment may have at most 1500 characters; this one has %(count)d."),
    ReasonCode.HTML: _("HTML is not allowed in comments. Please write plain text."),
    ReasonCode.BANNED_WORD: _("Your comment contains words that our comment policy does not allow."),
    ReasonCode.TOO_MANY_LINKS: _("A comment may contain at most two links."),
    ReasonCode.RATE_LIMITED: _("You are writing comments too fast. Please wait a minute and try again."),
    ReasonCode.DUPLICATE: _("You already sent this text in the last six hours."),
    ReasonCode.AUTHOR_SANCTIONED: _("You cannot write comments at the moment."),
    ReasonCode.COMMENTS_CLOSED: _("Comments are closed here."),
}


class Refused(errors.Refused):
    """A comment the pipeline will not store. ``message`` is for the writer; ``reason`` (the API's error
    code) for the log. Too many comments in a minute is a rate limit (429, retry after a minute); every
    other refusal is about the comment itself (422)."""

    retry_after = 60

    def __init__(self, reason: str, message: str):
        super().__init__(reason, message, status=429 if reason == ReasonCode.RATE_LIMITED else 422)
        self.reason = reason


@dataclass
class Submission:
    text: str
    author: object | None  # a User, or None for a visitor
    author_email: str = ""
    address_hash: str = ""  # visitors only; used as a cache key, never stored
    language: str = "ru"
    outcome: str = ACCEPT
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    def hold(self, reason: str) -> None:
        if self.outcome != HOLD:
            self.outcome, self.reason = HOLD, reason

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


def refuse(reason: str, **params) -> Refused:
    message = str(MESSAGES[reason])
    return Refused(reason, message % params if params else message)


def text_hash(text: str) -> str:
    folded = " ".join(text.casefold().split())
    return hashlib.sha256(folded.encode()).hexdigest()


# --- stages -----------------------------------------------------------------------------------


def check_length(submission: Submission) -> None:
    if not submission.text:
        raise refuse(ReasonCode.EMPTY)
    if len(submission.text) > MAX_COMMENT_LENGTH:
        raise refuse(ReasonCode.TOO_LONG, count=len(submission.text))


def check_markup(submission: Submission) -> None:
    """No HTML at all: tags and character entities are refused rather than silently stripped,
    so that what is published is exactly what the author wrote."""
    if HTML_TAG.search(submission.text):
        raise refuse(ReasonCode.HTML)


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def matching_rule(text: str, rules: list[WordRule]) -> WordRule | None:
    words = _words(text)
    for rule in rules:
        phrase = _words(rule.phrase).strip()
        if phrase and f" {phrase} " in words:
            return rule
    return None


def check_words(submission: Submission, rules: list[WordRule] | None = None) -> None:
    if rules is None:
        rules = list(WordRule.objects.all())
    relevant = [rule for rule in rules if rule.language in ("", submission.language)] + [
        rule for rule in rules if rule.language not in ("", submission.language)
    ]
    banned = matching_rule(submission.text, [r for r in relevant if r.kind == WordRule.Kind.BANNED])
    if banned:
        raise refuse(ReasonCode.BANNED_WORD)
    if matching_rule(submission.text, [r for r in relevant if r.kind == WordRule.Kind.SUSPECT]):
        submission.hold(ReasonCode.SUSPECT_WORD)


def active_sanction(user) -> AuthorSanction | None:
    now = timezone.now()
    return (
        AuthorSanction.objects.filter(user=user, lifted_at__isnull=True, starts_at__lte=now)
        .exclude(ends_at__lte=now)
        .order_by("-starts_at")
        .first()
    )


def is_trusted(user) -> bool:
    if user is None:
        return False
    return (
        Comment.objects.filter(author=user, status=Comment.Status.APPROVED, moderated_by__isnull=False).count()
        >= TRUSTED_AFTER
    )


def check_author(submission: Submission) -> None:
    """Sanctioned authors are refused; staff and trusted authors publish at once (and are reviewed
    afterwards); new authors and visitors wait for a moderator."""
    user = submission.author
    if user is None:
        submission.hold(ReasonCode.VISITOR)
        return
    if active_sanction(user):
        raise refuse(ReasonCode.AUTHOR_SANCTIONED)
    if is_moderator(user) or is_officer(user):
        submission.notes.append(ReasonCode.STAFF_AUTHOR)
    elif is_trusted(user):
        submission.notes.append(ReasonCode.TRUSTED_AUTHOR)
    else:
        submission.hold(ReasonCode.NEW_AUTHOR)


def check_links(submission: Submission) -> None:
    links = LINK.findall(submission.text)
    if len(links) > MAX_LINKS:
        raise refuse(ReasonCode.TOO_MANY_LINKS)
    trusted = bool(submission.notes)
    if links and not trusted:
        submission.hold(ReasonCode.CONTAINS_LINK)


ACCOUNT_LIMIT = ratelimit.Limit("comments-account", ACCOUNT_PER_MINUTE, 60)
VISITOR_LIMIT = ratelimit.Limit("comments-visitor", VISITOR_PER_MINUTE, 60)


def rate_limit_of(submission: Submission) -> tuple[ratelimit.Limit, str]:
    if submission.author is not None:
        return ACCOUNT_LIMIT, f"user:{submission.author.pk}"
    return VISITOR_LIMIT, f"address:{submission.address_hash}"


def duplicate_key(submission: Submission) -> str:
    return f"comments:dup:{submission.address_hash}:{submission.text_hash}"


def duplicate_lock_keys(submission: Submission) -> list[str]:
    if submission.author is not None:
        identities = [f"user:{submission.author.pk}"]
    else:
        identities = [f"address:{submission.address_hash}"]
        if submission.author_email:
            identities.append(f"email:{submission.author_email.casefold()}")
    # Sorted, so that two writers taking several keys always take them in one order (no deadlock).
    return sorted(f"comments:duplicate:{identity}:{submission.text_hash}" for identity in identities)


def check_rate(submission: Submission) -> None:
    # The duplicate rule reads before the comment is inserted: without the lock, identical comments sent
    # at once all read "no duplicate yet" and all get stored. The lock lasts until the comment is saved.
    for key in duplicate_lock_keys(submission):
        locks.hold(key)
    if ratelimit.is_exhausted(*rate_limit_of(submission)):
        raise refuse(ReasonCode.RATE_LIMITED)
    since = timezone.now() - DUPLICATE_WINDOW
    if submission.author is not None:
        duplicate = Comment.objects.filter(
            author=submission.author, text_hash=submission.text_hash, created_at__gte=since
        ).exists()
    else:
        from django.core.cache import cache

        duplicate = bool(cache.get(duplicate_key(submission))) or (
            bool(submission.author_email)
            and Comment.objects.filter(
                author__isnull=True,
                author_email__iexact=submission.author_email,
                text_hash=submission.text_hash,
                created_at__gte=since,
            ).exists()
        )
    if duplicate:
        raise refuse(ReasonCode.DUPLICATE)


def record_use(submission: Submission) -> None:
    """Called once the comment is stored: counts it against the limits."""
    from django.core.cache import cache

    ratelimit.count(*rate_limit_of(submission))
    if submission.author is None:
        cache.set(duplicate_key(submission), 1, int(DUPLICATE_WINDOW.total_seconds()))


STAGES = [check_length, check_markup, check_words, check_author, check_links, check_rate]
# Editing re-runs the checks on the text; the author and the limits were checked at writing.
EDIT_STAGES = [check_length, check_markup, check_words, check_links]


def run(submission: Submission, stages=None) -> Submission:
    submission.text = normalise_text(submission.text)
    for stage in stages or STAGES:
        stage(submission)
    if submission.outcome == ACCEPT:
        submission.reason = submission.notes[0] if submission.notes else ReasonCode.TRUSTED_AUTHOR
    return submission
