from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kelisim.accounts.decorators import moderator_required
from kelisim.accounts.permissions import is_moderator
from kelisim.comments import pipeline, rules, selectors, services
from kelisim.comments.forms import (
    BulkModerationForm,
    CommentForm,
    EditCommentForm,
    ModerationForm,
    NoteForm,
    QueueFilterForm,
    ReportForm,
    SanctionForm,
    WordRuleForm,
)
from kelisim.comments.models import AuthorSanction, Comment, WordRule
from kelisim.comments.parts import NOTICE_TAG
from kelisim.comments.registry import _commentables, resolve_target
from kelisim.comments.visitors import address_hash, browser_hash, remember_browser
from kelisim.core import pagecache, ratelimit
from kelisim.core.forms import apply_validation_error
from kelisim.core.i18n import active_language
from kelisim.core.pagecache import EVERYTHING, public_page
from kelisim.core.pagination import KnownCountPaginator

REPORTS_LIMIT = ratelimit.Limit("comment-reports", 5, 60)


def _target_or_404(target: str, object_id: int):
    resolved = resolve_target(target, object_id)
    if resolved is None or not resolved[0].is_public(resolved[1]):
        raise Http404
    return resolved


def _target_of(comment: Comment):
    spec_and_target = resolve_target(
        f"{comment.content_type.app_label}.{comment.content_type.model}", comment.object_id
    )
    if spec_and_target is None:
        raise Http404
    return spec_and_target


def _visible_comment_or_404(pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("author", "content_type", "parent"), pk=pk)
    spec, target = _target_of(comment)
    if not spec.is_public(target):
        raise Http404
    return comment


def _thread_context(request, spec, target) -> dict:
    return {
        "target": target,
        "target_key": spec.key,
        "target_title": spec.title(target),
        "target_url": spec.url(target),
        "comments_open": spec.comments_open(target),
        "can_moderate": is_moderator(request.user),
    }


