from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.comments import personal_data, pipeline, services
from kelisim.comments.models import AuthorSanction, Comment, CommentReport, ReasonCode, WordRule
from kelisim.comments.tests.factories import CommentFactory
from kelisim.core.models import OutboxEmail

pytestmark = pytest.mark.django_db


def post(host, *, actor=None, text="I agree with the plan.", **fields):
    defaults = {"language": "en", "policy_accepted": True}
    if actor is None:
        defaults |= {"author_name": "Aigul", "author_email": "aigul@example.kz", "address_hash": "visitor-1"}
    return services.post_comment(actor=actor, target=host, text=text, **(defaults | fields))


@pytest.fixture
def moderator():
    return make_staff(Role.MODERATOR)


def trusted_author(host, moderator):
    author = UserFactory()
    CommentFactory.create_batch(
        pipeline.TRUSTED_AFTER, target=host, author=author, author_name="", moderated_by=moderator
    )
    return author


def test_a_visitor_comment_is_held_and_keeps_the_email_private(host):
    comment = post(host)
    assert comment.status == Comment.Status.PENDING
    assert comment.reason_code == ReasonCode.VISITOR
    assert comment.author_email == "aigul@example.kz"
    assert comment.history.first().history_change_reason.startswith("written: hold")


def test_visitors_must_give_name_and_email_and_accept_the_policy(host):
    with pytest.raises(ValidationError) as error:
        post(host, author_name=" ", author_email="not-an-email", policy_accepted=False)
    assert set(error.value.message_dict) == {"name", "email", "accept_policy"}
    assert not Comment.objects.exists()


def test_a_refused_comment_stores_nothing(host):
    with pytest.raises(pipeline.Refused):
        post(host, text="x" * 1501)
    assert not Comment.objects.exists()


def test_the_database_refuses_1501_characters_even_past_the_services(host):
    comment = CommentFactory.build(target=host, text="я" * 1501)
    # The field refuses first; the database's own check stays behind it for writes that skip the model.
    with pytest.raises((IntegrityError, ValidationError)), transaction.atomic():
        comment.save()
    CommentFactory(target=host, text="я" * 1500)


def test_a_trusted_author_publishes_at_once_and_the_counter_follows(host, moderator):
    author = trusted_author(host, moderator)
    comment = post(host, actor=author)
    assert comment.status == Comment.Status.APPROVED
    assert comment.reason_code == ReasonCode.TRUSTED_AUTHOR
    assert comment.moderated_by is None  # post-moderation: still to be reviewed


def test_replies_are_one_level_deep(host, moderator):
    author = trusted_author(host, moderator)
    top = post(host, actor=author, text="Top")
    reply = post(host, actor=author, text="Reply", parent=top)
    reply_to_reply = post(host, actor=author, text="Reply to reply", parent=reply)
    assert reply_to_reply.parent == top
    top.refresh_from_db()
    assert top.reply_count == 2


def test_a_reply_to_a_held_comment_is_refused(host):
    held = post(host)
    with pytest.raises(ValidationError):
        post(host, text="Reply", parent=held, address_hash="visitor-2")


def test_closed_comments_refuse(host):
    host.verification_status = "excluded"
    host.save()
    with pytest.raises(pipeline.Refused) as refusal:
        post(host)
    assert refusal.value.reason == ReasonCode.COMMENTS_CLOSED


def test_reply_notification_is_sent_once_and_only_when_the_reply_is_published(host, moderator):
    parent_author = trusted_author(host, moderator)
    parent = post(host, actor=parent_author, text="Parent", notify_on_reply=True)
    reply = post(host, text="A visitor's reply", parent=parent)
    assert reply.status == Comment.Status.PENDING
    assert not OutboxEmail.objects.filter(topic="comments.reply").exists()
    services.moderate_comments(actor=moderator, comment_ids=[reply.pk], approve=True, reason="fits_policy")
    sent = OutboxEmail.objects.get(topic="comments.reply")
    assert sent.to == parent_author.email
    assert "A visitor's reply" in sent.body_text
    services.moderate_comments(actor=moderator, comment_ids=[reply.pk], approve=True, reason="fits_policy")
    assert OutboxEmail.objects.filter(topic="comments.reply").count() == 1


