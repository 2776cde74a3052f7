from django import forms
from django.utils.translation import gettext_lazy as _

from kelisim.notifications.models import EmailChoice


class EmailChoiceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("Email me about notifications"), choices=EmailChoice.choices, widget=forms.RadioSelect
    )
