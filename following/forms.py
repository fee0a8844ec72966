"""The readers' forms: signing up, and naming a saved search and its alert."""
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from .models import SavedSearch


class SignUpForm(UserCreationForm):
    """A reader's account: a name, an email address for alerts, a password. Never staff."""

    email = forms.EmailField(help_text="Alerts are sent here.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


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
