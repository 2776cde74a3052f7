import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.models import Role, User
from kelisim.core.fields import DESCRIPTION, LONG_TEXT
from kelisim.core.i18n import require_one_language
from kelisim.core.models import Region, Strand
from kelisim.funding import rules
from kelisim.funding.models import Call, Contract, Criterion, Question
from kelisim.funding.services.applications import BudgetRow, Determination
from kelisim.funding.services.calls import CALL_FIELDS
from kelisim.plans.models import TrackedItem

# A budget table has as many lines as the applicant adds, up to this many.
MAX_BUDGET_LINES = 50
_BUDGET_KEY = re.compile(r"budget_(item|amount)_(\d{1,3})")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CallForm(forms.ModelForm):
    """Times are typed and shown in Almaty time (the site's time zone)."""

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        widgets = {
            "opens_at": LocalDateTimeInput(),
            "closes_at": LocalDateTimeInput(),
            "strands": forms.CheckboxSelectMultiple,
            "eligible_regions": forms.CheckboxSelectMultiple,
            "reviewer_pool": forms.CheckboxSelectMultiple,
            "description_kk": forms.Textarea(attrs={"rows": 4}),
            "description_ru": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"opens_at": _("Almaty time."), "closes_at": _("Almaty time.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strands"].queryset = Strand.objects.all()
        self.fields["eligible_regions"].queryset = Region.objects.all()
        self.fields["plan_items"].queryset = TrackedItem.objects.filter(first_published_in__isnull=False)
        self.fields["plan_items"].required = False
        self.fields["reviewer_pool"].queryset = User.objects.filter(role_grants__role=Role.REVIEWER).distinct()
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["kind", "label_kk", "label_ru", "label_en", "help_text", "required", "max_length", "choices"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name_kk", "name_ru", "name_en", "guidance", "weight"]


class StatusForm(forms.Form):
    status = forms.CharField(widget=forms.HiddenInput, max_length=20)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


def _amount(text: str) -> Decimal | None:
    cleaned = (text or "").replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value >= 0 else None


def typed_budget_lines(data) -> list[tuple[str, str]]:
    """The budget lines as typed (item, amount), in their order, without the empty ones and without the one the
    applicant asked to remove (``remove_line``)."""
    indices = sorted({int(match.group(2)) for key in data if (match := _BUDGET_KEY.fullmatch(key))})
    removed = data.get("remove_line")
    lines = []
    for index in indices:
        if str(index) == removed:
            continue
        item = (data.get(f"budget_item_{index}") or "").strip()
        amount = (data.get(f"budget_amount_{index}") or "").strip()
        if item or amount:
            lines.append((item, amount))
    return lines[:MAX_BUDGET_LINES]


def _renumbered(data, lines: list[tuple[str, str]]):
    """``data`` with its budget lines numbered 0, 1, 2… as they are shown again (empty and removed ones gone)."""
    data = data.copy()
    for key in [key for key in data if _BUDGET_KEY.fullmatch(key)]:
        del data[key]
    for index, (item, amount) in enumerate(lines):
        data[f"budget_item_{index}"] = item
        data[f"budget_amount_{index}"] = amount
    return data


class ApplicationForm(forms.Form):
    """The application with the call's own questions. Binding never fails on content: the draft is kept
    whatever is typed, and the problems are shown beside the fields.

    A call's budget table (a ``Question.Kind.BUDGET`` question) has one row per line the applicant typed; an
    empty row is offered when there is none, and one more after "Add a line" (``action=add_line``), which
    saves the draft like any other button. Empty rows are dropped, and a row's "Remove" button
    (``remove_line=<row>``) drops that line.
    """

    title = forms.CharField(label=_("Project title"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000})
    )

    def __init__(self, data=None, files=None, *, questions=(), application=None, **kwargs):
        self.questions = list(questions)
        self.budget_question = rules.budget_question(self.questions)
        self.budget_errors: list[str] = []
        self.budget_problems: list[str] = []
        lines: list[tuple[str, str]] = []
        new_line = False
        if self.budget_question is not None:
            if data is not None:
                lines = typed_budget_lines(data)
                new_line = data.get("action") == "add_line"
                data = _renumbered(data, lines)
            elif application is not None:
                lines = [(line.item, f"{line.amount_kzt:.0f}") for line in application.budget_lines.all()]
        super().__init__(data, files, **kwargs)
        self.application = application
        for question in self.questions:
            if question.kind != Question.Kind.BUDGET:
                self.fields[question.field_name] = self._field_for(question)
        self.budget_lines = lines
        self.budget_full = len(lines) >= MAX_BUDGET_LINES
        rows = len(lines) + (1 if (new_line or not lines) and not self.budget_full else 0)
        self.budget_row_count = rows if self.budget_question is not None else 0
        for index in range(self.budget_row_count):
            item, amount = lines[index] if index < len(lines) else ("", "")
            item_attrs = {"autofocus": True} if new_line and index == len(lines) else {}
            self.fields[f"budget_item_{index}"] = forms.CharField(
                label=_("Budget item %(n)d") % {"n": index + 1},
                required=False,
                max_length=200,
                initial=item,
                widget=forms.TextInput(attrs=item_attrs),
            )
            self.fields[f"budget_amount_{index}"] = forms.CharField(
                label=_("Amount, KZT (line %(n)d)") % {"n": index + 1},
                required=False,
                max_length=40,
                initial=amount,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )
        if application is not None:
            self.initial.setdefault("title", application.title)
            self.initial.setdefault("summary", application.summary)
            for question in self.questions:
                if question.kind != Question.Kind.BUDGET:
                    self.initial.setdefault(question.field_name, application.answers.get(str(question.pk), ""))

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        common = {"label": question.label, "help_text": question.help_text, "required": False}
        kind = question.kind
        if kind == Question.Kind.LONG_TEXT:
            attrs = {"rows": 6}
            if question.max_length:
                # The shared live counter (core/counter.js) reads these; without JavaScript the limit is in the
                # help text and the server says how much is over (rules.check_answer).
                field_id = f"id_{question.field_name}"
                attrs |= {
                    "data-counter-max": question.max_length,
                    "data-counter-target": f"{field_id}_counter",
                    "aria-describedby": f"{field_id}_helptext {field_id}_counter",
                }
                limit = _("At most %(limit)d characters.") % {"limit": question.max_length}
                common["help_text"] = f"{question.help_text} {limit}".strip()
            return forms.CharField(widget=forms.Textarea(attrs=attrs), max_length=20000, **common)
        if kind == Question.Kind.NUMBER:
            return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), max_length=40, **common)
        if kind == Question.Kind.CHOICE:
            choices = [("", "—"), *[(option, option) for option in question.choice_list]]
            return forms.ChoiceField(choices=choices, **common)
        if kind == Question.Kind.DATE:
            return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), max_length=10, **common)
        if kind == Question.Kind.FILE:
            return forms.FileField(**common)
        return forms.CharField(max_length=300, **common)

    def question_fields(self) -> list[tuple[Question, forms.BoundField | None, int | None]]:
        """The call's questions in the officer's order: each with its bound field (None for the budget table,
        shown from ``budget_rows``) and the character limit its live counter shows."""
        return [
            (
                question,
                None if question.kind == Question.Kind.BUDGET else self[question.field_name],
                question.max_length if question.kind == Question.Kind.LONG_TEXT else None,
            )
            for question in self.questions
        ]

    def budget_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        """(row, item field, amount field) of the budget table, rows numbered from 0."""
        return [
            (index, self[f"budget_item_{index}"], self[f"budget_amount_{index}"])
            for index in range(self.budget_row_count)
        ]

    def values(self) -> tuple[str, str, dict, list[BudgetRow], dict]:
        """What was typed, for saving as it is; and the uploaded files by question."""
        data = self.data
        answers = {}
        files = {}
        for question in self.questions:
            if question.kind == Question.Kind.FILE:
                uploaded = self.files.get(question.field_name) if self.files else None
                if uploaded:
                    files[question.pk] = uploaded
            elif question.kind != Question.Kind.BUDGET:
                answers[str(question.pk)] = data.get(question.field_name, "")
        budget = []
        self.budget_problems = []
        for number, (item, raw_amount) in enumerate(self.budget_lines, start=1):
            amount = _amount(raw_amount)
            if amount is None:
                self.budget_problems.append(
                    _("Line %(n)d: “%(value)s” is not an amount in tenge.") % {"n": number, "value": raw_amount}
                )
                amount = Decimal(0)
            if not item:
                self.budget_problems.append(_("Line %(n)d: say what the money is for.") % {"n": number})
                item = "?"
            budget.append(BudgetRow(item=item, amount_kzt=amount))
        return data.get("title", ""), data.get("summary", ""), answers, budget, files

    def show_problems(self, problems: dict) -> None:
        for name, messages in problems.items():
            if name == "budget" and self.budget_question is not None:
                self.budget_errors.extend(messages)
                continue
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)

    @property
    def has_problems(self) -> bool:
        return bool(self.errors or self.budget_errors)


