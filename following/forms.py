"""The readers' forms: signing up, their address, and naming a saved search and its alert."""
from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm

from . import verification
from .models import SavedSearch


class SignUpForm(UserCreationForm):
    """A reader's account: a name, an email address for alerts, a password. Never staff."""

    email = forms.EmailField(help_text="Alerts are sent here.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class PasswordConfirmedForm(forms.Form):
    """A change that needs the reader's password again (a session left open is not enough).
    The password is checked by `authenticate`, so wrong guesses count towards the lockout."""

    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError("That is not your password.")
        return password


class EmailForm(PasswordConfirmedForm):
    email = forms.EmailField(label="Email address", help_text="Alerts are sent here once you confirm it.")
    field_order = ["email", "password"]


class VerifiedPasswordResetForm(PasswordResetForm):
    """Reset links go only to a confirmed address: whoever owns a mistyped one never could
    take the account."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if verification.is_verified(user))


class SavedSearchForm(forms.ModelForm):
    """Name and alert of a saved search; a reader's names are unique (checked here, so the
    form shows the message rather than the database refusing the row)."""

    class Meta:
        model = SavedSearch
        fields = ("name", "alert")
        labels = {"alert": "Email me new articles"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = SavedSearch.objects.filter(user=self.user, name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("You already have a saved search with this name.")
        return name
