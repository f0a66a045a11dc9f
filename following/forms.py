from django import forms
from django.utils.translation import gettext_lazy as _


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_(
            "We send one mail to confirm, then a mail when this page changes. The address is "
            "used for nothing else and shown nowhere; every mail has an unsubscribe link."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