def test_no_notification_without_opt_in(host, moderator):
    author = trusted_author(host, moderator)
    parent = post(host, actor=author, text="Parent")
    other = trusted_author(host, moderator)
    post(host, actor=other, text="Reply", parent=parent)
    assert not OutboxEmail.objects.filter(topic="comments.reply").exists()


def test_the_author_edits_within_ten_minutes_only(host):
    author = UserFactory()
    comment = post(host, actor=author)
    edited = services.edit_comment(actor=author, comment=comment, text="  Changed my mind. ")
    assert edited.text == "Changed my mind."
    assert edited.edited_at is not None
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    comment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.edit_comment(actor=author, comment=comment, text="Too late")
    with pytest.raises(PermissionDenied):
        services.edit_comment(actor=UserFactory(), comment=comment, text="Not mine")


def test_an_edit_that_needs_review_holds_a_published_comment_again(host, moderator):
    author = trusted_author(host, moderator)
    comment = post(host, actor=author)
    WordRule.objects.create(phrase="rally", kind=WordRule.Kind.SUSPECT)
    edited = services.edit_comment(actor=author, comment=comment, text="Come to the rally")
    assert edited.status == Comment.Status.PENDING
    assert edited.reason_code == ReasonCode.EDITED


def test_deleting_a_comment_with_replies_leaves_a_placeholder(host, moderator):
    author = trusted_author(host, moderator)
    top = post(host, actor=author, text="Top")
    CommentFactory(target=host, parent=top)
    assert services.delete_comment(actor=author, comment=top) is True
    top.refresh_from_db()
    assert (top.status, top.text) == (Comment.Status.DELETED, "")
    lonely = post(host, actor=author, text="Alone")
    assert services.delete_comment(actor=author, comment=lonely) is False
    assert not Comment.objects.filter(pk=lonely.pk).exists()


def test_only_the_author_deletes(host):
    comment = post(host, actor=UserFactory())
    with pytest.raises(PermissionDenied):
        services.delete_comment(actor=UserFactory(), comment=comment)


def test_three_reports_hide_a_comment_and_a_reader_reports_once(host):
    comment = CommentFactory(target=host)
    reader = UserFactory()
    assert services.report_comment(reporter=reader, browser_hash="", comment=comment, reason="spam")
    assert not services.report_comment(reporter=reader, browser_hash="", comment=comment, reason="abuse")
    assert services.report_comment(reporter=None, browser_hash="b1", comment=comment, reason="off_topic")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert services.report_comment(reporter=None, browser_hash="b2", comment=comment, reason="personal_data")
    comment.refresh_from_db()
    assert (comment.status, comment.reason_code, comment.report_count) == ("hidden", "reported", 3)
    assert CommentReport.objects.filter(comment=comment).count() == 3


def test_bulk_moderation_records_who_and_why_in_the_history(host, moderator):
    first, second = post(host), post(host, text="Another", address_hash="visitor-2")
    changed = services.moderate_comments(
        actor=moderator, comment_ids=[first.pk, second.pk], approve=False, reason="spam", note="Advertising."
    )
    assert changed == 2
    first.refresh_from_db()
    assert (first.status, first.reason_code, first.moderated_by) == ("rejected", "spam", moderator)
    latest = first.history.first()
    assert latest.history_user == moderator
    assert latest.history_change_reason == "rejected: spam"
    assert OutboxEmail.objects.filter(topic="comments.moderator_note", to="aigul@example.kz").count() == 2


def test_a_decision_needs_a_fitting_reason(host, moderator):
    comment = post(host)
    with pytest.raises(ValidationError):
        services.moderate_comments(actor=moderator, comment_ids=[comment.pk], approve=True, reason="spam")