def _form_page(request, *, spec, target, form, parent=None, status=200):
    return render(
        request,
        "comments/form_page.html",
        {
            "form": form,
            "target": target,
            "target_id": target.pk,
            "target_title": spec.title(target),
            "target_url": spec.url(target),
            "target_key": spec.key,
            "parent": parent,
            "comments_open": spec.comments_open(target),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def post_comment(request, target: str, object_id: int):
    """Write a comment or a reply. Without JavaScript a refused form comes back here, text kept."""
    spec, obj = _target_or_404(target, object_id)
    parent = None
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    if parent_id and str(parent_id).isdigit():
        parent = Comment.objects.filter(pk=parent_id, status=Comment.Status.APPROVED).select_related("author").first()
    if request.method == "GET":
        form = CommentForm(user=request.user, initial={"parent": parent.pk if parent else None})
        return _form_page(request, spec=spec, target=obj, form=form, parent=parent)

    form = CommentForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = services.post_comment(
                actor=request.user,
                target=obj,
                text=data["text"],
                language=active_language(),
                policy_accepted=data["accept_policy"],
                parent=parent,
                author_name=data.get("name", ""),
                author_email=data.get("email", ""),
                notify_on_reply=data["notify_on_reply"],
                address_hash="" if request.user.is_authenticated else address_hash(request),
            )
        except pipeline.Refused as refusal:
            form.add_error(
                "text" if refusal.reason not in ("rate_limited", "comments_closed") else None, refusal.message
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            # The confirmation is shown in the comments section, where the page lands (comment-notice).
            if comment.status == Comment.Status.APPROVED:
                messages.success(request, _("Your comment is published."), extra_tags=NOTICE_TAG)
                return HttpResponseRedirect(f"{spec.url(obj)}#comment-{comment.pk}")
            messages.info(
                request,
                _("Thank you. Your comment will appear once a moderator has checked it."),
                extra_tags=NOTICE_TAG,
            )
            return HttpResponseRedirect(f"{spec.url(obj)}#comment-notice")
    return _form_page(request, spec=spec, target=obj, form=form, parent=parent, status=400)


@public_page(*EVERYTHING)
def thread(request, target: str, object_id: int):
    """Older pages of a thread: a whole page without JavaScript, only the items for htmx."""
    spec, obj = _target_or_404(target, object_id)
    page = selectors.thread_page(obj, page_number=request.GET.get("page") or 1)
    context = {"page": page, **_thread_context(request, spec, obj)}
    if request.htmx:
        return render(request, "comments/includes/thread_items.html", context)
    return render(request, "comments/thread_page.html", context)


@public_page(*EVERYTHING)
def replies(request, pk: int):
    parent = _visible_comment_or_404(pk)
    if parent.status not in Comment.VISIBLE:
        raise Http404
    spec, obj = _target_of(parent)
    page = selectors.replies_page(parent, page_number=request.GET.get("page") or 1)
    context = {"parent": parent, "page": page, **_thread_context(request, spec, obj)}
    if request.htmx:
        return render(request, "comments/includes/replies_items.html", context)
    return render(request, "comments/replies_page.html", context)


def _own_comment(request, pk: int, may):
    """The comment, with where it stands, if ``may(user, comment)`` lets its author change it; 403 otherwise."""
    comment = _visible_comment_or_404(pk)
    if not may(request.user, comment):
        raise PermissionDenied
    return (comment, *_target_of(comment))


def _comment_page(request, template: str, comment: Comment, spec, target, form=None):
    """A page about one comment (edit, delete, report), with the way back to where it stands; 400 when the
    form came back with errors."""
    context = {"comment": comment, "target_title": spec.title(target), "target_url": spec.url(target)}
    if form is not None:
        context["form"] = form
    return render(request, template, context, status=400 if form is not None and form.errors else 200)


@require_http_methods(["GET", "POST"])
def edit_comment(request, pk: int):
    comment, spec, obj = _own_comment(request, pk, rules.can_edit_comment)
    form = EditCommentForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.edit_comment(actor=request.user, comment=comment, text=form.cleaned_data["text"])
        except pipeline.Refused as refusal:
            form.add_error("text", refusal.message)
        else:
            if comment.status == Comment.Status.APPROVED:
                messages.success(request, _("Your comment was changed."))
            else:
                messages.info(
                    request, _("Your comment was changed and will appear again once a moderator has checked it.")
                )
            return HttpResponseRedirect(f"{spec.url(obj)}#comment-{comment.pk}")
    return _comment_page(request, "comments/edit.html", comment, spec, obj, form=form)


@require_http_methods(["GET", "POST"])
def delete_comment(request, pk: int):
    comment, spec, obj = _own_comment(request, pk, rules.can_delete_comment)
    if request.method == "POST":
        services.delete_comment(actor=request.user, comment=comment)
        messages.success(request, _("Your comment was deleted."))
        return HttpResponseRedirect(f"{spec.url(obj)}#comments")
    return _comment_page(request, "comments/delete.html", comment, spec, obj)


@require_http_methods(["GET", "POST"])
def report_comment(request, pk: int):
    comment = _visible_comment_or_404(pk)
    if comment.status != Comment.Status.APPROVED:
        raise Http404
    spec, obj = _target_of(comment)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        who = f"user:{request.user.pk}" if request.user.is_authenticated else f"address:{address_hash(request)}"
        if ratelimit.count(REPORTS_LIMIT, who):
            form.add_error(None, _("You are sending reports too fast. Please wait a minute and try again."))
        else:
            try:
                reported = services.report_comment(
                    reporter=request.user,
                    browser_hash=browser_hash(request),
                    comment=comment,
                    reason=form.cleaned_data["reason"],
                )
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
            else:
                if reported:
                    messages.success(request, _("Thank you. A moderator will look at this comment."))
                else:
                    messages.info(request, _("You have already reported this comment."))
                return remember_browser(request, HttpResponseRedirect(f"{spec.url(obj)}#comments"))
    return remember_browser(request, _comment_page(request, "comments/report.html", comment, spec, obj, form=form))


@public_page("comments")
def policy(request):
    return render(request, "comments/policy.html")


# --- moderators ----------------------------------------------------------------------------------


def _written(request, form, write, success_message) -> bool:
    """Pass the form's data to a moderator's service; its refusal shows on the form, its success as a message."""
    try:
        write(**form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    messages.success(request, success_message)
    return True


def _target_choices():
    return [
        (key, str(spec.model._meta.verbose_name_plural).capitalize()) for key, spec in sorted(_commentables.items())
    ]


@moderator_required
def queue(request):
    filters = QueueFilterForm(request.GET or None, target_choices=_target_choices())
    criteria = filters.cleaned_data if filters.is_valid() else {}
    comments = selectors.moderation_queue(
        status=criteria.get("status", ""),
        reason=criteria.get("reason", ""),
        language=criteria.get("language", ""),
        target_type=criteria.get("target", ""),
        q=criteria.get("q", ""),
    )
    # The counts, the total and the rows of a filter's page are the same for every moderator: read and written
    # once per change of what they show, not on every look at the queue (issue 13).
    chosen = tuple(sorted((name, str(value)) for name, value in criteria.items()))
    total = pagecache.kept_value("moderation total", chosen, comments.count, timeout=3600)
    paginator = KnownCountPaginator(comments, selectors.QUEUE_PAGE_SIZE, count=total)
    number = paginator.number_of(request.GET.get("page"))
    rows = pagecache.kept_value(
        "moderation rows", (chosen, total, number), lambda: _queue_rows_html(paginator.page(number))
    )
    return render(
        request,
        "comments/queue.html",
        {
            "filters": filters,
            "page": paginator.pager(number),
            "rows": rows,
            # The bulk form's comments are the checkboxes in the rows; it is rendered for its decision fields.
            "bulk": BulkModerationForm(),
            "counts": pagecache.kept_value("moderation counts", "", selectors.queue_counts, timeout=3600),
        },
    )


def _queue_rows_html(page) -> str:
    selectors.attach_targets(page.object_list)
    return render_to_string("comments/includes/queue_rows.html", {"page": page})


@require_POST
@moderator_required
def bulk_moderate(request):
    ids = [int(value) for value in request.POST.getlist("comments") if value.isdigit()]
    form = BulkModerationForm(request.POST, comment_ids=ids)
    if form.is_valid():
        changed = services.moderate_comments(
            actor=request.user,
            comment_ids=form.cleaned_data["comments"],
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            ngettext("%(count)d comment moderated.", "%(count)d comments moderated.", changed) % {"count": changed},
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = ""
    return redirect(next_url or "comments:queue")


@require_http_methods(["GET", "POST"])
@moderator_required
def moderate(request, pk: int):
    comment = get_object_or_404(
        Comment.objects.select_related("author", "content_type", "parent", "moderated_by"), pk=pk
    )
    selectors.attach_targets([comment])
    decision_form = ModerationForm(request.POST if "decision" in request.POST else None)
    note_form = NoteForm(request.POST if "note_only" in request.POST else None)
    if request.method == "POST":
        if "decision" in request.POST and decision_form.is_valid():
            changed = services.moderate_comments(
                actor=request.user,
                comment_ids=[comment.pk],
                approve=decision_form.cleaned_data["decision"] == "approve",
                reason=decision_form.cleaned_data["reason"],
                note=decision_form.cleaned_data["note"],
            )
            if changed:
                messages.success(request, _("Decision recorded."))
            else:
                messages.error(request, _("This comment cannot take that decision in its present state."))
            return redirect("comments:moderate", pk=comment.pk)
        if "note_only" in request.POST and note_form.is_valid():
            services.write_moderator_note(actor=request.user, comment=comment, note=note_form.cleaned_data["note"])
            messages.success(request, _("Note sent to the author."))
            return redirect("comments:moderate", pk=comment.pk)
    return render(
        request,
        "comments/moderate.html",
        {
            "comment": comment,
            "decision_form": decision_form,
            "note_form": note_form,
            "reports": comment.reports.select_related("reporter"),
            "history": selectors.comment_history(comment),
            "sanctions": selectors.active_sanctions_for(comment.author) if comment.author_id else [],
        },
        status=400 if (decision_form.errors or note_form.errors) else 200,
    )


@require_http_methods(["GET", "POST"])
@moderator_required
def sanction(request, user_id: int):
    author = get_object_or_404(get_user_model(), pk=user_id)
    form = SanctionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        write = partial(services.sanction_author, actor=request.user, user=author)
        if _written(request, form, write, _("Sanction recorded; the author was told by email.")):
            return redirect("comments:sanctions")
    return render(
        request,
        "comments/sanction.html",
        {
            "author": author,
            "form": form,
            "recent": Comment.objects.filter(author=author).order_by("-created_at")[:10],
            "sanctions": AuthorSanction.objects.filter(user=author).select_related("created_by"),
        },
        status=400 if form.errors else 200,
    )


@moderator_required
def sanctions(request):
    from django.db.models import Q
    from django.utils import timezone

    now = timezone.now()
    active = (
        AuthorSanction.objects.filter(lifted_at__isnull=True)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("user", "created_by")
    )
    return render(request, "comments/sanctions.html", {"sanctions": active})


@require_POST
@moderator_required
def lift_sanction(request, pk: int):
    sanction = get_object_or_404(AuthorSanction, pk=pk)
    services.lift_sanction(actor=request.user, sanction=sanction, reason=request.POST.get("reason", "")[:200])
    messages.success(request, _("Sanction lifted."))
    return redirect("comments:sanctions")


@require_http_methods(["GET", "POST"])
@moderator_required
def words(request):
    form = WordRuleForm(request.POST or None)
    write = partial(services.add_word_rule, actor=request.user)
    if request.method == "POST" and form.is_valid() and _written(request, form, write, _("Word added.")):
        return redirect("comments:words")
    return render(
        request,
        "comments/words.html",
        {"form": form, "rules": WordRule.objects.select_related("created_by")},
        status=400 if form.errors else 200,
    )


@require_POST
@moderator_required
def delete_word(request, pk: int):
    rule = get_object_or_404(WordRule, pk=pk)
    services.remove_word_rule(actor=request.user, rule=rule)
    messages.success(request, _("Word removed."))
    return redirect("comments:words")
