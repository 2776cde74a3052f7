from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import ContentLanguage
from kelisim.core.links import validate_web_url
from kelisim.core.models import Region, Strand
from kelisim.organisations.models import PROFILE_FIELDS, ImportJob, Membership, Organisation, language_codes
from kelisim.organisations.selectors import OrganisationFilters
from kelisim.organisations.services import clean_new_bin

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def optional_code_choice(label, queryset, empty_label, *, field_class=forms.ModelChoiceField):
    """An optional choice of a region, strand or field, given in the address by its code."""
    return field_class(label=label, queryset=queryset, required=False, empty_label=empty_label, to_field_name="code")


class OrganisationSearchForm(forms.Form):
    """The public list's filters: a GET form, so every result page has its own address."""

    SORT_CHOICES = [
        ("relevance", _("Best match")),
        ("name", _("Name, A to Z")),
        ("-name", _("Name, Z to A")),
        ("-registration_date", _("Newest registration first")),
        ("registration_date", _("Oldest registration first")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Name in Kazakh, Russian or English, BIN, or words from the description."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    region = optional_code_choice(_("Region"), Region.objects.all(), _("All regions"))
    strand = optional_code_choice(_("Strand"), Strand.objects.all(), _("All strands"))
    verified = forms.BooleanField(label=_("Verified organisations only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def filters(self) -> OrganisationFilters:
        if not self.is_valid():
            return OrganisationFilters()
        data = self.cleaned_data
        return OrganisationFilters(
            query=data.get("q") or "",
            region=data.get("region"),
            strand=data.get("strand"),
            verified_only=bool(data.get("verified")),
            sort=data.get("sort") or "",
        )


class LanguagesField(forms.MultipleChoiceField):
    """Working languages as checkboxes, stored as sorted codes ("kk,ru")."""

    def __init__(self, **kwargs):
        super().__init__(choices=ContentLanguage.choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return language_codes(value)
        return value

    def clean(self, value):
        return ",".join(sorted(set(super().clean(value))))


class OrganisationProfileForm(forms.ModelForm):
    """What an NGO admin keeps up to date. The BIN is fixed once registered."""

    working_languages = LanguagesField(label=_("Working languages"))
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https", validators=[validate_web_url]
    )
    focus_strands = forms.ModelMultipleChoiceField(
        label=_("Programme strands"),
        queryset=Strand.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        # The profile, with the strands beside the address.
        fields = [*PROFILE_FIELDS[: PROFILE_FIELDS.index("address") + 1], "focus_strands"]
        fields += PROFILE_FIELDS[PROFILE_FIELDS.index("address") + 1 :]
        widgets = {
            "registration_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description_kk": forms.Textarea(attrs={"rows": 4}),
            "description_ru": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "name_kk": _("Give the name in at least one language."),
            "public_email": _("Shown to everyone."),
            "public_phone": _("Shown to everyone."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("working_languages", self.instance.working_languages)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ("name_kk", "name_ru", "name_en")):
            self.add_error("name_kk", _("Give the name in at least one language."))
        return cleaned

    def _post_clean(self):
        # The model's full_clean runs in the service; here only the form's own rules.
        pass

    def profile_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "focus_strands"}

    def profile(self) -> dict:
        """The service's keyword arguments: the profile's fields and its strands."""
        return {"data": self.profile_data(), "strands": list(self.cleaned_data["focus_strands"])}


class OrganisationRegistrationForm(OrganisationProfileForm):
    bin = forms.CharField(
        label=_("BIN"),
        max_length=14,
        help_text=_("The organisation's business identification number: 12 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta(OrganisationProfileForm.Meta):
        fields = ["bin", *OrganisationProfileForm.Meta.fields]

    def clean_bin(self):
        return clean_new_bin(self.cleaned_data["bin"])

    def profile_data(self) -> dict:
        return {**super().profile_data(), "bin": self.cleaned_data["bin"]}


class VerificationForm(forms.Form):
    """An officer's decision on an organisation, starting from its present status and note."""

    def __init__(self, *args, organisation: Organisation, **kwargs):
        initial = {"status": organisation.verification_status, "note": organisation.verification_note}
        super().__init__(*args, initial=initial, **kwargs)

    def move(self) -> dict:
        """``transition_verification``'s keyword arguments: the status to move to and why (the note)."""
        return {"to": self.cleaned_data["status"], "reason": self.cleaned_data["note"]}

    status = forms.ChoiceField(label=_("Verification status"), choices=Organisation.Verification.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why: which documents were checked, or what is missing. Kept in the history."),
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ImportForm(forms.Form):
    source = forms.FileField(
        label=_("File"),
        help_text=_("A .csv (UTF-8) or .xlsx file whose first row names the columns described below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    mode = forms.ChoiceField(
        label=_("What to do with rows that have errors"),
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def clean_source(self):
        source = self.cleaned_data["source"]
        if not source.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Please upload a .csv or .xlsx file."), code="file_type")
        if source.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."), code="file_size")
        return source
