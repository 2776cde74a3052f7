"""The moderation pipeline, stage by stage."""

import pytest

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.comments import pipeline
from kelisim.comments.models import AuthorSanction, Comment, ReasonCode, WordRule
from kelisim.comments.tests.factories import CommentFactory
from kelisim.core.text import normalise_text

pytestmark = pytest.mark.django_db


def submission(text, author=None, **fields):
    fields.setdefault("address_hash", "addr")
    return pipeline.Submission(text=normalise_text(text), author=author, **fields)


# --- length -------------------------------------------------------------------------------------


def test_length_counts_after_trimming_and_accepts_exactly_1500():
    pipeline.check_length(submission("  " + "а" * 1500 + "\n\n "))


def test_length_refuses_1501_characters():
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.check_length(submission("ә" * 1501))
    assert refusal.value.reason == ReasonCode.TOO_LONG
    assert "1501" in refusal.value.message


def test_a_browser_line_end_counts_as_one_character():
    text = ("x" * 99 + "\r\n") * 15  # 1500 characters as shown, 1515 as sent by a browser
    assert len(normalise_text(text)) == 1499
    pipeline.check_length(submission(text))


def test_blank_text_is_refused_as_empty():
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.check_length(submission(" \n\u200b "))
    assert refusal.value.reason == ReasonCode.EMPTY


# --- sanitising -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "Hello <b>world</b>", '<img src=x onerror="alert(1)">', "a &lt; b", "<!-- x -->"],
)
def test_html_is_refused_not_stripped(text):
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.check_markup(submission(text))
    assert refusal.value.reason == ReasonCode.HTML


@pytest.mark.parametrize("text", ["2 < 3 and 5 > 4", "I <3 Astana", "Q&A session", "x<y"])
def test_ordinary_signs_are_not_mistaken_for_html(text):
    pipeline.check_markup(submission(text))


# --- word lists ----------------------------------------------------------------------------------


def test_a_banned_word_refuses_in_any_letter_case():
    WordRule.objects.create(phrase="казино", kind=WordRule.Kind.BANNED)
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.check_words(submission("Лучшее КАЗИНО здесь", language="ru"))
    assert refusal.value.reason == ReasonCode.BANNED_WORD


def test_a_suspect_phrase_holds_the_comment():
    WordRule.objects.create(phrase="join us", kind=WordRule.Kind.SUSPECT, language="en")
    item = submission("Please JOIN   us tomorrow", language="en")
    pipeline.check_words(item)
    assert (item.outcome, item.reason) == (pipeline.HOLD, ReasonCode.SUSPECT_WORD)


def test_words_match_whole_words_only():
    WordRule.objects.create(phrase="ass", kind=WordRule.Kind.BANNED)
    pipeline.check_words(submission("The association met in Astana"))


# --- author trust -------------------------------------------------------------------------------


def test_a_visitor_is_pre_moderated():
    item = submission("Hello")
    pipeline.check_author(item)
    assert (item.outcome, item.reason) == (pipeline.HOLD, ReasonCode.VISITOR)


def test_a_new_account_is_pre_moderated_and_a_trusted_one_post_moderated(host):
    author = UserFactory()
    item = submission("Hello", author=author)
    pipeline.check_author(item)
    assert item.reason == ReasonCode.NEW_AUTHOR
    moderator = make_staff(Role.MODERATOR)
    CommentFactory.create_batch(
        pipeline.TRUSTED_AFTER, target=host, author=author, author_name="", moderated_by=moderator
    )
    trusted = submission("Hello again", author=author)
    pipeline.check_author(trusted)
    assert trusted.outcome == pipeline.ACCEPT
    assert pipeline.run(submission("Third", author=author)).reason == ReasonCode.TRUSTED_AUTHOR


def test_a_suspended_author_is_refused():
    author = UserFactory()
    AuthorSanction.objects.create(
        user=author, kind="suspension", reason="abuse", ends_at=pipeline.timezone.now() + pipeline.timedelta(days=1)
    )
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.check_author(submission("Hi", author=author))
    assert refusal.value.reason == ReasonCode.AUTHOR_SANCTIONED


def test_an_expired_suspension_no_longer_applies():
    author = UserFactory()
    now = pipeline.timezone.now()
    AuthorSanction.objects.create(
        user=author,
        kind="suspension",
        reason="abuse",
        starts_at=now - pipeline.timedelta(days=3),
        ends_at=now - pipeline.timedelta(days=1),
    )
    item = submission("Hi", author=author)
    pipeline.check_author(item)
    assert item.reason == ReasonCode.NEW_AUTHOR


# --- links -----------------------------------------------------------------------------------------


def test_more_than_two_links_are_refused():
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.check_links(submission("https://a.kz https://b.kz www.c.com"))
    assert refusal.value.reason == ReasonCode.TOO_MANY_LINKS


def test_a_link_from_an_untrusted_author_is_held():
    item = submission("See tengrinews.kz/article")
    pipeline.check_links(item)
    assert item.reason == ReasonCode.CONTAINS_LINK


# --- rate limits and duplicates -------------------------------------------------------------------


def test_a_visitor_address_may_send_two_comments_a_minute():
    for _ in range(pipeline.VISITOR_PER_MINUTE):
        item = submission("text", address_hash="same")
        pipeline.check_rate(item)
        pipeline.record_use(pipeline.Submission(text=f"other {_}", author=None, address_hash="same"))
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.check_rate(pipeline.Submission(text="third", author=None, address_hash="same"))
    assert refusal.value.reason == ReasonCode.RATE_LIMITED
    pipeline.check_rate(pipeline.Submission(text="elsewhere", author=None, address_hash="another"))


def test_an_account_may_send_five_comments_a_minute():
    author = UserFactory()
    for number in range(pipeline.ACCOUNT_PER_MINUTE):
        item = pipeline.Submission(text=f"comment {number}", author=author)
        pipeline.check_rate(item)
        pipeline.record_use(item)
    with pytest.raises(pipeline.Refused):
        pipeline.check_rate(pipeline.Submission(text="sixth", author=author))


def test_the_same_text_from_the_same_account_within_six_hours_is_refused(host):
    author = UserFactory()
    CommentFactory(target=host, author=author, author_name="", text="Same words here")
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.check_rate(pipeline.Submission(text="same  WORDS here", author=author))
    assert refusal.value.reason == ReasonCode.DUPLICATE
    old = Comment.objects.get()
    old.created_at -= pipeline.DUPLICATE_WINDOW + pipeline.timedelta(minutes=1)
    old.save()
    pipeline.check_rate(pipeline.Submission(text="Same words here", author=author))


def test_the_same_text_from_the_same_visitor_address_is_refused():
    first = pipeline.Submission(text="Hello all", author=None, address_hash="addr-1")
    pipeline.check_rate(first)
    pipeline.record_use(first)
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.check_rate(pipeline.Submission(text="hello ALL", author=None, address_hash="addr-1"))
    assert refusal.value.reason == ReasonCode.DUPLICATE


def test_a_refusal_stops_the_pipeline_before_later_stages():
    with pytest.raises(pipeline.Refused) as refusal:
        pipeline.run(pipeline.Submission(text="<b>" + "x" * 1600, author=None, address_hash="a"))
    assert refusal.value.reason == ReasonCode.TOO_LONG
