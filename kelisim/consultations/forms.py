from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.models import Role, User
from kelisim.accounts.permissions import is_signed_in
from kelisim.consultations import validation
from kelisim.consultations.models import (
    ANSWERED_STATUSES,
    RECORDED_CHANNELS,
    TEXT_MAX_LENGTH,
    TEXT_MIN_LENGTH,
    Channel,
    DocumentVersion,
    Section,
    Status,
    Suggestion,
)
from kelisim.consultations.selectors import SORTS
from kelisim.core.fields import DOCUMENT, NOTE
from kelisim.core.i18n import ContentLanguage, lazy_interpolate
from kelisim.core.models import Region, Strand

ANSWER_LENGTH = Suggestion._meta.get_field("official_answer").max_length
# A whole draft (every section) in one text: many sections of at most DOCUMENT characters each.
IMPORT_LENGTH = 10 * DOCUMENT


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your suggestion"),
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "data-counter-max": TEXT_MAX_LENGTH,
                "data-counter-target": "text-counter",
                "aria-describedby": "text-help text-counter",
            }
        ),
        strip=False,
        help_text=lazy_interpolate(
            _("Between %(min)d and %(max)d characters."), {"min": TEXT_MIN_LENGTH, "max": TEXT_MAX_LENGTH}
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    strand = forms.ModelChoiceField(
        label=_("Strand"), queryset=Strand.objects.all(), required=False, empty_label=_("— not sure —")
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("— whole country —")
    )
    language = forms.ChoiceField(
        label=_("Language of your text"),
        choices=[("", _("Detect automatically")), *ContentLanguage.choices],
        required=False,
    )
    anonymous = forms.BooleanField(label=_("Send without my name"), required=False)
    contact_email = forms.EmailField(
        label=_("Email for the answer (optional)"),
        required=False,
        help_text=_("We send one confirmation link and, later, the answer. The address is never published."),
    )
    # A field people never see; software that fills every field gives itself away.
    website = forms.CharField(required=False, label=_("Leave this field empty"), max_length=200)

    def __init__(self, *args, user=None, version: DocumentVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        signed_in = is_signed_in(user)
        if signed_in:
            del self.fields["contact_email"]
            if not version.allow_anonymous:
                del self.fields["anonymous"]
        else:
            del self.fields["anonymous"]

    def clean_text(self):
        return validation.clean_text(self.cleaned_data.get("text", ""))

    def clean_contact_email(self):
        return validation.clean_contact_email(self.cleaned_data.get("contact_email", ""))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Your suggestion could not be accepted. Please try again."))
        return ""


class SuggestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    version = forms.ModelChoiceField(
        label=_("Document"),
        queryset=DocumentVersion.objects.filter(is_published=True).select_related("document"),
        required=False,
        empty_label=_("All documents"),
    )
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), required=False, empty_label=_("All sections")
    )
    strand = forms.ModelChoiceField(
        label=_("Strand"), queryset=Strand.objects.all(), required=False, empty_label=_("All strands")
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All statuses")), *Status.choices], required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All languages")), *ContentLanguage.choices], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("All regions")
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("support", _("Most supported")),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version_id = self.data.get("version")
        if version_id and str(version_id).isdigit():
            self.fields["section"].queryset = Section.objects.filter(version_id=version_id)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"sort": "newest"}
        data = dict(self.cleaned_data)
        if data.get("sort") not in SORTS:
            data["sort"] = "newest"
        return data


class TriageFilterForm(SuggestionFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Waiting for an answer")), ("", _("All statuses")), *Status.choices],
        required=False,
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        choices=[("", _("Anyone")), ("me", _("To me")), ("none", _("Not assigned"))],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("oldest", _("Waiting longest")), ("newest", _("Newest first")), ("support", _("Most supported"))],
        required=False,
    )

    # What the queue applies when the address does not say: the form shows these too, so that pressing
    # "Show" without changing anything keeps the same list (issue 15: 147 under "All statuses", then 301).
    DEFAULTS = {"status": "open", "sort": "oldest"}

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        for name, value in self.DEFAULTS.items():
            data.setdefault(name, value)
        super().__init__(data, *args, **kwargs)

    def filters(self, user=None) -> dict:
        data = super().filters()
        if self.data.get("status") == "open":
            data["status"] = [Status.RECEIVED, Status.UNDER_REVIEW]
        if data.get("assigned") == "me":
            data["assigned_to"] = user
        elif data.get("assigned") == "none":
            data["unassigned"] = True
        if not data.get("sort"):
            data["sort"] = "oldest"
        return data


def officers():
    return (
        User.objects.filter(is_active=True, role_grants__role__in=[Role.OFFICER, Role.ADMINISTRATOR])
        .distinct()
        .order_by("display_name", "email")
    )


