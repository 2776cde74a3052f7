import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.core.fields import NOTE
from kelisim.core.i18n import require_one_language
from kelisim.core.links import validate_web_url
from kelisim.core.models import Region, Strand
from kelisim.meetings.models import Decision
from kelisim.organisations.models import Organisation
from kelisim.plans.models import ITEM_FACTS, ItemStatus, Objective, PlanItem, PlanVersion, ProgressSource
from kelisim.plans.progress import REFUSAL

MEASURE = PlanItem._meta.get_field("text_ru").max_length


class StartVersionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of version"), choices=[])
    note = forms.CharField(label=_("What will change"), max_length=500, required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, PlanVersion.Kind(kind).label) for kind in kinds]


class PublishForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Date of adoption"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required for the adopted plan and its revisions."),
    )


class ObjectiveForm(forms.Form):
    strand = forms.ModelChoiceField(label=_("Strand"), queryset=Strand.objects.all())
    title_ru = forms.CharField(label=_("Objective (Russian)"), max_length=500, required=False)
    title_kk = forms.CharField(label=_("Objective (Kazakh)"), max_length=500, required=False)
    title_en = forms.CharField(label=_("Objective (English)"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("title_ru") or data.get("title_kk") or data.get("title_en")):
            raise forms.ValidationError(_("Write the objective in at least one language."))
        return data


def parse_bins(value: str):
    bins = re.findall(r"\d{12}", value or "")
    found = {organisation.bin: organisation for organisation in Organisation.objects.filter(bin__in=bins)}
    missing = [number for number in bins if number not in found]
    if missing:
        raise forms.ValidationError(_("No organisation has the BIN %(bins)s.") % {"bins": ", ".join(missing)})
    return [found[number] for number in bins]


class ItemForm(forms.Form):
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=Objective.objects.none())
    text_ru = forms.CharField(
        label=_("Measure (Russian)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MEASURE
    )
    text_kk = forms.CharField(
        label=_("Measure (Kazakh)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MEASURE
    )
    text_en = forms.CharField(
        label=_("Measure (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MEASURE
    )
    responsible_body = forms.CharField(label=_("Responsible body"), max_length=300)
    partner_bins = forms.CharField(
        label=_("Partner organisations"),
        required=False,
        max_length=NOTE,
        help_text=_("Their BINs, separated by spaces."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a nationwide measure."),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    completion_form = forms.CharField(label=_("Form of completion"), max_length=300, required=False)
    budget_kzt = forms.DecimalField(
        label=_("Budget, KZT"), required=False, min_value=0, max_digits=16, decimal_places=0
    )
    budget_source = forms.CharField(label=_("Source of funding"), max_length=200, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = version.objectives.select_related("strand")

    def clean_partner_bins(self):
        return parse_bins(self.cleaned_data["partner_bins"])

    def clean(self):
        data = super().clean()
        if not (data.get("text_ru") or data.get("text_kk") or data.get("text_en")):
            raise forms.ValidationError(_("Describe the measure in at least one language."))
        return data

    def item_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("text_kk", "text_ru", "text_en", *ITEM_FACTS)}


TARGET_LINE = re.compile(r"^\s*(?:(KZ-\w+)\s+)?(\d{4})\s*[:=]\s*([\d\s.,]+)\s*$")


class IndicatorForm(forms.Form):
    name_ru = forms.CharField(label=_("Indicator (Russian)"), max_length=300, required=False)
    name_kk = forms.CharField(label=_("Indicator (Kazakh)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Indicator (English)"), max_length=300, required=False)
    unit_ru = forms.CharField(label=_("Unit (Russian)"), max_length=50, required=False)
    unit_kk = forms.CharField(label=_("Unit (Kazakh)"), max_length=50, required=False)
    unit_en = forms.CharField(label=_("Unit (English)"), max_length=50, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, max_digits=14, decimal_places=2)
    targets = forms.CharField(
        label=_("Yearly targets"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=NOTE,
        help_text=_("One per line: “2018: 120”, or by region “KZ-71 2018: 20”."),
    )

    def clean_targets(self):
        rows = []
        regions = {region.code: region for region in Region.objects.all()}
        for number, line in enumerate(self.cleaned_data["targets"].splitlines(), start=1):
            if not line.strip():
                continue
            match = TARGET_LINE.match(line)
            if not match:
                raise forms.ValidationError(_("Line %(line)d is not like “2018: 120”.") % {"line": number})
            code, year, value = match.groups()
            if code and code not in regions:
                raise forms.ValidationError(
                    _("Line %(line)d: no region has the code %(code)s.") % {"line": number, "code": code}
                )
            try:
                amount = Decimal(value.replace(" ", "").replace(",", "."))
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(line)d: the target is not a number.") % {"line": number}
                ) from None
            rows.append((int(year), regions.get(code) if code else None, amount))
        return rows

    def clean(self):
        data = super().clean()
        if not (data.get("name_ru") or data.get("name_kk") or data.get("name_en")):
            raise forms.ValidationError(_("Write the indicator in at least one language."))
        require_one_language(data, "unit", _("Give the unit in at least one language."))
        return data


class IncorporateForm(forms.Form):
    suggestion = forms.ModelChoiceField(label=_("Suggestion"), queryset=None)
    text_ru = forms.CharField(
        label=_("Wording of the decision (Russian)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    text_kk = forms.CharField(
        label=_("Wording of the decision (Kazakh)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    text_en = forms.CharField(
        label=_("Wording of the decision (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    acceptance = forms.ChoiceField(
        label=_("The suggestion is"),
        choices=Decision.Acceptance.choices,
        initial=Decision.Acceptance.ACCEPTED,
        widget=forms.RadioSelect,
    )
    existing_item = forms.ChoiceField(
        label=_("Into an existing item"), required=False, help_text=_("Or leave empty and describe a new item below.")
    )
    objective = forms.ModelChoiceField(
        label=_("New item: objective"), queryset=Objective.objects.none(), required=False
    )
    new_text_ru = forms.CharField(
        label=_("New item: measure (Russian)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MEASURE,
    )
    new_text_kk = forms.CharField(
        label=_("New item: measure (Kazakh)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MEASURE,
    )
    new_text_en = forms.CharField(
        label=_("New item: measure (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MEASURE,
    )
    responsible_body = forms.CharField(label=_("New item: responsible body"), max_length=300, required=False)

    def __init__(self, *args, agenda_item, items, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestion"].queryset = agenda_item.suggestions.all()
        self.fields["suggestion"].label_from_instance = lambda s: f"{s.reference} — {s.display_title}"
        self.fields["existing_item"].choices = [("", "—")] + [
            (item.tracked.code, f"{item.number} ({item.tracked.code}) {item.text[:80]}") for item in items
        ]
        self.fields["objective"].queryset = objectives
        self.fields["objective"].label_from_instance = lambda o: f"{o.strand.name}: {o.title}"

    def clean(self):
        data = super().clean()
        require_one_language(data, "text", _("Write the wording of the decision in at least one language."))
        new_text = data.get("new_text_ru") or data.get("new_text_kk") or data.get("new_text_en")
        if data.get("existing_item"):
            if new_text:
                raise forms.ValidationError(_("Choose an existing item or describe a new one, not both."))
        elif not (new_text and data.get("objective") and data.get("responsible_body")):
            raise forms.ValidationError(
                _("Choose an existing item, or give the new item's objective, measure and responsible body.")
            )
        return data


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    progress = forms.IntegerField(label=_("Progress, %"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    evidence_url = forms.URLField(
        label=_("Evidence (link)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[validate_web_url],
        help_text=_("A report, a publication, photos."),
    )

    def __init__(self, *args, follows_indicators: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.follows_indicators = follows_indicators
        if follows_indicators:
            # The figure is computed; the officer still reports the status and what was done.
            del self.fields["progress"]

    def clean(self):
        cleaned = super().clean()
        if self.follows_indicators and (self.data.get("progress") or "").strip():
            # A form opened before the item was switched to its indicators: refuse the figure, keep the rest.
            raise forms.ValidationError(REFUSAL)
        return cleaned


class ProgressSourceForm(forms.Form):
    source = forms.ChoiceField(
        label=_("How the progress is obtained"),
        choices=ProgressSource.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Following its indicators, the progress is the mean, over the indicators with a target for the year, of "
            "the actual value as a share of the target (at most 100 %), recomputed whenever their values change."
        ),
    )


class PlanFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Words"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    body = forms.ChoiceField(label=_("Responsible body"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *list(ItemStatus.choices)])

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("All"))] + [(body, body) for body in bodies]
