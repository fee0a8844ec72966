"""Query building: from request parameters to an Elasticsearch faceted search.

Everything here is plain functions and classes, testable without HTTP. The
request's parameters become a validated `SearchParams`; `search_articles` runs
the `ArticleSearch` (the client's FacetedSearch: facet filters as post_filter,
each facet counted under the other facets' filters) and hands the response to
`presentation`, which turns it into the plain dicts the pages and the API share.
"""
import math
import re
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from elasticsearch import ApiError, BadRequestError, TransportError
from elasticsearch.dsl import A, FacetedSearch, Q, TermsFacet
from elasticsearch.dsl.faceted_search_base import Facet

from . import presentation
from .documents import ArticleDocument
from .entities.gazetteer import COUNTRY_NAMES
from .models import Entity

PAGE_SIZE = 20
MAX_RESULTS = 10_000  # Elasticsearch's max_result_window; also the CSV export bound
MAX_PAGE = MAX_RESULTS // PAGE_SIZE
MAX_QUERY_LENGTH = 500
MAX_VALUES_PER_FACET = 20
MAX_VALUE_LENGTH = 300  # the longest name stored (Entity.name): no longer facet value can match
LAST_DATE = date(9998, 12, 31)  # date ranges reach one period past the last day
FACET_SIZE, FACET_SIZE_MORE = 10, 50

# URL parameter -> index field, for the facets whose values are terms.
TERMS_FACETS = {"person": "persons", "country": "countries", "org": "organizations", "source": "source"}

_DATE_DESC = {"published_at": {"order": "desc", "missing": "_last"}}
_DATE_ASC = {"published_at": {"order": "asc", "missing": "_last"}}
SORTS = {  # relevance ties (every article, without words) go newest first
    "relevance": ["_score", _DATE_DESC, {"id": "desc"}],
    "date": [_DATE_DESC, {"id": "desc"}],
    "date_asc": [_DATE_ASC, {"id": "asc"}],
}

TEXT_FIELDS = ["title^3", "body"]
UNAVAILABLE = (ApiError, TransportError)  # Elasticsearch down or failing: a 503, never a 500


class SearchParamError(ValueError):
    """A request parameter that cannot be searched for; the message is shown to the user."""


@dataclass(frozen=True)
class SearchParams:
    """The whole state of a search page: everything lives in the URL."""

    q: str = ""
    person: tuple = ()
    country: tuple = ()
    org: tuple = ()
    source: tuple = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str = ""
    page: int = 1
    more: tuple = ()  # facets showing their longer list of values

    @property
    def sort_order(self):
        return self.sort or "relevance"

    @property
    def has_dates(self):
        return bool(self.date_from or self.date_to)

    def facet_filters(self):
        """{facet name: selected values} for the FacetedSearch, the date range included."""
        filters = {name: list(getattr(self, name)) for name in TERMS_FACETS if getattr(self, name)}
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
                items.append((f.name, item.isoformat() if isinstance(item, date) else str(item)))
        return items

    def url(self, path=""):
        query = urlencode(self.query_items())
        return f"{path}?{query}" if query else (path or "?")


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


def parse_search_params(data):
    """Validate request parameters (a QueryDict or any mapping with getlist) into SearchParams.

    Raises SearchParamError with a message fit for the user or an API client.
    """
    q = data.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchParamError(f"q is longer than {MAX_QUERY_LENGTH} characters.")
    values = {name: _facet_values(data, name) for name in TERMS_FACETS}
    values["country"] = _country_codes(values["country"])
    date_from, date_to = _date(data, "date_from"), _date(data, "date_to")
    if date_from and date_to and date_from > date_to:
        raise SearchParamError("date_from is after date_to.")
    sort = data.get("sort", "").strip()
    if sort and sort not in SORTS:
        raise SearchParamError(f"sort must be one of: {', '.join(SORTS)}.")
    more = tuple(name for name in dict.fromkeys(data.getlist("more")) if name in TERMS_FACETS)
    return SearchParams(
        q=q, **values, date_from=date_from, date_to=date_to, sort=sort, page=_page(data), more=more
    )


def _facet_values(data, name):
    values = tuple(dict.fromkeys(v.strip() for v in data.getlist(name) if v.strip()))
    if len(values) > MAX_VALUES_PER_FACET:
        raise SearchParamError(f"At most {MAX_VALUES_PER_FACET} values of {name} at once.")
    if any(len(v) > MAX_VALUE_LENGTH for v in values):
        raise SearchParamError(f"A value of {name} is longer than {MAX_VALUE_LENGTH} characters.")
    if not all(map(storable, values)):
        raise SearchParamError(f"{name} cannot contain a NUL character (%00).")
    return values


