"""From request parameters to a validated SearchParams, through a Django form.

A search page's whole state lives in its URL: the words, the selected values of each
facet, a date range, the sort order, the page and the facets showing more values.
Every refusal is a SearchParamError whose message is shown to the user (or sent to
the API client) as it is.
"""
import re
from dataclasses import field, fields, make_dataclass, replace
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, TooManyFieldsSent

from .. import identity
from ..entities.gazetteer import successors
from .facets import COUNTRY, ENTITY_FACETS, FACETS

PAGE_SIZE = 20
MAX_RESULTS = 10_000  # Elasticsearch's max_result_window; also the CSV export bound
MAX_PAGE = MAX_RESULTS // PAGE_SIZE
MAX_QUERY_LENGTH = 500
MAX_VALUES_PER_FACET = 20
MAX_VALUE_LENGTH = 300  # the longest name stored (Entity.name): no longer facet value can match
LAST_DATE = date(9998, 12, 31)  # date ranges reach one period past the last day
SORTS = ("relevance", "date", "date_asc")  # relevance is the default, written as no sort at all
WIDENED = "With successor states"  # how a search that takes in successors (`widened`) says so


class SearchParamError(ValueError):
    """A request parameter that cannot be searched for; the message is shown to the user."""


class _SearchState:
    """What a SearchParams can do; its fields are made below from the facet registry."""

    @property
    def sort_order(self):
        return self.sort or "relevance"

    @property
    def has_dates(self):
        return bool(self.date_from or self.date_to)

    @property
    def widened(self):
        """Whether the countries selected take in successors: `successors` is on and a
        selected country is a historical state ("the Soviet Union" and Russia, Ukraine, ...)."""
        return self.successors and any(successors(str(code)) for code in self.country)

    def facet_filters(self):
        """{facet name: selected values} for the FacetedSearch, the date range included."""
        filters = {name: list(getattr(self, name)) for name in FACETS if getattr(self, name)}
        if self.has_dates:
            filters["date"] = [(self.date_from, self.date_to)]
        return filters

    def changed(self, **changes):
        """A copy with `changes`; any change but paging goes back to the first page."""
        changes.setdefault("page", 1)
        return replace(self, **changes)

    def toggled(self, name, value):
        """A copy with `value` of facet `name` added, or removed if it was there."""
        values = getattr(self, name)
        new = tuple(v for v in values if v != value) if value in values else (*values, value)
        return self.changed(**{name: new})

    def query_items(self):
        """(name, value) pairs for the URL, leaving out defaults."""
        items = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (f.default, "", None):
                continue
            for item in value if isinstance(value, tuple) else [value]:
                items.append((f.name, _url_text(item)))
        return items

    def url(self, path=""):
        query = urlencode(self.query_items())
        return f"{path}?{query}" if query else (path or "?")


def _url_text(value):
    """A value as the URL writes it: a day as YYYY-MM-DD, a switch that is on as 1."""
    if isinstance(value, date):
        return value.isoformat()
    return "1" if value is True else str(value)


SearchParams = make_dataclass(
    "SearchParams",
    [
        ("q", str, ""),
        *((name, tuple, field(default=())) for name in FACETS),  # selected values
        ("successors", bool, False),  # a selected historical country takes in its successors
        ("date_from", date | None, None),
        ("date_to", date | None, None),
        ("sort", str, ""),
        ("page", int, 1),
        ("more", tuple, ()),  # facets showing their longer list of values
    ],
    bases=(_SearchState,),
    frozen=True,
)
SearchParams.__module__ = __name__
SearchParams.__doc__ = "The whole state of a search page: everything lives in the URL."


def storable(text):
    """Whether `text` can be a name, key or source at all.

    PostgreSQL refuses NUL in text, so no stored value holds one, and a lookup with one
    raises instead of finding nothing: such values are refused before any query.
    """
    return "\x00" not in text


class _TextField(forms.Field):
    """One value, stripped; the last one when the parameter is repeated."""

    def to_python(self, value):
        return (value or "").strip()


class QueryField(_TextField):
    def validate(self, value):
        if len(value) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(f"q is longer than {MAX_QUERY_LENGTH} characters.")


