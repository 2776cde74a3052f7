"""Every write on comments: writing, editing, deleting, reporting, moderating, sanctions, word lists.

Permissions are checked here; every change of a comment's status is recorded in its history with
the moderator and a reason code (django-simple-history), which is the moderation audit trail.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import is_administrator, is_moderator, is_officer, require_moderator
from kelisim.comments import pipeline, rules
from kelisim.comments.models import (
    APPROVE_REASONS,
    REJECT_REASONS,
    AuthorSanction,
    Comment,
    CommentReport,
    ReasonCode,
    WordRule,
)
from kelisim.comments.registry import commentable_for, commentable_for_key
from kelisim.core.i18n import in_each_language
from kelisim.core.services import email_link, queue_templated_email
from kelisim.core.workflow import record_history, transition
from kelisim.notifications.services import notify

REPORTS_TO_HIDE = 3
DELETED_PLACEHOLDER_NAME = ""


def _signed_in(user):
    return user if user is not None and user.is_authenticated else None


# --- counters -----------------------------------------------------------------------------------


def recount(*, content_type_id: int, object_id: int, parent_id: int | None = None) -> None:
    """Set the host's comment counter and the parent's reply counter from the rows themselves, in one
    statement each, so that concurrent writes can never leave them wrong."""
    content_type = ContentType.objects.get_for_id(content_type_id)
    spec = commentable_for_key(f"{content_type.app_label}.{content_type.model}")
    if spec is not None and spec.counter_field:
        published = (
            Comment.objects.filter(
                content_type_id=content_type_id, object_id=OuterRef("pk"), status=Comment.Status.APPROVED
            )
            .order_by()
            .values("object_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        spec.model._default_manager.filter(pk=object_id).update(
            **{spec.counter_field: Coalesce(Subquery(published), 0)}
        )
    if parent_id is not None:
        replies = (
            Comment.objects.filter(parent_id=OuterRef("pk"), status=Comment.Status.APPROVED)
            .order_by()
            .values("parent_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Comment.objects.filter(pk=parent_id).update(reply_count=Coalesce(Subquery(replies), 0))


def _recount_for(comment: Comment) -> None:
    recount(content_type_id=comment.content_type_id, object_id=comment.object_id, parent_id=comment.parent_id)


# --- notifications ------------------------------------------------------------------------------


def _author_email(comment: Comment) -> str:
    return comment.author.email if comment.author_id else comment.author_email


def _author_language(comment: Comment) -> str:
    return comment.author.preferred_language if comment.author_id else comment.language


def _target_context(comment: Comment) -> dict:
    target = comment.target
    spec = commentable_for(target)
    # Worded when the email is rendered, in its recipient's language: a plan item's text or a roundtable's title
    # is kept in three languages.
    title = lazy(lambda: str(spec.title(target)), str)()
    return {"target_title": title, "target_url": email_link(lambda: spec.url(target))}


def _notify_reply(reply: Comment) -> None:
    """Tell the parent's author about a published reply, once. Held replies never reach here: this runs only
    when a reply becomes published. An account holder gets a notification (and the email if they asked for
    replies by email on that comment and their notification settings allow it); a visitor who asked, the email."""
    parent = reply.parent
    if (
        parent is None
        or reply.status != Comment.Status.APPROVED
        or reply.reply_notification_sent
        or parent.status != Comment.Status.APPROVED
    ):
        return
    recipient = _author_email(parent)
    if not recipient or (parent.author_id and parent.author_id == reply.author_id):
        return
    if not parent.author_id and parent.author_email and parent.author_email.lower() == reply.author_email.lower():
        return
    if not parent.author_id and not parent.notify_on_reply:
        return
    context = {**_target_context(reply), "reply": reply, "parent": parent}
    context["comment_url"] = f"{context['target_url']}#comment-{reply.pk}"

    def send(person=None) -> None:
        queue_templated_email(
            to=recipient,
            template="comments/email/reply",
            context=context,
            language=_author_language(parent),
            topic="comments.reply",
        )

    if parent.author_id:
        target = reply.target
        notify(
            recipients=[parent.author],
            kind="comments.reply",
            params={
                "title": in_each_language(lambda: commentable_for(target).title(target)),
                "name": reply.display_name,
            },
            url=f"{commentable_for(target).url(target)}#comment-{reply.pk}",
            own_email=send,
            email=parent.notify_on_reply,
        )
    else:
        send()
    Comment.objects.filter(pk=reply.pk).update(reply_notification_sent=True)
    reply.reply_notification_sent = True


def _send_note(comment: Comment) -> None:
    recipient = _author_email(comment)
    if not recipient or not comment.moderator_note:
        return
    queue_templated_email(
        to=recipient,
        template="comments/email/note",
        context={**_target_context(comment), "comment": comment},
        language=_author_language(comment),
        topic="comments.moderator_note",
    )


# --- writing ------------------------------------------------------------------------------------


def _author_details(user, *, author_name: str, author_email: str, address_hash: str, policy_accepted: bool):
    """The name and address a visitor gives (an account gives none), checked with the policy box; every
    missing answer is reported at once, by its field."""
    errors = {}
    if not policy_accepted:
        errors["accept_policy"] = _("Please read and accept the comment policy.")
    if user is None:
        author_name = " ".join((author_name or "").split())
        author_email = (author_email or "").strip()
        if not author_name:
            errors["name"] = _("Please give your name.")
        try:
            validate_email(author_email)
        except ValidationError:
            errors["email"] = _("Please give a valid email address.")
        if not address_hash:
            raise ValueError("A visitor's comment needs the salted address hash for rate limits.")
    else:
        author_name, author_email = "", ""
    if errors:
        raise ValidationError(errors)
    return author_name[:80], author_email


def _thread_parent(parent: Comment | None, *, content_type, target) -> Comment | None:
    """The comment a reply joins: on the same page, published, and one level deep at most."""
    if parent is None:
        return None
    if parent.content_type_id != content_type.pk or parent.object_id != target.pk:
        raise ValidationError(_("You can only reply to a comment on the same page."))
    if parent.parent_id is not None:
        parent = parent.parent  # a reply to a reply joins the same thread
    if parent.status != Comment.Status.APPROVED:
        raise ValidationError(_("This comment can no longer be replied to."))
    return parent


@transaction.atomic
def post_comment(
    *,
    actor,
    target,
    text: str,
    language: str,
    policy_accepted: bool,
    parent: Comment | None = None,
    author_name: str = "",
    author_email: str = "",
    notify_on_reply: bool = False,
    address_hash: str = "",
) -> Comment:
    """Run the moderation pipeline and store the comment, published or held.

    Raises ``pipeline.Refused`` (nothing stored) or ``ValidationError`` for missing fields.
    """
    user = _signed_in(actor)
    if not commentable_for(target).comments_open(target):
        raise pipeline.refuse(ReasonCode.COMMENTS_CLOSED)
    author_name, author_email = _author_details(
        user,
        author_name=author_name,
        author_email=author_email,
        address_hash=address_hash,
        policy_accepted=policy_accepted,
    )
    content_type = ContentType.objects.get_for_model(target)
    parent = _thread_parent(parent, content_type=content_type, target=target)
    submission = pipeline.run(
        pipeline.Submission(
            text=text, author=user, author_email=author_email, address_hash=address_hash, language=language
        )
    )
    comment = Comment(
        content_type=content_type,
        object_id=target.pk,
        parent=parent,
        author=user,
        author_name=author_name,
        author_email=author_email,
        text=submission.text,
        text_hash=submission.text_hash,
        language=language,
        status=Comment.Status.APPROVED if submission.outcome == pipeline.ACCEPT else Comment.Status.PENDING,
        reason_code=submission.reason,
        notify_on_reply=notify_on_reply and bool(user or author_email),
    )
    record_history(comment, actor=user, reason=f"written: {submission.outcome} ({submission.reason})")
    comment.save()
    pipeline.record_use(submission)
    if comment.status == Comment.Status.APPROVED:
        _recount_for(comment)
        _notify_reply(comment)
    return comment


@transaction.atomic
def edit_comment(*, actor, comment: Comment, text: str) -> Comment:
    """The author may change the text within ten minutes; the text goes through the pipeline again,
    and a published comment that now needs review is held again."""
    comment = Comment.objects.select_for_update(of=("self",)).select_related("author").get(pk=comment.pk)
    if not rules.can_edit_comment(actor, comment):
        raise PermissionDenied(_("You can edit your comment only within ten minutes of writing it."))
    submission = pipeline.run(
        pipeline.Submission(text=text, author=actor, language=comment.language),
        stages=[
            pipeline.check_length,
            pipeline.check_markup,
            pipeline.check_words,
            pipeline.check_author,
            pipeline.check_links,
        ],
    )
    was_published = comment.status == Comment.Status.APPROVED
    comment.text = submission.text
    comment.text_hash = submission.text_hash
    comment.edited_at = timezone.now()
    if submission.outcome == pipeline.HOLD:
        if was_published:
            transition(comment, to=Comment.Status.PENDING, actor=actor)
        comment.reason_code = submission.reason if not was_published else ReasonCode.EDITED
        comment.moderated_by, comment.moderated_at = None, None
    record_history(comment, actor=actor, reason=f"edited by author: {submission.outcome} ({submission.reason})")
    comment.save()
    if was_published and comment.status != Comment.Status.APPROVED:
        _recount_for(comment)
    return comment


@transaction.atomic
def delete_comment(*, actor, comment: Comment) -> bool:
    """The author deletes their comment. Where replies hang on it, a placeholder stays so that the
    conversation still reads; otherwise the row goes. Returns True when a placeholder stayed."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not rules.can_delete_comment(actor, comment):
        raise PermissionDenied(_("You can delete only your own comments."))
    if comment.parent_id is None and comment.replies.exists():
        transition(
            comment, to=Comment.Status.DELETED, actor=actor, reason="deleted by author (placeholder kept for replies)"
        )
        comment.text = ""
        comment.text_hash = ""
        comment.notify_on_reply = False
        comment.save()
        placeholder = True
    else:
        record_history(comment, actor=actor, reason="deleted by author")
        comment.delete()
        placeholder = False
    _recount_for(comment)
    return placeholder


