"""From request parameters to a validated CompareParams.

A comparison is up to four series over one date range. Each series is a search's words
and facet values, its parameters numbered by series (q1=oil&country1=SA&q2=gold), so
the URL reads like the searches it compares and can be shared. Every part is checked
by the search form itself (`parse_search_params`), so a series accepts exactly what the
search page accepts; refusals are SearchParamErrors naming the series.
"""
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.http import QueryDict

from articles.search import FACETS, WIDENED, SearchParamError, SearchParams, parse_search_params

MAX_SERIES = 4
# What a series is: its words, its facet values, and whether its historical countries take
# their successors in.
SERIES_FIELDS = ("q", *FACETS, "successors")
DATE_FIELDS = ("date_from", "date_to")  # shared by every series
SHARED_FIELDS = (*DATE_FIELDS, "count")  # the search form's fields of the whole comparison: its range, what it counts
MEASURES = ("count", "share")  # articles per period, or their share of all articles in it
_NUMBERED = re.compile(rf"^({'|'.join(SERIES_FIELDS)})([0-9]+)$")


@dataclass(frozen=True)
class CompareParams:
    """The whole state of a compare page: everything lives in the URL."""

    series: tuple = ()  # SearchParams with words and facet values only
    dates: SearchParams = field(default_factory=SearchParams)  # the range and the count, shared by every series
    measure: str = MEASURES[0]

    def query_items(self):
        """(name, value) pairs for the URL: each series' parameters numbered, then the rest."""
        items = [(f"{name}{number}", value)
                 for number, series in enumerate(self.series, 1) for name, value in series.query_items()]
        items += self.dates.query_items()
        if self.measure != MEASURES[0]:
            items.append(("measure", self.measure))
        return items

    def url(self, path=""):
        query = urlencode(self.query_items())
        return f"{path}?{query}" if query else (path or "?")

    def changed(self, **changes):
        return replace(self, **changes)

    def without_series(self, index):
        return self.changed(series=self.series[:index] + self.series[index + 1:])

    @property
    def counted(self):
        """What the comparison counts: "stories" (the default) or "articles"."""
        return self.dates.count


def series_data(data):
    """{series number: QueryDict of its parameters, unnumbered} from numbered parameters."""
    groups = {}
    for key in data:
        match = _NUMBERED.match(key)
        if not match:
            continue  # like the search form, other parameters are ignored
        name, number = match[1], int(match[2])
        if not 1 <= number <= MAX_SERIES:
            message = (f"At most {MAX_SERIES} series can be compared: number their parameters 1 to {MAX_SERIES} "
                       f"(q1 to q{MAX_SERIES}).")
            raise SearchParamError(message, [(key, message)])
        groups.setdefault(number, QueryDict(mutable=True)).setlist(name, data.getlist(key))
    return groups


def parse_compare_params(data):
    """Validate request parameters (a QueryDict) into CompareParams.

    A series with neither words nor values (an empty row of the form) is left out; the
    others keep their order; none at all is a comparison of no series (the periods alone).
    Raises SearchParamError with the first problem.
    """
    series = []
    for number, params in sorted(series_data(data).items()):
        try:
            parsed = parse_search_params(params)
        except SearchParamError as exc:
            raise SearchParamError(f"Series {number}: {exc}",
                                   [(f"{name}{number}", message) for name, message in exc.errors]) from None
        if parsed != SearchParams():
            series.append(parsed)
    dates = QueryDict(mutable=True)
    for name in SHARED_FIELDS:
        dates.setlist(name, data.getlist(name))
    measure = data.get("measure") or MEASURES[0]
    if measure not in MEASURES:
        message = f"measure must be one of: {', '.join(MEASURES)}."
        raise SearchParamError(message, [("measure", message)])
    return CompareParams(series=tuple(series), dates=parse_search_params(dates), measure=measure)


def series_label(params):
    """How a series reads in the legend: its words, then its facet values by facet."""
    parts = [f"“{params.q}”"] if params.q else []
    for name, facet in FACETS.items():
        values = getattr(params, name)
        if values:
            parts.append(f"{facet.title}: {' or '.join(facet.label(value) for value in values)}")
    if params.widened:
        parts.append(WIDENED)
    return " · ".join(parts) or "All articles"


def compare_query(search_query):
    """A search's query string ("q=oil&country=SA&page=2") as the query string of a
    comparison whose first series is that search (its dates and count shared, paging left out)."""
    data = QueryDict(search_query.lstrip("?"))
    items = [(f"{name}1" if name in SERIES_FIELDS else name, value)
             for name, values in data.lists() if name in (*SERIES_FIELDS, *SHARED_FIELDS) for value in values]
    return urlencode(items)
