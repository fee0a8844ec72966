"""From request parameters to a validated SearchParams, through a Django form.

A search page's whole state lives in its URL: the words, the selected values of each
facet, a date range, the sort order, the page and the facets showing more values.
Every refusal is a SearchParamError whose message is shown to the user (or sent to
the API client) as it is.
"""
import re
from dataclasses import Field, field, fields, make_dataclass, replace
from datetime import date
from typing import Any, ClassVar
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent

from articles import stories
from articles.enrichment import identity
from articles.entities.history import successors
from articles.models import Article
from articles.search.facets import COUNTRY, ENTITY_FACETS, FACETS, UNKNOWN
from articles.search.syntax import split_facets

PAGE_SIZES = (20, 50, 100)  # results per page a reader may choose
PAGE_SIZE = PAGE_SIZES[0]
MAX_RESULTS = 10_000  # Elasticsearch's max_result_window: pages reach no further (exports do)
MAX_PAGE = MAX_RESULTS // PAGE_SIZE
MAX_QUERY_LENGTH = 500
MAX_VALUES_PER_FACET = 20
MAX_VALUE_LENGTH = 300  # the longest name stored (Entity.name): no longer facet value can match
LAST_DATE = date(9998, 12, 31)  # date ranges reach one period past the last day
SORTS = ("relevance", "date", "date_asc")  # relevance is the default, written as no sort at all
WIDENED = "With successor states"  # how a search that takes in successors (`widened`) says so
UNDATED = "Undated"  # how the date facet names the articles without a date (`undated`)
COUNTS = ("stories", "articles")  # what results and counts are of; stories (the default) collapse versions


class SearchParamError(ValueError):
    """A request parameter that cannot be searched for; the message is shown to the user.

    `errors` lists (parameter, message) pairs, all the request's problems, for the API's
    problem details; `status` is the answer's HTTP status.
    """

    status = 400

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = tuple(errors)


class NoSuchPage(SearchParamError):
    """A page number past the results: a well-formed request for something that is not
    there, so a 404, as Django's paginator answers."""

    status = 404


class _SearchState:
    """What a SearchParams can do; its fields are made below from the facet registry.

    The annotations declare, for the type checker, the fields these methods read; a plain
    base's annotations are not fields of the dataclass made on it.
    """

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]
    country: tuple
    successors: bool
    date_from: date | None
    date_to: date | None
    undated: bool
    sort: str
    story: tuple
    count: str

    @property
    def sort_order(self):
        return self.sort or "relevance"

    @property
    def has_dates(self):
        """Whether a date range is chosen (`undated` is the other choice of the date facet)."""
        return bool(self.date_from or self.date_to)

    @property
    def widened(self):
        """Whether the countries selected take in successors: `successors` is on and a
        selected country is a historical state ("the Soviet Union" and Russia, Ukraine, ...)."""
        return self.successors and any(successors(str(code)) for code in self.country)

    @property
    def by_story(self):
        """Whether the results are one hit per story and the counts count stories: the default
        (count=stories), except within chosen stories (`story`), whose versions are listed."""
        return self.count == COUNTS[0] and not self.story

    def facet_filters(self):
        """{facet name: selected values} for the FacetedSearch, the date range included."""
        filters = {name: list(getattr(self, name)) for name in FACETS if getattr(self, name)}
        if self.has_dates or self.undated:
            filters["date"] = [(self.date_from, self.date_to, self.undated)]
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
        ("story", tuple, field(default=())),  # stories' keys: their versions alone
        ("successors", bool, False),  # a selected historical country takes in its successors
        ("date_from", date | None, None),
        ("date_to", date | None, None),
        ("undated", bool, False),  # the articles without a date: alone, or besides the range
        ("thread", str, ""),  # a story thread (`stories.Thread`): its versions and related coverage
        ("sort", str, ""),
        ("count", str, COUNTS[0]),
        ("page", int, 1),
        ("page_size", int, PAGE_SIZE),
        ("more", tuple, ()),  # facets showing their longer list of values
    ],
    bases=(_SearchState,),
    frozen=True,
)
SearchParams.__module__ = __name__
SearchParams.__doc__ = "The whole state of a search page: everything lives in the URL."


def thread_label(thread):
    """How a story thread (`SearchParams.thread`) is named: by its canonical version's title."""
    return f"Story: {thread.title or thread}"


def storable(text):
    """Whether `text` can be a name, key or source at all.

    PostgreSQL refuses NUL in text, so no stored value holds one, and a lookup with one
    raises instead of finding nothing: such values are refused before any query.
    """
    return "\x00" not in text


