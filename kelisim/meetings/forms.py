from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.consultations.models import Suggestion
from kelisim.core.fields import NOTE
from kelisim.core.i18n import lazy_interpolate, localized_fields, require_one_language
from kelisim.core.links import validate_web_url
from kelisim.meetings.models import MAX_ATTACHMENT_BYTES, ROUNDTABLE_FIELDS, Decision, Roundtable
from kelisim.organisations.models import Organisation


class RoundtableForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https", max_length=200, validators=[validate_web_url]
    )

    class Meta:
        model = Roundtable
        # The programme is not chosen on this page.
        fields = [*(name for name in ROUNDTABLE_FIELDS if name != "programme"), "invited_organisations"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "topic": forms.Textarea(attrs={"rows": 4}),
            "invited_organisations": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "starts_at": _("Astana time (Asia/Almaty)."),
            "invited_organisations": _(
                "Only these organisations' members can register when the roundtable is by invitation."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_organisations"].queryset = Organisation.objects.filter(
            verification_status=Organisation.Verification.VERIFIED
        ).order_by("name_ru")
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        require_one_language(data, "title", _("Give the title in at least one language."))
        return data

    def service_arguments(self) -> dict:
        """The cleaned data as ``services.save_roundtable`` takes it."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ROUNDTABLE_FIELDS if name in data}
        return {"invited_organisations": data["invited_organisations"], **fields}


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("On behalf of"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AgendaItemForm(forms.Form):
    starts_at = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600, initial=30)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    suggestion_references = forms.CharField(
        label=_("Suggestions to discuss"),
        required=False,
        max_length=NOTE,
        help_text=_("References separated by spaces, e.g. 2017-00012 2017-00031."),
    )
    plan_item_codes = forms.CharField(
        label=_("Plan items to discuss"),
        required=False,
        max_length=NOTE,
        help_text=_("Item IDs separated by spaces, e.g. AP-0003."),
    )

    def clean_suggestion_references(self):
        references = self.cleaned_data["suggestion_references"].replace(",", " ").split()
        found = {suggestion.reference: suggestion for suggestion in Suggestion.objects.filter(reference__in=references)}
        missing = [reference for reference in references if reference not in found]
        if missing:
            raise forms.ValidationError(_("No suggestion has the reference %(refs)s.") % {"refs": ", ".join(missing)})
        return [found[reference] for reference in references]

    def clean(self):
        data = super().clean()
        require_one_language(data, "title", _("Give the title in at least one language."))
        return data

    def service_arguments(self) -> dict:
        """The cleaned data as ``services.save_agenda_item`` takes it."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("starts_at", "duration_minutes", *localized_fields("title"), "plan_item_codes")
        }
        return {"suggestions": data["suggestion_references"], **fields}


class AttendanceForm(forms.Form):
    """One number field per registered or invited organisation, built from the roundtable."""

    def __init__(self, *args, organisations, counts, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        for organisation in self.organisations:
            self.fields[f"org_{organisation.pk}"] = forms.IntegerField(
                label=organisation.name,
                min_value=0,
                max_value=5000,
                required=False,
                initial=counts.get(organisation.pk, 0),
            )
        self.fields["other_organisation"] = forms.ModelChoiceField(
            queryset=Organisation.objects.order_by("name_ru"), required=False, label=_("Another organisation")
        )
        self.fields["other_people"] = forms.IntegerField(
            label=_("People from it"), min_value=0, max_value=5000, required=False
        )

    def counts(self) -> dict:
        data = {
            organisation: self.cleaned_data.get(f"org_{organisation.pk}") or 0 for organisation in self.organisations
        }
        other = self.cleaned_data.get("other_organisation")
        if other is not None:
            data[other] = self.cleaned_data.get("other_people") or 0
        return data


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: headings with ##, lists with -, links. Published when the roundtable is closed."),
        max_length=100_000,
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=lazy_interpolate(
            _("PDF, DOCX, XLSX, PNG or JPEG, up to %(limit)d MB."), {"limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        ),
    )


def _wording_fields() -> dict:
    return {
        f"text_{code}": forms.CharField(
            label=label, widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, required=False
        )
        for code, label in (
            ("ru", _("Wording of the decision (Russian)")),
            ("kk", _("Wording of the decision (Kazakh)")),
            ("en", _("Wording of the decision (English)")),
        )
    }


class DecisionTextsForm(forms.Form):
    """The wording of a recorded decision, in each language (adding the missing translations)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_wording_fields())

    def clean(self):
        data = super().clean()
        require_one_language(data, "text", _("Write the decision down (for a decline: the reason)."))
        return data


class DecisionForm(forms.Form):
    """Merge, decline or defer. Incorporating into the plan has its own page in the plans app."""

    KINDS = [
        (Decision.Kind.DECLINE, Decision.Kind.DECLINE.label),
        (Decision.Kind.DEFER, Decision.Kind.DEFER.label),
        (Decision.Kind.MERGE, Decision.Kind.MERGE.label),
    ]
    suggestion = forms.ModelChoiceField(queryset=Suggestion.objects.none(), required=False, label=_("Suggestion"))
    kind = forms.ChoiceField(choices=KINDS, label=_("Decision"), widget=forms.RadioSelect)
    merge_into_reference = forms.CharField(label=_("Merge into (reference)"), required=False, max_length=20)

    field_order = ["suggestion", "kind", "text_ru", "text_kk", "text_en", "merge_into_reference"]

    def __init__(self, *args, agenda_item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_wording_fields())
        self.fields["text_ru"].help_text = _("For a decline, the reason; it is published as the official answer.")
        self.order_fields(self.field_order)
        self.fields["suggestion"].queryset = agenda_item.suggestions.all()
        self.fields["suggestion"].label_from_instance = lambda s: f"{s.reference} — {s.display_title}"

    def clean_merge_into_reference(self):
        reference = self.cleaned_data["merge_into_reference"].strip()
        if not reference:
            return None
        suggestion = Suggestion.objects.filter(reference=reference).first()
        if suggestion is None:
            raise forms.ValidationError(_("No suggestion has this reference."))
        return suggestion

    def clean(self):
        data = super().clean()
        require_one_language(data, "text", _("Write the decision down (for a decline: the reason)."))
        return data

    def service_arguments(self) -> dict:
        """The cleaned data as ``services.record_decision`` takes it."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            **{name: data[name] for name in localized_fields("text")},
            "suggestion": data["suggestion"],
            "merge_into": data["merge_into_reference"],
        }
