from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import ContentLanguage
from kelisim.core.models import Region
from kelisim.organisations import expert_selectors
from kelisim.organisations.expert_services import ExpertProfile
from kelisim.organisations.forms import optional_code_choice
from kelisim.organisations.models import Expert, ExpertiseField, Organisation
from kelisim.organisations.validators import normalise_bin, validate_bin

MESSAGE_MIN_LENGTH = 10
MESSAGE_MAX_LENGTH = 2000


class LocalizedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LocalizedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ExpertFilterForm(forms.Form):
    """The roster's search box and filters; every choice is optional and travels in the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, title, field…")}),
    )
    field = optional_code_choice(
        _("Field of expertise"), ExpertiseField.objects.none(), _("Any field"), field_class=LocalizedChoiceField
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *ContentLanguage.choices]
    )
    region = optional_code_choice(
        _("Travels to"), Region.objects.none(), _("Any region"), field_class=LocalizedChoiceField
    )
    organisation = LocalizedChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False, empty_label=_("Any organisation")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = expert_selectors.roster_fields()
        self.fields["region"].queryset = Region.objects.order_by("sort_order", "code")
        self.fields["organisation"].queryset = expert_selectors.roster_organisations()

    def filters(self) -> dict:
        """Keyword arguments for ``filter_experts``; invalid choices are simply ignored."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "text": data.get("q") or "",
            "field": data.get("field"),
            "language": data.get("language") or "",
            "region": data.get("region"),
            "organisation": data.get("organisation"),
        }


class ExpertProfileForm(forms.Form):
    """An expert's public profile. ``actor`` decides which organisations can be linked and how consent is worded."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    title_kk = forms.CharField(label=_("Title or position (Kazakh)"), max_length=200, required=False)
    title_ru = forms.CharField(label=_("Title or position (Russian)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title or position (English)"), max_length=200, required=False)
    fields = LocalizedMultipleChoiceField(
        label=_("Fields of expertise"),
        queryset=ExpertiseField.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one field of expertise.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you lecture in"),
        choices=ContentLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    regions = LocalizedMultipleChoiceField(
        label=_("Regions you can travel to"),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    bio_kk = forms.CharField(label=_("About (Kazakh)"), widget=forms.Textarea, required=False, max_length=4000)
    bio_ru = forms.CharField(label=_("About (Russian)"), widget=forms.Textarea, required=False, max_length=4000)
    bio_en = forms.CharField(label=_("About (English)"), widget=forms.Textarea, required=False, max_length=4000)
    contact_email = forms.EmailField(
        label=_("Contact email"),
        help_text=_("Never shown to anyone: messages sent through the roster are forwarded to this address."),
    )
    consent = forms.BooleanField(
        label=_("I agree to be listed publicly"),
        help_text=_(
            "Your name, title, fields, languages, regions and description will be public; your email will not."
        ),
        error_messages={"required": _("You can be listed only if you agree to be listed publicly.")},
    )

    def __init__(self, *args, actor, expert: Expert | None = None, for_self: bool = True, **kwargs):
        self.actor = actor
        self.expert = expert
        super().__init__(*args, **kwargs)
        self.fields["fields"].queryset = expert_selectors.roster_fields()
        self.fields["regions"].queryset = Region.objects.order_by("sort_order", "code")
        self.officer_links_by_bin = actor.is_officer
        if self.officer_links_by_bin:
            # Tens of thousands of organisations make a poor drop-down: officers type the BIN.
            self.fields["organisation"] = forms.CharField(
                label=_("Organisation BIN"),
                required=False,
                max_length=12,
                help_text=_("Optional: the 12-digit BIN of the organisation the expert works with."),
            )
            if isinstance(self.initial.get("organisation"), Organisation):
                self.initial["organisation"] = self.initial["organisation"].bin
        else:
            linkable = expert_selectors.organisations_user_may_link(actor)
            if expert is not None and expert.organisation_id:
                # Keeping the current link is always allowed, even after leaving the organisation.
                linkable = Organisation.objects.filter(
                    Q(pk__in=linkable.values("pk")) | Q(pk=expert.organisation_id)
                ).order_by("name_ru", "pk")
            self.fields["organisation"] = LocalizedChoiceField(
                label=_("Organisation"),
                queryset=linkable,
                required=False,
                empty_label=_("No organisation"),
                help_text=_("Only organisations you are an active member of."),
            )
        if expert is not None:
            # Consent was given when the profile was created; relisting renews it.
            del self.fields["consent"]
        elif not for_self:
            self.fields["consent"].label = _("The expert agreed to be listed publicly")
            self.fields["consent"].help_text = _(
                "Add an expert only with their agreement, given for example in writing."
            )
            self.fields["consent"].error_messages["required"] = _(
                "Confirm that the expert agreed to be listed publicly."
            )
        self.order_fields(
            [
                "full_name",
                "title_kk",
                "title_ru",
                "title_en",
                "fields",
                "languages",
                "regions",
                "organisation",
                "bio_kk",
                "bio_ru",
                "bio_en",
                "contact_email",
                "consent",
            ]
        )

    def clean_organisation(self):
        value = self.cleaned_data.get("organisation")
        if not self.officer_links_by_bin:
            return value
        value = normalise_bin(value)
        if not value:
            return None
        validate_bin(value)
        organisation = Organisation.objects.filter(bin=value).first()
        if organisation is None:
            raise forms.ValidationError(_("No organisation with this BIN is in the registry."))
        return organisation

    def profile(self) -> ExpertProfile:
        data = self.cleaned_data
        return ExpertProfile(
            full_name=data["full_name"],
            contact_email=data["contact_email"],
            fields=list(data["fields"]),
            languages=data["languages"],
            regions=list(data["regions"]),
            organisation=data.get("organisation"),
            title_kk=data["title_kk"],
            title_ru=data["title_ru"],
            title_en=data["title_en"],
            bio_kk=data["bio_kk"],
            bio_ru=data["bio_ru"],
            bio_en=data["bio_en"],
        )

    FIELDSETS = (
        (_("Who"), ("full_name", "title_kk", "title_ru", "title_en", "organisation")),
        (_("What and where"), ("fields", "languages", "regions")),
        (_("About the expert"), ("bio_kk", "bio_ru", "bio_en")),
    )

    def fieldsets(self) -> list[tuple[str, list]]:
        """(legend, bound fields) for each group of the page; the contact address and consent come after."""
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    @staticmethod
    def initial_for(expert: Expert) -> dict:
        return {
            "full_name": expert.full_name,
            "title_kk": expert.title_kk,
            "title_ru": expert.title_ru,
            "title_en": expert.title_en,
            "bio_kk": expert.bio_kk,
            "bio_ru": expert.bio_ru,
            "bio_en": expert.bio_en,
            "fields": list(expert.fields.all()),
            "languages": [code for code in expert.languages.split(",") if code],
            "regions": list(expert.regions.all()),
            "organisation": expert.organisation,
            "contact_email": expert.contact_email,
        }


class ExpertMessageForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your email"), help_text=_("The expert will see it, so that they can answer you directly.")
    )
    organisation = forms.CharField(label=_("Your organisation"), max_length=300, required=False)
    message = forms.CharField(
        label=_("Message"),
        min_length=MESSAGE_MIN_LENGTH,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            _("Between {minimum} and {maximum} characters."), minimum=MESSAGE_MIN_LENGTH, maximum=MESSAGE_MAX_LENGTH
        ),
    )
    # Left empty by people; filled in by robots that fill in every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.setdefault("name", user.get_full_name())
            self.initial.setdefault("email", user.email)

    @property
    def is_from_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