@transaction.atomic
def report_comment(*, reporter, browser_hash: str, comment: Comment, reason: str) -> bool:
    """A reader reports a published comment. Returns False if this reader already reported it.

    At the third report the comment is hidden until a moderator reviews it."""
    user = _signed_in(reporter)
    if reason not in CommentReport.Reason.values:
        raise ValidationError(_("Choose a reason."))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != Comment.Status.APPROVED:
        raise PermissionDenied(_("This comment cannot be reported."))
    if user is not None and comment.author_id == user.pk:
        raise PermissionDenied(_("You cannot report your own comment."))
    try:
        with transaction.atomic():
            CommentReport.objects.create(
                comment=comment,
                reason=reason,
                reporter=user,
                reporter_browser="" if user else browser_hash,
            )
    except IntegrityError:
        return False
    Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    comment.refresh_from_db(fields=["report_count"])
    if comment.report_count >= REPORTS_TO_HIDE:
        transition(comment, to=Comment.Status.HIDDEN, actor=None, reason=f"hidden after {comment.report_count} reports")
        comment.reason_code = ReasonCode.REPORTED
        comment.save()
        _recount_for(comment)
    return True


# --- moderation ---------------------------------------------------------------------------------


@transaction.atomic
def moderate_comments(*, actor, comment_ids: list[int], approve: bool, reason: str, note: str = "") -> int:
    """Approve or reject several comments at once with one reason code (and optionally a note to
    each author). Returns how many changed; comments already deleted are skipped."""
    require_moderator(actor)
    allowed = APPROVE_REASONS if approve else REJECT_REASONS
    if reason not in allowed:
        raise ValidationError(_("Choose a reason that fits the decision."))
    target_status = Comment.Status.APPROVED if approve else Comment.Status.REJECTED
    comments = list(
        Comment.objects.select_for_update(of=("self",))
        .select_related("author", "parent", "parent__author")
        .filter(pk__in=comment_ids)
        .order_by("pk")
    )
    changed = 0
    now = timezone.now()
    for comment in comments:
        if not Comment.WORKFLOW.can_move(comment, target_status):
            continue
        transition(comment, to=target_status, actor=actor, reason=f"{'approved' if approve else 'rejected'}: {reason}")
        comment.reason_code = reason
        comment.moderated_by = actor
        comment.moderated_at = now
        if note.strip():
            comment.moderator_note = note.strip()
        comment.save()
        comment.reports.filter(resolved=False).update(resolved=True)
        _recount_for(comment)
        if approve:
            _notify_reply(comment)
        if note.strip():
            _send_note(comment)
        changed += 1
    return changed


