from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kelisim.activities.models import (
    ATTENDANCE_FIELDS,
    ActivityReport,
    ActivityType,
    Audience,
    IndicatorRule,
    audience_codes,
)
from kelisim.activities.selectors import PERIODS, DashboardFilters
from kelisim.activities.validation import Problem, check_links, cross_field_problems, milestone_code, partner_ids
from kelisim.core.i18n import ContentLanguage
from kelisim.core.links import validate_web_url
from kelisim.core.models import Region, Strand
from kelisim.organisations.models import Expert, Organisation

REPORT_FIELDS = [
    "activity_type",
    "title",
    "description",
    "start_date",
    "end_date",
    "region",
    "settlement",
    "venue_type",
    "strand",
    "plan_item",
    "milestone",
    *ATTENDANCE_FIELDS,
    "online_posts",
    "online_views",
    "online_shares",
    "material_links",
    "material_file",
]


class ReportForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=ContentLanguage.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    audience_list = forms.MultipleChoiceField(
        label=_("Audience categories"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    lecturers = forms.ModelMultipleChoiceField(
        label=_("Lecturers from the expert roster"), queryset=Expert.objects.none(), required=False
    )
    # BINs rather than a list to pick from: the registry holds tens of thousands of organisations.
    partners = forms.CharField(
        label=_("Partner organisations"),
        required=False,
        max_length=1000,
        help_text=_(
            "Their BINs (12 digits) separated by semicolons, for example 010140000018; 990240004562. "
            "Each must be in the NGO registry."
        ),
    )

    class Meta:
        model = ActivityReport
        fields = REPORT_FIELDS
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "material_links": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        from kelisim.funding.models import Milestone
        from kelisim.plans.models import TrackedItem

        self.fields["milestone"].queryset = Milestone.objects.filter(
            contract__application__organisation=organisation
        ).select_related("contract")
        # The same "contract/number" code the XLSX import's milestone column takes.
        self.fields["milestone"].label_from_instance = lambda milestone: (
            f"{milestone_code(milestone.contract.number, milestone.position)}: {milestone}"
        )

        self.fields["plan_item"].queryset = TrackedItem.objects.filter(first_published_in__isnull=False).order_by(
            "code"
        )
        # Only experts who agreed to be listed (the report page names and links them), and any already linked.
        linked = list(self.instance.lecturers.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["lecturers"].queryset = Expert.objects.filter(Q(is_listed=True) | Q(pk__in=linked)).order_by(
            "full_name", "pk"
        )
        self.fields["lecturers"].widget.attrs["size"] = 6
        if self.instance.pk:
            self.initial.setdefault("languages", [c for c in self.instance.languages.split(",") if c])
            self.initial.setdefault("audience_list", audience_codes(self.instance.audiences))
            self.initial.setdefault("lecturers", linked)
            self.initial.setdefault("partners", "; ".join(self.instance.partners.values_list("bin", flat=True)))

    def clean_material_links(self) -> str:
        try:
            return check_links(self.cleaned_data["material_links"])
        except Problem as problem:
            raise forms.ValidationError(problem.message) from None

    def clean_partners(self) -> list[int]:
        try:
            return partner_ids(self.cleaned_data["partners"])
        except Problem as problem:
            raise forms.ValidationError(problem.message) from None

    def clean(self):
        cleaned = super().clean()
        for problem in cross_field_problems(cleaned):
            self.add_error(problem.column, problem.message)
        return cleaned

    def report_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in REPORT_FIELDS if name in self.cleaned_data}
        if not data.get("material_file"):
            data.pop("material_file", None)
        data["languages"] = ",".join(self.cleaned_data.get("languages") or [])
        data["audiences"] = ",".join(self.cleaned_data.get("audience_list") or [])
        return data


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be corrected"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ImportForm(forms.Form):
    source = forms.FileField(label=_("Filled-in template (.xlsx)"))


class DashboardForm(forms.Form):
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    strand = forms.ModelChoiceField(label=_("Strand"), queryset=Strand.objects.all(), required=False)
    activity_type = forms.ChoiceField(
        label=_("Type of activity"), choices=[("", "—"), *ActivityType.choices], required=False
    )
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    by = forms.ChoiceField(label=_("Show by"), required=False, choices=[])
    period = forms.ChoiceField(label=_("Period"), choices=list(PERIODS.items()), required=False)

    def __init__(self, *args, **kwargs):
        from kelisim.activities.selectors import DIMENSIONS

        super().__init__(*args, **kwargs)
        self.fields["by"].choices = list(DIMENSIONS.items())

    def filters(self) -> DashboardFilters:
        if not self.is_valid():
            return DashboardFilters()
        data = self.cleaned_data
        organisation = None
        if data.get("organisation"):
            organisation = Organisation.objects.filter(pk=data["organisation"]).first()
        return DashboardFilters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            region=data.get("region"),
            strand=data.get("strand"),
            organisation=organisation,
            activity_type=data.get("activity_type") or "",
            by=data.get("by") or "region",
            period=data.get("period") or "quarter",
        )


class IndicatorSourceForm(forms.Form):
    rule = forms.ChoiceField(label=_("How the value is obtained"), choices=IndicatorRule.choices)


class ManualValueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    evidence_url = forms.URLField(
        label=_("Evidence (link)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[validate_web_url],
    )
    evidence_file = forms.FileField(label=_("Evidence (file)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("evidence_url") and not cleaned.get("evidence_file"):
            raise forms.ValidationError(_("Give the evidence: a link or a file."))
        return cleaned