class BulkActionForm(forms.Form):
    ACTIONS = [("answer", _("Answer")), ("assign", _("Assign")), ("merge", _("Merge into the first selected"))]

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", "—"), *[(code, label) for code, label in Status.choices if code in ANSWERED_STATUSES]],
        required=False,
    )
    answer = forms.CharField(
        label=_("Official answer"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=ANSWER_LENGTH
    )
    assignee = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none(), required=False)
    reason = forms.CharField(label=_("Note for the history"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers()

    def clean(self):
        data = super().clean()
        if data.get("action") == "answer":
            if not data.get("status"):
                self.add_error("status", _("Choose the status of the answer."))
            if not (data.get("answer") or "").strip():
                self.add_error("answer", _("Write the official answer."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[c for c in Status.choices if c[0] != Status.MERGED])
    answer = forms.CharField(
        label=_("Official answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=ANSWER_LENGTH,
        help_text=_("Published with the status and sent to the author."),
    )
    reason = forms.CharField(label=_("Note for the history"), max_length=500, required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Officer"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers()


class MergeForm(forms.Form):
    duplicates = forms.CharField(
        label=_("References of the duplicates"),
        max_length=NOTE,
        help_text=_("Separated by spaces or commas, e.g. 2017-00042 2017-00057."),
    )
    reason = forms.CharField(label=_("Note for the history"), max_length=500, required=False)

    def clean_duplicates(self):
        references = [part for part in self.cleaned_data["duplicates"].replace(",", " ").split() if part]
        if not references:
            raise ValidationError(_("Give at least one reference."))
        return references


class RecordSuggestionForm(forms.Form):
    """An officer types in a suggestion received by letter, phone, at a meeting or by forwarded email."""

    version = forms.ModelChoiceField(label=_("Consultation"), queryset=DocumentVersion.objects.none(), empty_label=None)
    channel = forms.ChoiceField(
        label=_("Received by"), choices=[(code, Channel(code).label) for code in RECORDED_CHANNELS]
    )
    received_on = forms.DateField(
        label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    text = forms.CharField(
        label=_("The suggestion, as received"),
        widget=forms.Textarea(attrs={"rows": 8, "data-counter-max": TEXT_MAX_LENGTH}),
        strip=False,
        help_text=_("Between %(min)d and %(max)d characters.") % {"min": TEXT_MIN_LENGTH, "max": TEXT_MAX_LENGTH},
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=[("", _("Detect automatically")), *ContentLanguage.choices],
        required=False,
    )
    contact_email = forms.EmailField(
        label=_("Their email for the answer (optional)"),
        required=False,
        help_text=_("They receive a confirmation link; the address is used only once they confirm it."),
    )
    contact_note = forms.CharField(
        label=_("Other contact (optional, private)"),
        max_length=300,
        required=False,
        help_text=_("A phone number or postal address for the answer. Never published."),
    )
    scan = forms.FileField(
        label=_("Scan of the letter (optional)"), required=False, help_text=_("PDF, PNG or JPEG, up to 10 MB.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = (
            DocumentVersion.objects.filter(is_published=True)
            .select_related("document")
            .order_by("-closes_at", "document__slug")
        )

    def clean_text(self):
        return validation.clean_text(self.cleaned_data.get("text", ""))


class PairDecisionForm(forms.Form):
    """Sent by the "same proposal" / "not the same" buttons beside a possible duplicate: "confirmed 2017-00042"."""

    choice = forms.RegexField(regex=r"^(confirmed|dismissed) [\w-]{1,20}$")

    def clean(self):
        data = super().clean()
        if "choice" in data:
            data["decision"], data["reference"] = data["choice"].split(" ", 1)
        return data


class ThresholdForm(forms.Form):
    threshold = forms.FloatField(
        label=_("Show possible duplicates from this score"),
        min_value=0.2,
        max_value=1.0,
        help_text=_("Between 0.2 and 1. Lower shows more possible duplicates (and more false ones)."),
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )


def _default_opens():
    return timezone.localtime().replace(second=0, microsecond=0)


class ImportForm(forms.Form):
    MODES = [("version", _("A new version")), ("translation", _("A translation of the latest version"))]

    mode = forms.ChoiceField(label=_("What is this text?"), choices=MODES, widget=forms.RadioSelect, initial="version")
    language = forms.ChoiceField(label=_("Language of the text"), choices=ContentLanguage.choices)
    markdown = forms.CharField(
        label=_("Text in Markdown"),
        max_length=IMPORT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Headings (#, ##) become sections; each paragraph or list item becomes a paragraph."),
        required=False,
    )
    markdown_file = forms.FileField(label=_("…or a Markdown file"), required=False)
    opens_at = forms.DateTimeField(
        label=_("Consultation opens"),
        initial=_default_opens,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Consultation closes"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    allow_anonymous = forms.BooleanField(label=_("Anonymous suggestions allowed"), required=False, initial=True)
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("markdown_file")
        if upload:
            try:
                data["markdown"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("markdown_file", _("The file must be UTF-8 text."))
        if not (data.get("markdown") or "").strip() and not self.errors:
            self.add_error("markdown", _("Paste the text or choose a file."))
        if data.get("mode") == "version":
            if not data.get("opens_at"):
                self.add_error("opens_at", _("Give the opening date."))
            if not data.get("closes_at"):
                self.add_error("closes_at", _("Give the closing date."))
        return data


class WindowForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Consultation opens"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Consultation closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    allow_anonymous = forms.BooleanField(label=_("Anonymous suggestions allowed"), required=False)
    is_published = forms.BooleanField(label=_("Published"), required=False)
    intake_address = forms.EmailField(
        label=_("Intake email address"),
        required=False,
        help_text=_(
            "Emails sent to this address (delivered to the intake mailbox) become suggestions on this version; "
            "the public page shows it. Leave empty for none."
        ),
    )