def storable(text):
    """Whether `text` can be a name, key or source at all.

    PostgreSQL refuses NUL in text, so no stored value holds one, and a lookup with one
    raises instead of finding nothing: such values are refused before any query.
    """
    return "\x00" not in text


def _country_codes(codes):
    """Upper-case ISO 3166-1 alpha-2 codes; a code is valid if the gazetteer or the archive knows it."""
    codes = tuple(c.upper() for c in codes)
    unknown = {c for c in codes if c not in COUNTRY_NAMES}
    if unknown:
        unknown -= set(
            Entity.objects.filter(kind=Entity.Kind.COUNTRY, key__in=unknown).values_list("key", flat=True)
        )
    if unknown:
        raise SearchParamError(f"Unknown country code: {', '.join(sorted(unknown))} (use ISO codes such as RU).")
    return codes


def _date(data, name):
    text = data.get(name, "").strip()
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        day = date.fromisoformat(text)
        if day > LAST_DATE:
            raise ValueError
        return day
    except ValueError:
        raise SearchParamError(f"{name} must be a date written YYYY-MM-DD.") from None


def _page(data):
    """The page number, written in ASCII digits.

    str.isdigit() accepts digits that int() refuses ("²"), and int() refuses more than
    4,300 digits, so the text is matched first: nine digits are plenty for any page.
    """
    text = data.get("page", "").strip() or "1"
    number = int(text) if re.fullmatch(r"[0-9]{1,9}", text) else 0
    if not 1 <= number <= MAX_PAGE:
        raise SearchParamError(f"page must be a whole number from 1 to {MAX_PAGE}.")
    return number


# --- The query -----------------------------------------------------------------------

_QUERY_TOKEN = re.compile(r'"[^"]*"?|\S+')
_WORD = re.compile(r"([+-]?)([^\W\d_]+)")
_OPERATOR_WORDS = {"OR": "|", "AND": "+"}


def simple_query(q):
    """The user's query in simple_query_string syntax.

    OR/AND/NOT written as words become the operators |, + and -. A bare word also
    matches its possessive, because hunspell only strips "'s" from dictionary
    words: "Putin" must find "Putin's".
    """
    out, negate = [], False
    for token in _QUERY_TOKEN.findall(q):
        if token in _OPERATOR_WORDS:
            out.append(_OPERATOR_WORDS[token])
            continue
        if token == "NOT":
            negate = True
            continue
        if negate:
            token, negate = f"-{token}", False
        word = _WORD.fullmatch(token)
        if word:
            sign, text = word.groups()
            token = f"{sign}({text} | {text}'s | {text}\u2019s)"
        out.append(token)
    return " ".join(out)


def text_query(q):
    """Lenient full-text query, title boosted over body; None when there is nothing to match."""
    query = simple_query(q)
    if not query:
        return None
    return Q(
        "simple_query_string",
        query=query,
        fields=TEXT_FIELDS,
        default_operator="and",
        lenient=True,
        analyze_wildcard=True,
    )


def date_range_query(date_from, date_to):
    """Articles published within the days [date_from, date_to]; undated articles never match."""
    if not (date_from or date_to):
        return Q("exists", field="published_at")
    bounds = {"format": "strict_date"}
    if date_from:
        bounds["gte"] = date_from.isoformat()
    if date_to:
        bounds["lt"] = (date_to + timedelta(days=1)).isoformat()
    return Q("range", published_at=bounds)


def date_aggregation(date_from, date_to):
    """Two buckets: dated articles in the range with their histogram, and undated articles."""
    agg = A(
        "filters",
        filters={"dated": date_range_query(date_from, date_to), "unknown": ~Q("exists", field="published_at")},
    )
    agg.bucket(
        "histogram", "date_histogram", field="published_at",
        calendar_interval=presentation.histogram_interval(date_from, date_to), min_doc_count=1,
    )
    return agg


class DateFacet(Facet):
    """published_at as a drill-down histogram limited to the chosen range.

    Unlike the terms facets, the range also narrows its own histogram (drilling
    into 1987 shows 1987's months); the undated count ignores the range, so the
    page can say how many articles a date range leaves out.
    """

    def __init__(self, date_from, date_to):
        super().__init__()
        self.date_from, self.date_to = date_from, date_to

    def get_aggregation(self):
        return date_aggregation(self.date_from, self.date_to)

    def add_filter(self, filter_values):
        return date_range_query(*filter_values[0]) if filter_values else None

    def get_values(self, data, filter_values):
        return [(day, count, False) for day, count in presentation.histogram_counts(data).items()]