class _TextField(forms.Field):
    """One value exactly as sent, empty when unset; the last one when the parameter is repeated.

    Not stripped: the API accepts exactly what its OpenAPI description allows (a value or
    nothing, never a padded value); forms and links send values as they are.
    """

    def to_python(self, value):
        return value or ""


class QueryField(_TextField):
    """Free words: stripped, at most MAX_QUERY_LENGTH characters as sent."""

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(f"q is longer than {MAX_QUERY_LENGTH} characters.")
        return text.strip()


class ValuesField(forms.Field):
    """The selected values of one facet: repeated parameters, stripped, without repeats or
    empty ones. The limits apply to the values as sent, as the API description states them."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = list(value or ())
        name = self.label
        if len(values) > MAX_VALUES_PER_FACET:
            raise forms.ValidationError(f"At most {MAX_VALUES_PER_FACET} values of {name} at once.")
        if any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise forms.ValidationError(f"A value of {name} is longer than {MAX_VALUE_LENGTH} characters.")
        if not all(map(storable, values)):
            raise forms.ValidationError(f"{name} cannot contain a NUL character (%00).")
        return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


class DayField(_TextField):
    """A day written YYYY-MM-DD (exactly: the form's date inputs send that)."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                raise ValueError
            day = date.fromisoformat(text)
        except ValueError:
            day = None
        if day is None:
            raise forms.ValidationError(f"{self.label} must be a date written YYYY-MM-DD.")
        if day > LAST_DATE:
            raise forms.ValidationError(f"{self.label} must be no later than {LAST_DATE}.")
        return day


class SwitchField(_TextField):
    """On (1) or off (0, or nothing)."""

    def to_python(self, value):
        text = super().to_python(value)
        if text not in ("", "0", "1"):
            raise forms.ValidationError(f"{self.label} must be 1 or 0.")
        return text == "1"


class StoryField(ValuesField):
    """Stories' keys exactly as hits carry them (`stories.is_key`: s12, a34): unlike names, never
    padded or empty."""

    def to_python(self, value):
        if not all(stories.is_key(key) for key in value or ()):
            raise forms.ValidationError("story takes a story's key as results carry it: s and its number, "
                                        "or a and an article's number.")
        return super().to_python(value)


class CountField(_TextField):
    """What the results and counts are of: one of COUNTS (the first when unset)."""

    def to_python(self, value):
        text = super().to_python(value) or COUNTS[0]
        if text not in COUNTS:
            raise forms.ValidationError(f"count must be one of: {', '.join(COUNTS)}.")
        return text


class ThreadField(_TextField):
    """A story's key, as an article's story is written (s12; an article's own, a7)."""

    def to_python(self, value):
        text = super().to_python(value)
        if text and not stories.is_key(text):
            raise forms.ValidationError("thread must be a story's key, such as s12 (or an article's, such as a7).")
        return text


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


class PageSizeField(_TextField):
    """Results per page: one of PAGE_SIZES."""

    def to_python(self, value):
        text = super().to_python(value) or str(PAGE_SIZE)
        if text not in {str(size) for size in PAGE_SIZES}:
            raise forms.ValidationError(f"page_size is one of {', '.join(map(str, PAGE_SIZES))}.")
        return int(text)


class FacetNamesField(ValuesField):
    """Names of facets."""

    def validate(self, names):
        unknown = [name for name in names if name not in FACETS]
        if unknown:
            raise forms.ValidationError(f"{self.label} takes facet names ({', '.join(FACETS)}), not "
                                        f"{', '.join(unknown)}.")


class SearchForm(forms.Form):
    """The search parameters; each field's help text is its API documentation."""

    fields: dict[str, forms.Field]  # each form's own copy, made by Django's BaseForm; reordered below
    q = QueryField(required=False,
                   help_text='Words, "quoted phrases", OR, -exclusion, prefix*; odd syntax is never an error.')
    story = StoryField(required=False, label="story", help_text=(
        "Stories by their keys (a hit's story: s12, or a34 for an article in no story): their versions, "
        "each a hit of its own; several combine with OR."))
    successors = SwitchField(required=False, label="successors", help_text=(
        "1: a historical country selected also selects the countries that succeeded it "
        "(country=SUHH&successors=1: the Soviet Union, Russia, Ukraine and the other republics)."))
    date_from = DayField(required=False, label="date_from",
                         help_text=f"First day (YYYY-MM-DD, up to {LAST_DATE}); undated articles are left out. "
                                   "A date_to before it is taken as the first day, and this as the last.")
    date_to = DayField(required=False, label="date_to", help_text=f"Last day (YYYY-MM-DD, up to {LAST_DATE}), "
                                                                  "inclusive.")
    undated = SwitchField(required=False, label="undated", help_text=(
        "1: the articles without a date (the date facet's Undated, counted as date_unknown); with "
        "date_from or date_to, the articles in the range or without a date."))
    thread = ThreadField(required=False, label="thread", help_text=(
        "A story thread: the versions of the story with this key (an article's `story`, such as s12; an article's "
        "own key, such as a7, names the story it is in) and its related coverage: the articles holding most of the "
        "words of its canonical version's title and mentioning one of its main entities (docs/stories.md); a key "
        "the archive does not know selects nothing."))
    sort = SortField(required=False,
                     help_text="relevance (the default; newest first among equals), date (newest first), date_asc.")
    count = CountField(required=False, help_text=(
        "stories (the default): one hit per story, the best-matching of its versions, with how many versions "
        "match; total, pages and every count count stories. articles: one hit and one count per article. "
        "Within story=, versions are listed and counted as articles."))
    page = PageField(required=False, help_text=f"Page of page_size results; pages reach the first {MAX_RESULTS:,} "
                                               "results (a later page is a 404).")
    page_size = PageSizeField(required=False, label="page_size",
                              help_text=f"Results per page: {', '.join(map(str, PAGE_SIZES))} (the default is {PAGE_SIZE}).")
    more = FacetNamesField(required=False, label="more", help_text="Facets to list with more values.")

    def __init__(self, data=None):
        super().__init__(data)
        facet_fields = {facet.name: _facet_field(facet) for facet in FACETS.values()}
        self.fields = {"q": self.fields.pop("q"), **facet_fields, **self.fields}

    def clean(self):
        data = super().clean()
        if not self.errors:
            data.update(_prefixed_values(data))
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            data["date_from"], data["date_to"] = data["date_to"], data["date_from"]  # the days between, either way
        if not self.errors:
            data.update(_resolved_entities(data))
            data["thread"] = _resolved_thread(data.get("thread", ""))
        return data


def _prefixed_values(data):
    """The words' `person:`, `country:`, `org:` and `source:` values added to their facets (as
    a click on the facet adds them), and the words without them. A typed source is matched to
    a stored one whatever its case ("source:reuters" is Reuters)."""
    words, prefixed = split_facets(data.get("q", ""))
    if not prefixed:
        return {}
    changes = {"q": words}
    for name, values in prefixed.items():
        if name == FACETS["source"].name:
            values = [_stored_source(value) for value in values]
        changes[name] = tuple(dict.fromkeys((*data.get(name, ()), *values)))[:MAX_VALUES_PER_FACET]
    return changes


def _stored_source(text):
    return Article.objects.filter(source__iexact=text).values_list("source", flat=True).first() or text


def _resolved_entities(data):
    """The entity facets' values as the Refs of the entities they name (one query for all).

    A person, organization or country the archive does not know stays as typed and
    selects nothing: every value the API description allows is a search.
    """
    wanted = [(facet.kind, value) for facet in ENTITY_FACETS for value in data.get(facet.name, ())]
    found = identity.resolve(wanted)
    return {
        facet.name: tuple(dict.fromkeys(found[(facet.kind, value)] or value for value in data.get(facet.name, ())))
        for facet in ENTITY_FACETS
    }


def _resolved_thread(key):
    """The Thread a key names; one the archive does not know stays as typed, selecting nothing."""
    return (stories.thread_of(key) or stories.Thread(key)) if key else ""


def _facet_field(facet):
    if facet is COUNTRY:
        help_text = ("Country: ISO 3166-1 alpha-2 code (RU), a historical state's ISO 3166-3 code (SUHH), or "
                     "name (Russia, Soviet Union), in any case; one the archive does not know selects nothing; "
                     "several combine with OR.")
    elif facet.is_entity:
        help_text = (f"{facet.title}: the id from a facet or an entity (such as p12), or a name, in any case; "
                     "one the archive does not know selects nothing; several combine with OR.")
    else:
        help_text = f"{facet.title} name; several combine with OR."
    if facet.unknown:
        help_text += f" {UNKNOWN} selects the articles without one ({facet.unknown})."
    return ValuesField(required=False, label=facet.name, help_text=help_text)


def parse_search_params(data):
    """Validate request parameters (a QueryDict or any mapping with getlist) into SearchParams.

    Raises SearchParamError with the first problem, in the order of the parameters, and
    every parameter's problems as its `errors`.
    """
    form = SearchForm(data)
    if not form.is_valid():
        errors = [(name, message) for name in form.fields for message in form.errors.get(name, ())]
        raise SearchParamError(errors[0][1], errors)
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
