from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.accounts.models import Role, User
from kelisim.accounts.services import REASON_MAX_LENGTH


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]
        help_texts = {
            "display_name": _("Shown beside your suggestions and comments instead of your email address."),
            "preferred_language": _("The language of the interface and of the emails we send you."),
        }


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Email or name"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Kept in the role history for everyone who audits roles."),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("For example, the name of the script or the tool that will use it."),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Type your password to confirm that you want to delete your account."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