class DecisionRadioSelect(forms.RadioSelect):
    """Radio buttons of which some are shown disabled (the service refuses them all the same)."""

    disabled_values: frozenset = frozenset()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class DeterminationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Determination.APPROVE, _("Approve")),
            (Determination.CHANGES, _("Ask for changes")),
            (Determination.REJECT, _("Reject")),
        ],
        widget=DecisionRadioSelect,
    )
    amount_kzt = forms.DecimalField(
        label=_("Amount awarded, KZT"), required=False, max_digits=16, decimal_places=0, min_value=0
    )
    reason = forms.CharField(
        label=_("Reasons (sent to the applicant)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, reviews_in: int | None = None, **kwargs):
        """With ``reviews_in`` short of the minimum, approve and reject are shown disabled with the reason."""
        super().__init__(*args, **kwargs)
        if reviews_in is not None and rules.reviews_missing(reviews_in):
            self.fields["decision"].widget.disabled_values = frozenset({Determination.APPROVE, Determination.REJECT})
            self.fields["decision"].help_text = rules.decision_waits_for_reviews(reviews_in)


class AssignForm(forms.Form):
    """Only the reviewers the service accepts for the call (its pool, if it has one), not those already on it."""

    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = rules.assignable_reviewers(application.call).exclude(
            pk__in=application.assignments.exclude(reviewer=None).values("reviewer")
        )


class ConflictForm(forms.Form):
    note = forms.CharField(label=_("What is the conflict of interest?"), max_length=500)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=LONG_TEXT
    )

    def __init__(self, *args, criteria=(), scale_max=10, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("%(criterion)s (weight %(weight)d%%)")
                % {"criterion": criterion.name, "weight": criterion.weight},
                min_value=0,
                max_value=scale_max,
                help_text=criterion.guidance,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=DESCRIPTION,
            )

    def scores(self) -> dict:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data.get(f"comment_{c.pk}", ""))
            for c in self.criteria
        }