def test_only_moderators_moderate(host):
    comment = post(host)
    for actor in (None, UserFactory(), make_staff(Role.OFFICER)):
        with pytest.raises(PermissionDenied):
            services.moderate_comments(actor=actor, comment_ids=[comment.pk], approve=True, reason="fits_policy")


def test_suspension_with_duration_blocks_comments_and_tells_the_author(host, moderator):
    author = UserFactory()
    sanction = services.sanction_author(
        actor=moderator, user=author, kind="suspension", reason="abuse", note="Cool down.", days=7
    )
    assert sanction.ends_at - sanction.starts_at == timedelta(days=7)
    assert OutboxEmail.objects.filter(to=author.email, topic="comments.sanction").exists()
    with pytest.raises(pipeline.Refused):
        post(host, actor=author)
    services.lift_sanction(actor=moderator, sanction=sanction)
    assert post(host, actor=author).status == Comment.Status.PENDING


def test_a_suspension_needs_a_duration_and_a_moderator_cannot_sanction_staff(moderator):
    with pytest.raises(ValidationError):
        services.sanction_author(actor=moderator, user=UserFactory(), kind="suspension", reason="abuse")
    with pytest.raises(PermissionDenied):
        services.sanction_author(actor=moderator, user=make_staff(Role.OFFICER), kind="ban", reason="abuse")
    assert not AuthorSanction.objects.exists()


def test_word_lists_are_edited_by_moderators_with_history(moderator):
    rule = services.add_word_rule(actor=moderator, phrase="  Casino  Royale ", kind="banned", language="en")
    assert rule.phrase == "casino royale"
    assert rule.history.first().history_user == moderator
    with pytest.raises(ValidationError):
        services.add_word_rule(actor=moderator, phrase="casino royale", kind="banned", language="en")
    with pytest.raises(PermissionDenied):
        services.add_word_rule(actor=UserFactory(), phrase="x", kind="banned")
    services.remove_word_rule(actor=moderator, rule=rule)
    assert not WordRule.objects.exists()


def test_a_moderators_note_is_kept_and_emailed(host, moderator):
    comment = post(host)
    services.write_moderator_note(actor=moderator, comment=comment, note="Please add a source.")
    comment.refresh_from_db()
    assert comment.moderator_note == "Please add a source."
    assert OutboxEmail.objects.filter(topic="comments.moderator_note").exists()


def test_erasing_an_account_keeps_the_conversation_without_the_person(host):
    author = UserFactory()
    comment = post(host, actor=author)
    assert personal_data.export_personal_data(author)[0]["text"] == comment.text
    personal_data.erase_personal_data(author)
    comment.refresh_from_db()
    assert comment.author is None and comment.author_email == ""


def test_the_reply_email_and_notification_name_the_page_in_the_recipients_language(host, moderator):
    """Issue 16: the replier and the moderator work in Russian; the parent's author reads Kazakh, so the email's
    subject, its wording and the page's title are Kazakh, and so is the notification in their inbox."""
    from django.utils import translation

    from kelisim.notifications.models import Notification

    host.name_kk, host.name_ru, host.name_en = "Келісім қоры", "Фонд Келисим", "Kelisim Foundation"
    host.save()
    parent_author = trusted_author(host, moderator)
    parent_author.preferred_language = "kk"
    parent_author.save()
    parent = post(host, actor=parent_author, text="Parent", notify_on_reply=True, language="kk")
    with translation.override("ru"):
        reply = post(host, text="Ответ посетителя", parent=parent, language="ru")
        services.moderate_comments(actor=moderator, comment_ids=[reply.pk], approve=True, reason="fits_policy")
    sent = OutboxEmail.objects.get(topic="comments.reply")
    assert sent.subject == "«Келісім қоры» бетіндегі пікіріңізге жаңа жауап"
    assert "«Келісім қоры» бетіндегі пікіріңізге жауап берді:" in sent.body_text
    assert "Фонд Келисим" not in sent.subject + sent.body_text
    notification = Notification.objects.get(recipient=parent_author, kind="comments.reply")
    with translation.override("kk"):
        assert notification.text == "Aigul «Келісім қоры» бойынша пікіріңізге жауап берді."
