from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.comments import pipeline
from kelisim.comments.models import (
    APPROVE_REASONS,
    MAX_COMMENT_LENGTH,
    REJECT_REASONS,
    AuthorSanction,
    CommentReport,
    ReasonCode,
    WordRule,
)
from kelisim.core.text import normalise_text


class CommentForm(forms.Form):
    """Visitors give name, email (never shown) and text; accounts give text. Everything typed is
    kept when the form comes back with an error."""

    text = forms.CharField(
        label=_("Your comment"),
        strip=False,
        # The shared live counter (core/counter.js) shows how much is left in the template's id_text_counter.
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "class": "comment-text",
                "data-counter-max": MAX_COMMENT_LENGTH,
                "data-counter-target": "id_text_counter",
            }
        ),
        help_text=_("Plain text, at most 1500 characters. Links are checked by a moderator."),
        error_messages={"required": _("Write a comment first.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("Shown with your comment."),
        error_messages={"required": _("Please give your name.")},
    )
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("Never shown. Used only to tell you about replies if you ask, or for a moderator's note."),
        error_messages={
            "required": _("Please give your email address."),
            "invalid": _("Please give a valid email address."),
        },
    )
    notify_on_reply = forms.BooleanField(label=_("Email me when someone replies"), required=False)
    accept_policy = forms.BooleanField(
        label=_("I have read and accept the comment policy"),
        error_messages={"required": _("Please read and accept the comment policy.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Left empty by people; bots fill every field.
    website = forms.CharField(required=False, label=_("Leave this field empty"), max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_visitor = user is None or not user.is_authenticated
        if not self.is_visitor:
            del self.fields["name"]
            del self.fields["email"]
        self.fields["text"].widget.attrs["aria-describedby"] = "id_text_helptext id_text_counter"

    def clean_text(self):
        text = normalise_text(self.cleaned_data["text"])
        submission = pipeline.Submission(text=text, author=None)
        try:
            pipeline.check_length(submission)
            pipeline.check_markup(submission)
        except pipeline.Refused as refusal:
            raise forms.ValidationError(refusal.message, code=refusal.reason) from refusal
        return text

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""


class EditCommentForm(forms.Form):
    text = CommentForm.base_fields["text"]
    clean_text = CommentForm.clean_text


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )


class ModerationForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(code, label) for code, label in ReasonCode.choices if code in APPROVE_REASONS + REJECT_REASONS],
    )
    note = forms.CharField(
        label=_("Note to the author (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the author by email and shown to them with their comment."),
    )

    def clean(self):
        cleaned = super().clean()
        decision, reason = cleaned.get("decision"), cleaned.get("reason")
        if decision == "approve" and reason and reason not in APPROVE_REASONS:
            self.add_error("reason", _("Choose a reason that fits the decision."))
        if decision == "reject" and reason and reason not in REJECT_REASONS:
            self.add_error("reason", _("Choose a reason that fits the decision."))
        return cleaned


class BulkModerationForm(ModerationForm):
    comments = forms.TypedMultipleChoiceField(
        coerce=int, label=_("Comments"), error_messages={"required": _("Select at least one comment.")}
    )

    def __init__(self, *args, comment_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = [(pk, pk) for pk in comment_ids]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note to the author"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Sanction"), choices=AuthorSanction.Kind.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[(code, label) for code, label in ReasonCode.choices if code in REJECT_REASONS]
    )
    days = forms.IntegerField(
        label=_("Duration in days"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Required for a suspension; leave empty for a ban without end."),
    )
    note = forms.CharField(
        label=_("Explanation for the author"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == AuthorSanction.Kind.SUSPENSION and not cleaned.get("days"):
            self.add_error("days", _("A suspension needs a duration."))
        return cleaned


class WordRuleForm(forms.ModelForm):
    class Meta:
        model = WordRule
        fields = ["phrase", "kind", "language"]


class QueueFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("Waiting (held or hidden)")),
        ("pending", _("Held for moderation")),
        ("hidden", _("Hidden after reports")),
        ("unreviewed", _("Published without review")),
        ("approved", _("Published")),
        ("rejected", _("Rejected")),
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("Any reason")), *ReasonCode.choices], required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Any language")), ("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))],
        required=False,
    )
    target = forms.ChoiceField(label=_("Where"), required=False)
    q = forms.CharField(label=_("Text or author"), required=False, max_length=200)

    def __init__(self, *args, target_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("Everywhere")), *target_choices]