class ValuesField(forms.Field):
    """The selected values of one facet: repeated parameters, stripped, without repeats."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return tuple(dict.fromkeys(v.strip() for v in value or () if v.strip()))

    def validate(self, values):
        name = self.label
        if len(values) > MAX_VALUES_PER_FACET:
            raise forms.ValidationError(f"At most {MAX_VALUES_PER_FACET} values of {name} at once.")
        if any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise forms.ValidationError(f"A value of {name} is longer than {MAX_VALUE_LENGTH} characters.")
        if not all(map(storable, values)):
            raise forms.ValidationError(f"{name} cannot contain a NUL character (%00).")


class DayField(_TextField):
    """A day written YYYY-MM-DD (exactly: the form's date inputs send that)."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            day = date.fromisoformat(text)
        except ValueError:
            day = None
        if day is None or day > LAST_DATE:
            raise forms.ValidationError(f"{self.label} must be a date written YYYY-MM-DD.")
        return day


class SwitchField(_TextField):
    """On (1) or off (0, or nothing)."""

    def to_python(self, value):
        text = super().to_python(value)
        if text not in ("", "0", "1"):
            raise forms.ValidationError(f"{self.label} must be 1 or 0.")
        return text == "1"


class SortField(_TextField):
    def validate(self, value):
        if value and value not in SORTS:
            raise forms.ValidationError(f"sort must be one of: {', '.join(SORTS)}.")


class PageField(_TextField):
    """The page number, written in ASCII digits.

    str.isdigit() accepts digits that int() refuses ("²"), and int() refuses more than
    4,300 digits, so the text is matched first: nine digits are plenty for any page.
    """

    def to_python(self, value):
        text = super().to_python(value) or "1"
        number = int(text) if re.fullmatch(r"[0-9]{1,9}", text) else 0
        if not 1 <= number <= MAX_PAGE:
            raise forms.ValidationError(f"page must be a whole number from 1 to {MAX_PAGE}.")
        return number


class FacetNamesField(ValuesField):
    """Names of facets; anything else is ignored (it only changes how much is listed)."""

    def to_python(self, value):
        return tuple(name for name in super().to_python(value) if name in FACETS)


class SearchForm(forms.Form):
    """The search parameters; each field's help text is its API documentation."""

    q = QueryField(required=False, help_text='Words, "quoted phrases", OR, -exclusion, prefix*. Never an error.')
    successors = SwitchField(required=False, label="successors", help_text=(
        "1: a historical country selected also selects the countries that succeeded it "
        "(country=SUHH&successors=1: the Soviet Union, Russia, Ukraine and the other republics)."))
    date_from = DayField(required=False, label="date_from",
                         help_text="First day (YYYY-MM-DD); undated articles are left out.")
    date_to = DayField(required=False, label="date_to", help_text="Last day (YYYY-MM-DD), inclusive.")
    sort = SortField(required=False,
                     help_text="relevance (the default; newest first among equals), date (newest first), date_asc.")
    page = PageField(required=False, help_text=f"Page of {PAGE_SIZE} results.")
    more = FacetNamesField(required=False, help_text="Facets to list with more values.")

    def __init__(self, data=None):
        super().__init__(data)
        facet_fields = {facet.name: _facet_field(facet) for facet in FACETS.values()}
        self.fields = {"q": self.fields.pop("q"), **facet_fields, **self.fields}

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("date_from is after date_to.")
        if not self.errors:
            data.update(_resolved_entities(data))
        return data


def _resolved_entities(data):
    """The entity facets' values as the Refs of the entities they name (one query for all).

    A person or organization the archive does not know stays as typed and selects
    nothing; a country must be one the gazetteer or the archive knows.
    """
    wanted = [(facet.kind, value) for facet in ENTITY_FACETS for value in data.get(facet.name, ())]
    found = identity.resolve(wanted)
    unknown = [value for value in data.get(COUNTRY.name, ()) if found[(COUNTRY.kind, value)] is None]
    if unknown:
        raise forms.ValidationError(
            f"Unknown country: {', '.join(unknown)} (use a country's name or ISO code, such as Russia or RU)."
        )
    return {
        facet.name: tuple(dict.fromkeys(found[(facet.kind, value)] or value for value in data.get(facet.name, ())))
        for facet in ENTITY_FACETS
    }


def _facet_field(facet):
    if facet is COUNTRY:
        help_text = ("Country: ISO 3166-1 alpha-2 code (RU), a historical state's ISO 3166-3 code (SUHH), or "
                     "name (Russia, Soviet Union); several combine with OR.")
    elif facet.is_entity:
        help_text = (f"{facet.title}: the id from a facet or an entity (such as p12), or a name, in any case; "
                     "several combine with OR.")
    else:
        help_text = f"{facet.title} name; several combine with OR."
    return ValuesField(required=False, label=facet.name, help_text=help_text)


def parse_search_params(data):
    """Validate request parameters (a QueryDict or any mapping with getlist) into SearchParams.

    Raises SearchParamError with the first problem, in the order of the parameters.
    """
    form = SearchForm(data)
    if not form.is_valid():
        problems = [form.errors[name][0] for name in [*form.fields, NON_FIELD_ERRORS] if name in form.errors]
        raise SearchParamError(problems[0])
    return SearchParams(**form.cleaned_data)


def query_params(request):
    """The request's query parameters for parse_search_params.

    Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS of them with a bare 400 page;
    here that is a SearchParamError like any other bad parameter (JSON for the API).
    """
    try:
        return request.GET
    except TooManyFieldsSent:
        raise SearchParamError(
            f"Too many parameters: at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} at once."
        ) from None