class ArticleSearch(FacetedSearch):
    """The archive's faceted search for one SearchParams."""

    index = ArticleDocument._index._name
    doc_types = [ArticleDocument]
    fields = TEXT_FIELDS

    def __init__(self, params, export=False):
        self.export = export  # an export needs neither facets nor highlights
        self.facets = {
            name: TermsFacet(field=field_name, size=facet_size(params, name) + 1, exclude=[""])
            for name, field_name in TERMS_FACETS.items()
        }
        self.facets["date"] = DateFacet(params.date_from, params.date_to)
        super().__init__(params.q, filters=params.facet_filters(), sort=SORTS[params.sort_order])

    def search(self):
        return super().search().extra(track_total_hits=True).source(excludes=["body"])

    def query(self, search, query):
        text = text_query(query)
        return search.query(text) if text else search

    def highlight(self, search):
        """Escaped text with only <mark> as markup (encoder html), so it can be marked safe."""
        if self.export:
            return search
        return (
            search.highlight_options(encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"])
            .highlight("title", number_of_fragments=0)
            .highlight("body", fragment_size=220, number_of_fragments=2, no_match_size=220)
        )

    def aggregate(self, search):
        """The facets, plus the counts of selected values that fall outside a facet's top list."""
        if self.export:
            return
        super().aggregate(search)
        for name, values in self.filter_values.items():
            if name in TERMS_FACETS:
                search.aggs["_filter_" + name].bucket(
                    "selected", "terms", field=TERMS_FACETS[name], include=list(values), size=len(values)
                )


def facet_size(params, name):
    return FACET_SIZE_MORE if name in params.more else FACET_SIZE


def search_articles(params):
    """Run the search for `params`: {"total", "page", "pages", "hits", "facets", ...}.

    Raises SearchParamError for a page past the end or a query Elasticsearch rejects.
    """
    start = (params.page - 1) * PAGE_SIZE
    response = _execute(ArticleSearch(params)[start : start + PAGE_SIZE])
    pages = min(math.ceil(response.hits.total.value / PAGE_SIZE), MAX_PAGE)
    sizes = {name: facet_size(params, name) for name in TERMS_FACETS}
    result = presentation.search_result(response, params, PAGE_SIZE, pages, sizes)
    if params.page > max(pages, 1):
        raise SearchParamError(f"page {params.page} is past the last page ({pages}).")
    return result


def export_rows(params, limit=MAX_RESULTS, batch=1000):
    """The first `limit` matching articles as plain dicts, fetched `batch` at a time, for CSV."""
    for start in range(0, limit, batch):
        response = _execute(ArticleSearch(params, export=True)[start : start + batch])
        yield from (presentation.export_row(hit) for hit in response)
        if len(response.hits) < batch:
            return


def _execute(search):
    try:
        return search.execute()
    except BadRequestError:
        raise SearchParamError("This query cannot be run; try fewer or simpler words.") from None


def related_articles(article_id, size=5):
    """Articles like this one (more_like_this on its text and entities)."""
    like = Q(
        "more_like_this",
        fields=["title", "body", "persons", "countries", "organizations"],
        like=[{"_index": ArticleDocument._index._name, "_id": str(article_id)}],
        min_term_freq=1,
        min_doc_freq=2,
        max_query_terms=25,
    )
    response = ArticleDocument.search().query(like).source(excludes=["body"])[:size].execute()
    return [presentation.hit_summary(hit) for hit in response]


def entity_facet_value(entity):
    """The facet and value that select the articles mentioning `entity`."""
    facet = next(name for name, kind in presentation.FACET_KIND.items() if kind == entity.kind)
    return facet, entity.key if entity.kind == Entity.Kind.COUNTRY else entity.name


def entity_search_params(entity):
    """The search for every article mentioning `entity`."""
    facet, value = entity_facet_value(entity)
    return SearchParams(**{facet: (value,)})


def entity_overview(entity, latest=10, related=10):
    """For an entity page: its articles over time, who is mentioned with it, its latest articles."""
    facet, value = entity_facet_value(entity)
    field_name = TERMS_FACETS[facet]
    search = (
        ArticleDocument.search()
        .filter("term", **{field_name: value})
        .extra(track_total_hits=True)
        .source(excludes=["body"])
        .sort(*SORTS["date"])[:latest]
    )
    search.aggs.bucket("date", date_aggregation(None, None))
    for name, other_field in TERMS_FACETS.items():
        if name in presentation.FACET_KIND:
            exclude = [value] if name == facet else []
            search.aggs.bucket(name, "terms", field=other_field, size=related, exclude=exclude)
    return presentation.entity_result(search.execute(), entity_search_params(entity))


def article_detail(article):
    """An article with its related articles; the article still shows when Elasticsearch is down."""
    try:
        related = related_articles(article.id)
    except UNAVAILABLE:
        related = []
    return presentation.article_result(article, related)
