from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import ContentLanguage
from kelisim.core.models import Strand
from kelisim.meetings.models import Roundtable
from kelisim.organisations.models import Organisation
from kelisim.plans.models import TrackedItem
from kelisim.publications.models import Article, Reaction, Tag


class ArticleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"), queryset=Tag.objects.all(), to_field_name="slug", required=False, empty_label=_("All tags")
    )
    strand = forms.ModelChoiceField(
        label=_("Strand"),
        queryset=Strand.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All strands"),
    )
    language = forms.ChoiceField(
        label=_("Language of the articles"),
        choices=[("", _("This page's language")), ("all", _("All languages")), *ContentLanguage.choices],
        required=False,
    )


class ArticleForm(forms.ModelForm):
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Related organisations"),
        queryset=Organisation.objects.filter(verification_status=Organisation.Verification.VERIFIED),
        required=False,
        help_text=_("Verified organisations the article is about."),
    )

    meetings = forms.ModelMultipleChoiceField(
        label=_("Roundtables"),
        queryset=Roundtable.objects.order_by("-starts_at"),
        required=False,
        help_text=_("Roundtables the article reports on."),
    )
    plan_items = forms.ModelMultipleChoiceField(
        label=_("Action plan items"),
        queryset=TrackedItem.objects.order_by("code"),
        required=False,
        help_text=_("Items of the action plan the article is about."),
    )

    class Meta:
        model = Article
        fields = [
            "language", "title", "lead", "body", "cover_image", "cover_alt", "cover_caption", "byline",
            "strand", "tags", "organisations", "meetings", "plan_items", "comments_enabled",
        ]  # fmt: skip
        widgets = {"lead": forms.Textarea(attrs={"rows": 3}), "body": forms.Textarea(attrs={"rows": 18})}

    def clean(self):
        cleaned = super().clean()
        has_image = cleaned.get("cover_image") or (self.instance.pk and self.instance.cover_image)
        if cleaned.get("cover_image") is False:  # cleared
            has_image = False
        if has_image and not (cleaned.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Describe the image for people who cannot see it."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Article.Status.choices)
    publish_at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Only for scheduling."),
    )


class ReactionForm(forms.Form):
    value = forms.ChoiceField(choices=Reaction.Value.choices)
