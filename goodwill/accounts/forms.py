"""HTML input for login, the business profile, users and API tokens (parsing only)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from goodwill.accounts.models import User


class LoginForm(AuthenticationForm):
    """Email and password; Django's backend already refuses deactivated users."""

    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        """Emails are stored lower-case."""
        return str(self.cleaned_data["username"]).strip().lower()


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=200)
    address = forms.CharField(label=_("Postal address"), required=False, widget=forms.Textarea)
    contact_email = forms.CharField(
        label=_("Contact email"),
        max_length=254,
        required=False,
        help_text=_("Marketing emails show the postal address and at least one way to reach you."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, help_text="Europe/Paris")
    phone_region = forms.CharField(
        label=_("Default phone region"),
        max_length=2,
        help_text=_("Two-letter country code used for phone numbers written without +."),
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, help_text="EUR, CAD, USD…")


class UserCreateForm(forms.Form):
    email = forms.CharField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices, initial=User.Role.STAFF)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)


class UserUpdateForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. “POS sync”.")
    )