@transaction.atomic
def write_moderator_note(*, actor, comment: Comment, note: str) -> Comment:
    """A note from the moderators to the comment's author: kept on the comment, sent by email."""
    require_moderator(actor)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write the note first.")})
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.moderator_note = note
    record_history(comment, actor=actor, reason="moderator's note to the author")
    comment.save()
    _send_note(comment)
    return comment


@transaction.atomic
def sanction_author(*, actor, user, kind: str, reason: str, note: str = "", days: int | None = None) -> AuthorSanction:
    """Suspend (for ``days``) or ban (for ``days`` or without end) an account from commenting."""
    require_moderator(actor)
    if user.pk == actor.pk:
        raise PermissionDenied(_("You cannot sanction yourself."))
    if (is_moderator(user) or is_officer(user)) and not is_administrator(actor):
        raise PermissionDenied(_("Only an administrator can sanction staff."))
    if kind not in AuthorSanction.Kind.values:
        raise ValidationError({"kind": _("Choose a suspension or a ban.")})
    if reason not in REJECT_REASONS:
        raise ValidationError({"reason": _("Choose a reason.")})
    if kind == AuthorSanction.Kind.SUSPENSION and not days:
        raise ValidationError({"days": _("A suspension needs a duration.")})
    if days is not None and not 1 <= days <= 3650:
        raise ValidationError({"days": _("Give a duration between 1 and 3650 days.")})
    now = timezone.now()
    sanction = AuthorSanction(
        user=user,
        kind=kind,
        reason=reason,
        note=note.strip(),
        starts_at=now,
        ends_at=now + timedelta(days=days) if days else None,
        created_by=actor,
    )
    record_history(sanction, actor=actor, reason=f"{kind}: {reason}")
    sanction.save()
    queue_templated_email(
        to=user.email,
        template="comments/email/sanction",
        context={"sanction": sanction},
        language=user.preferred_language,
        topic="comments.sanction",
    )
    return sanction


@transaction.atomic
def lift_sanction(*, actor, sanction: AuthorSanction, reason: str = "") -> AuthorSanction:
    require_moderator(actor)
    sanction = AuthorSanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.lifted_at is None:
        sanction.lifted_at = timezone.now()
        record_history(sanction, actor=actor, reason=f"lifted: {reason}" if reason else "lifted")
        sanction.save()
    return sanction


@transaction.atomic
def add_word_rule(*, actor, phrase: str, kind: str, language: str = "") -> WordRule:
    require_moderator(actor)
    phrase = " ".join(phrase.split()).casefold()
    if not phrase:
        raise ValidationError({"phrase": _("Write a word or phrase.")})
    if WordRule.objects.filter(phrase=phrase, kind=kind, language=language).exists():
        raise ValidationError({"phrase": _("This word is already on the list.")})
    rule = WordRule(phrase=phrase, kind=kind, language=language, created_by=actor)
    record_history(rule, actor=actor, reason="added")
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def remove_word_rule(*, actor, rule: WordRule) -> None:
    require_moderator(actor)
    record_history(rule, actor=actor, reason="removed")
    rule.delete()
