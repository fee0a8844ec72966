from django import forms

from articles.datewindow import validate_article_date


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file is reported in the batch like any other unreadable file.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, (list, tuple)):
            return [single_file_clean(d, initial) for d in data]
        return [single_file_clean(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        help_text="Text, JSON, JSON Lines, CSV, HTML files, or ZIP archives of them."
    )
    default_source = forms.CharField(
        required=False, max_length=200, help_text="Used for articles that name no source."
    )
    default_date = forms.DateField(
        required=False,
        validators=[validate_article_date],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Used for articles that carry no date; otherwise their date stays unknown.",
    )
    enrich = forms.BooleanField(required=False, initial=True, label="Extract entities")