class ContractForm(forms.Form):
    number = forms.CharField(
        label=_("Contract number"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to number it automatically."),
    )
    period_start = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))


class ContractTextsForm(forms.Form):
    """The contract's public title and summary in each language (the title in one at least)."""

    title_ru = forms.CharField(label=_("Project title (Russian)"), max_length=300, required=False)
    title_kk = forms.CharField(label=_("Project title (Kazakh)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Project title (English)"), max_length=300, required=False)
    summary_ru = forms.CharField(
        label=_("Summary (Russian)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )
    summary_kk = forms.CharField(
        label=_("Summary (Kazakh)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )

    def clean(self):
        data = super().clean()
        require_one_language(data, "title", _("Give the project's title in at least one language."))
        return data


class MilestoneTextsForm(forms.Form):
    """A milestone's title and deliverables in each language (each given in one at least)."""

    title_ru = forms.CharField(label=_("Milestone (Russian)"), max_length=200, required=False)
    title_kk = forms.CharField(label=_("Milestone (Kazakh)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Milestone (English)"), max_length=200, required=False)
    deliverables_ru = forms.CharField(
        label=_("Deliverables (Russian)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION,
        required=False,
    )
    deliverables_kk = forms.CharField(
        label=_("Deliverables (Kazakh)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION,
        required=False,
    )
    deliverables_en = forms.CharField(
        label=_("Deliverables (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION,
        required=False,
    )

    def clean(self):
        data = super().clean()
        require_one_language(data, "title", _("Give the milestone's title in at least one language."))
        require_one_language(data, "deliverables", _("Give the deliverables in at least one language."))
        return data


class MilestoneForm(MilestoneTextsForm):
    due_date = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    tranche_kzt = forms.DecimalField(
        label=_("Payment tranche, KZT"), max_digits=16, decimal_places=0, min_value=0, initial=0
    )


class ContractStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Contract.Status.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class AmendmentForm(forms.Form):
    amount_kzt = forms.DecimalField(
        label=_("New amount, KZT"), required=False, max_digits=16, decimal_places=0, min_value=1
    )
    period_end = forms.DateField(
        label=_("New end date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. A plain FileField given the input's list of files answered "No file was
    submitted" to every upload (issue 18, finding 9): each file is cleaned on its own here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        cleaned = super().clean(data, initial)
        return [cleaned] if cleaned else []


class MilestoneReportForm(forms.Form):
    narrative = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    evidence = MultipleFileField(
        label=_("Evidence (PDF, DOCX, XLSX or images, up to 10 MB each)"),
        required=False,
        widget=MultipleFileInput(),
    )


class ReportDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Return for more work"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION,
    )
