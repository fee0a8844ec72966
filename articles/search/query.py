"""The Elasticsearch requests, and the readers of the aggregations they ask for.

`ArticleSearch` is the client's FacetedSearch: facet filters go in a post_filter and
each facet is counted under the other facets' filters. The aggregations named here
are read only here (`facet_values`, `selected_counts`, `undated_count`, `overview_*`):
the results module gets plain values.

The requests are sent by `client`.
"""
import re
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Any, cast

from elasticsearch.dsl import A, Facet, FacetedSearch, Q, TermsFacet
from elasticsearch.dsl.response.aggs import BucketData
from elasticsearch.dsl.utils import AttrDict

from articles import datewindow
from articles.entities.history import successors
from articles.indexing.documents import LABEL_SEPARATOR, ArticleDocument, index_name
from articles.search.dates import histogram_interval
from articles.search.facets import COUNTRY, ENTITY_FACETS, FACETS, UNKNOWN, for_kind
from articles.search.params import PAGE_SIZE
from articles.search.syntax import split_fields, tokens

FACET_SIZE, FACET_SIZE_MORE = 10, 50
TEXT_FIELDS = ["title^3", "body"]

_DATE_DESC = {"published_at": {"order": "desc", "missing": "_last"}}
_DATE_ASC = {"published_at": {"order": "asc", "missing": "_last"}}
SORT_ORDERS: dict[str, list[str | dict[str, Any]]] = {  # relevance ties (every article, without words) go newest first
    "relevance": ["_score", _DATE_DESC, {"id": "desc"}],
    "date": [_DATE_DESC, {"id": "desc"}],
    "date_asc": [_DATE_ASC, {"id": "asc"}],
}

_WORD = re.compile(r"([+-]?)([^\W\d_]+)")
_OPERATOR_WORDS = {"OR": "|", "AND": "+"}


def simple_query(q):
    """The user's query in simple_query_string syntax.

    OR/AND/NOT written as words become the operators |, + and -. A bare word also
    matches its possessive, because hunspell only strips "'s" from dictionary
    words: "Putin" must find "Putin's".
    """
    out, negate = [], False
    for token in tokens(q):
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
    """Lenient full-text query, title boosted over body, and `title:` and `author:` words in
    that field only; None when there is nothing to match."""
    words, fielded = split_fields(q)
    parts = [(simple_query(words), TEXT_FIELDS), *((simple_query(value), [field]) for field, value in fielded)]
    clauses = [_simple(query, fields) for query, fields in parts if query]
    if len(clauses) < 2:
        return clauses[0] if clauses else None
    return Q("bool", must=clauses)


def words_query(params):
    """What `params` finds besides its filters: its words (`text_query`) and its story thread
    (`thread_query`), both when both are given; None when neither is."""
    parts = [part for part in (text_query(params.q), thread_query(params.thread)) if part]
    return Q("bool", must=parts) if len(parts) > 1 else (parts[0] if parts else None)


# A story thread's versions score above its related coverage, and the related coverage holds at
# least half of the canonical title's words (all of one or two words) besides one of its entities.
THREAD_VERSIONS_BOOST = 100.0
THREAD_TITLE_WORDS = "2<-50%"


def thread_query(thread):
    """The articles of a story thread (a `stories.Thread`, `params.thread`): the story's versions,
    and its related coverage, the articles holding most of its canonical version's title words (in
    their title or body, as the search reads words) and mentioning one of its main entities (when
    it has any); None without a thread."""
    if not thread:
        return None
    versions = Q("term", story={"value": str(thread), "boost": THREAD_VERSIONS_BOOST})
    if not thread.title.strip():
        return versions
    words = Q("multi_match", query=thread.title, fields=TEXT_FIELDS, type="cross_fields",
              minimum_should_match=THREAD_TITLE_WORDS)
    entities = [Q("term", **{for_kind(kind).field: ref}) for kind, ref in thread.entities]
    related = Q("bool", must=[words], filter=[Q("bool", should=entities, minimum_should_match=1)] if entities else [])
    return Q("bool", should=[versions, related], minimum_should_match=1)


def _simple(query, fields):
    return Q("simple_query_string", query=query, fields=fields, default_operator="and", lenient=True,
             analyze_wildcard=True)


def date_range_query(date_from, date_to):
    """Articles published within the days [date_from, date_to], cut to the accepted dates:
    undated articles never match, nor any whose date lies outside `datewindow` (one that
    reached the index anyway would stretch every histogram over millennia)."""
    first = max(date_from or date.min, datewindow.earliest())
    last = min(date_to or date.max, datewindow.latest())
    bounds = {"format": "strict_date", "gte": first.isoformat(), "lt": (last + timedelta(days=1)).isoformat()}
    return Q("range", published_at=bounds)


def undated_query():
    """Articles without a date, or with one outside the accepted dates."""
    return ~date_range_query(None, None)


STORY_FIELD = "story"  # the index field of the story an article is a version of
# The precision of a result's story count (Elasticsearch's cardinality, its largest threshold):
# an estimate, close below it but not guaranteed exact; a result's total and its pages use it.
STORY_COUNT_PRECISION = 40_000
# A collapsed page: a hit per story, the best of its versions by the search's order, with how
# many of its versions the search finds (an inner search per hit for their total alone).
COLLAPSE = {"field": STORY_FIELD}
COUNTED_COLLAPSE = {**COLLAPSE, "inner_hits": {"name": "versions", "size": 0, "_source": False}}


def counted(agg, by_story):
    """`agg`, whose buckets also count their stories when `by_story` (`count_of` reads them).
    Elasticsearch's cardinality at its default precision: an estimate, close for a few
    thousand stories a bucket, within about 1 % above."""
    if by_story:
        agg.metric("stories", "cardinality", field=STORY_FIELD)
    return agg


def count_of(bucket):
    """A bucket's stories when they were counted (`counted`), else its articles."""
    return bucket["stories"]["value"] if "stories" in bucket else bucket["doc_count"]


def date_histogram(date_from, date_to, dated=True, by_story=False):
    """Dated articles in the range, counted per period of `histogram_interval` (their stories
    too, `by_story`); none when `dated` is off (a search of the undated articles alone)."""
    agg = A("filter", filter=date_range_query(date_from, date_to) if dated else Q("match_none"))
    agg.bucket("histogram", counted(A(
        "date_histogram", field="published_at", calendar_interval=histogram_interval(date_from, date_to),
        min_doc_count=1,
    ), by_story))
    return agg


def histogram_counts(agg):
    """{first day of period: count (stories when counted)} from a `date_histogram` aggregation,
    a plain dict or the client's response object (both take item access)."""
    return {date.fromisoformat(b["key_as_string"][:10]): count_of(b) for b in agg["histogram"]["buckets"]}


class DateFacet(Facet):
    """published_at as a drill-down histogram limited to the chosen range, and the
    undated articles as a value of its own (`undated`, counted by `undated_count`).

    Unlike the terms facets, the range also narrows its own histogram (drilling
    into 1987 shows 1987's months).
    """

    def __init__(self, date_from, date_to, undated=False, by_story=False):
        super().__init__()
        self.date_from, self.date_to, self.undated, self.by_story = date_from, date_to, undated, by_story

    def get_aggregation(self):
        """The histogram of the dated articles the search can find: none when it asks for the
        undated ones alone."""
        dated = bool(self.date_from or self.date_to or not self.undated)
        return date_histogram(self.date_from, self.date_to, dated=dated, by_story=self.by_story)

    def add_filter(self, filter_values):
        """The range, the undated articles, or either: (date_from, date_to, undated)."""
        if not filter_values:
            return None
        date_from, date_to, undated = filter_values[0]
        dated = date_range_query(date_from, date_to) if date_from or date_to else None
        if not undated:
            return dated
        return dated | undated_query() if dated else undated_query()

    def get_values(self, data, filter_values):
        return [(day, count, False) for day, count in histogram_counts(data).items()]


class ShownTermsFacet(TermsFacet):
    """A terms facet that counts the values of `facet.shown_field` ("ref|label" for
    entities, read back as Refs) and filters on `facet.field` (refs).

    With `widened`, a selected historical country's filter also takes its successors in;
    the values shown as selected stay the ones chosen. With `by_story` the values (the most
    frequent by articles: ranking by stories would count the stories of every value) are
    counted and ordered by their stories.
    """

    def __init__(self, facet, size, widened=False, by_story=False):
        super().__init__(field=facet.shown_field, size=size, exclude=[""])
        self.facet, self.widened, self.by_story = facet, widened, by_story

    def get_aggregation(self):
        return counted(super().get_aggregation(), self.by_story)

    def get_metric(self, bucket):
        return count_of(bucket)

    def get_values(self, data, filter_values):
        values = super().get_values(data, filter_values)
        return sorted(values, key=lambda value: -value[1]) if self.by_story else values

    def add_filter(self, filter_values):
        if not filter_values:
            return None
        unknown = bool(self.facet.unknown) and UNKNOWN in filter_values
        values = [str(v) for v in filter_values if not (unknown and v == UNKNOWN)]
        if self.widened:
            values += [code for value in values for code in successors(value)]
        known = Q("terms", **{self.facet.field: list(dict.fromkeys(values))}) if values else None
        if not unknown:
            return known
        return known | unknown_query(self.facet) if known else unknown_query(self.facet)

    def get_value(self, bucket):
        return self.facet.shown_value(bucket["key"])


def unknown_query(facet):
    """Articles with no value of `facet` (none indexed, or an empty one)."""
    return ~Q("exists", field=facet.field) | Q("term", **{facet.field: ""})


def labelled_pattern(refs):
    """The regular expression (Lucene's syntax) of the "ref|label" values of `refs`."""
    def literal(text):
        return "".join(ch if ch.isalnum() else f"\\{ch}" for ch in text)
    return "|".join(f"{literal(str(ref) + LABEL_SEPARATOR)}.*" for ref in refs)


def facet_size(params, name):
    return FACET_SIZE_MORE if name in params.more else FACET_SIZE


# Escaped text with only <mark> as markup (encoder html), so that it can be marked safe. The one
# highlight of the search page, the feeds and the alert emails.
HIGHLIGHT = {
    "encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
    "fields": {"title": {"number_of_fragments": 0},
               "body": {"fragment_size": 220, "number_of_fragments": 2, "no_match_size": 220}},
}


class ArticleSearch(FacetedSearch):
    """The archive's faceted search for one SearchParams.

    FacetedSearch builds the request in steps (`search`, `query`, `highlight`, `sort`, ...);
    here each step sets its part in place with the client's `update_from_dict`. Chained
    calls copy the whole request at each call, measured more than twice as slow on the
    search benchmark's queries (docs/performance.md, "Search path").
    """

    doc_types = [ArticleDocument]
    fields = TEXT_FIELDS

    def __init__(self, params, start=0, size=PAGE_SIZE, export=False, highlighted=None, collapsed=False):
        self.index = index_name()
        self.search_params, self.start, self.size = params, start, size  # `params` is FacetedSearch's method
        self.order = SORT_ORDERS[params.sort_order]  # `sort` sets it; FacetedSearch's `sort` argument takes field names only
        self.export = export  # an export needs no facets, and no highlights unless asked (a feed)
        self.highlighted = not export if highlighted is None else highlighted
        # A page of a search by story (`by_story`) is a hit per story, with its versions counted;
        # other requests list articles unless asked (`collapsed`: a hit per story, uncounted).
        self.collapse = COUNTED_COLLAPSE if params.by_story and not export else COLLAPSE if collapsed else None
        self.facets = {
            name: ShownTermsFacet(facet, size=facet_size(params, name) + 1,
                                  widened=facet is COUNTRY and params.successors, by_story=params.by_story)
            for name, facet in FACETS.items()
        }
        self.facets["date"] = DateFacet(params.date_from, params.date_to, params.undated, by_story=params.by_story)
        super().__init__(params.q, filters=params.facet_filters())

    def search(self):
        # The page shows the exact total; an export only pages through, and counting is work.
        body = {"track_total_hits": not self.export, "_source": {"excludes": ["body"]}, "from": self.start,
                "size": self.size}
        if self.collapse:
            body["collapse"] = self.collapse
        return super().search().update_from_dict(body)

    def query(self, search, query):
        found = scoped_query(words_query(self.search_params), self.search_params)
        return search.update_from_dict({"query": found}) if found else search

    def highlight(self, search):
        return search.update_from_dict({"highlight": HIGHLIGHT}) if self.highlighted else search

    def sort(self, search):
        return search.update_from_dict({"sort": self.order})

    def build_search(self):
        """FacetedSearch builds the request at construction; it is kept as `request` (building
        it again was a measurable share of the app's own work on a search; docs/performance.md,
        "Search path")."""
        self.request = super().build_search()
        return self.request

    def aggregate(self, search):
        """The facets' aggregations, shared by every search in the same facet state (see
        `facet_aggregations`)."""
        if self.export:
            return
        for name, agg in facet_aggregations(facet_state(self.search_params), datewindow.latest()):
            search.aggs.bucket(name, agg)

    def aggregations(self):
        """(name, aggregation) pairs: each facet counted under the other facets' filters
        (FacetedSearch's semantics, under names of our own that `facet_values` reads); the
        counts of selected values that may fall outside a facet's top list; the undated
        articles (which a date range leaves out)."""
        by_story = self.search_params.by_story
        for name, facet in self.facets.items():
            within = A("filter", filter=self.filters_except(name))
            within.bucket(name, facet.get_aggregation())
            if name in FACETS and FACETS[name].unknown:
                within.bucket("unknown", counted(A("filter", filter=unknown_query(FACETS[name])), by_story))
            yield f"facet_{name}", within
        for name, values in self.filter_values.items():
            if name in FACETS:
                selected = A("filter", filter=self.filters_except(name))
                selected.bucket("values", counted(A("terms", field=FACETS[name].field,
                                                    include=[str(v) for v in values], size=len(values)), by_story))
                yield f"selected_{name}", selected
        yield "undated", counted(A("filter", filter=self.filters_except("date") & undated_query()), by_story)
        if by_story:  # the result's total: its stories under every filter
            stories = A("filter", filter=self.filters_except(None))
            stories.metric("stories", "cardinality", field=STORY_FIELD, precision_threshold=STORY_COUNT_PRECISION)
            yield "stories", stories

    @cached_property
    def facet_filters(self):
        """{facet name: its filter} of the facets with chosen values, made once per search (each
        facet's count needs all but its own)."""
        filters = {name: self.facets[name].add_filter(values) for name, values in self.filter_values.items()}
        return {name: f for name, f in filters.items() if f}

    def filters_except(self, name):
        """Every facet's filter but the one of `name` (how FacetedSearch counts a facet)."""
        return Q("bool", filter=[f for other, f in self.facet_filters.items() if other != name])

    def to_dict(self):
        """The request body."""
        return self.request.to_dict()

    def facet_values(self, response):
        """{facet name: [(value, count, selected), ...]} from a raw response, read by the
        facets themselves (their public `get_values`, which reads the `buckets` an AttrDict of the
        raw aggregation gives as the client's BucketData does)."""
        aggs = response["aggregations"]
        return {
            name: facet.get_values(cast(BucketData, AttrDict(aggs[f"facet_{name}"][name])), self.filter_values.get(name, []))
            for name, facet in self.facets.items()
        }


def facet_state(params):
    """What a search's aggregations depend on: its selected values, date range and longer
    lists, not its words, order or page."""
    return params.changed(q="", sort="")


@lru_cache(maxsize=1024)
def facet_aggregations(state, last_accepted_day):
    """The aggregations of the searches in facet state `state`, as (name, aggregation) pairs.

    Their date filters end on `last_accepted_day` (`datewindow.latest()`), part of the key
    so that a new day makes new ones.

    Made once per state and shared read-only (the client's aggregations copy themselves
    before any change): making them was about half the time of building a request for the
    search benchmark's queries (docs/performance.md, "Search path").
    """
    return tuple(ArticleSearch(state, export=True).aggregations())


def page_search(params):
    """The request for one page of results."""
    return ArticleSearch(params, start=(params.page - 1) * params.page_size, size=params.page_size)


def request_body(params):
    """The JSON body `page_search` sends (the search benchmark sends it to Elasticsearch alone)."""
    return page_search(params).to_dict()


def export_search(params, start, size, highlighted=False):
    """The request for `size` results from `start`, without facets; highlighted on request."""
    return ArticleSearch(params, start=start, size=size, export=True, highlighted=highlighted)


def snippet_search(q, article_ids):
    """The request for the highlighted titles and snippets of `article_ids` for the words `q`.

    Every one of the articles is found, whether or not it still matches `q` (the words
    only score, they do not filter): where they are not in its text, or `q` has none, its
    snippet is its opening lines (the highlight's `no_match_size`).
    """
    text = text_query(q)
    restrict = Q("ids", values=[str(i) for i in article_ids])
    return ArticleDocument.search().query(Q("bool", should=[text] if text else [], filter=[restrict])).update_from_dict(
        {"size": len(article_ids), "_source": {"includes": ["title"]}, "track_total_hits": False, "highlight": HIGHLIGHT}
    )


def titles_search(params, start, size):
    """The ids and titles of `size` results from `start`, in the search's order (a hit per
    story when the search is by story): the request of `export_search` without the rest of
    each result."""
    search = ArticleSearch(params, start=start, size=size, export=True, highlighted=False, collapsed=params.by_story)
    return search.request.source(includes=["title"])


def words_search(article_id, q, fields, pre_tag, post_tag):
    """Article `article_id` with the words of query `q` marked in the whole of each of its
    `fields` (between `pre_tag` and `post_tag`, text not encoded), as the search matches
    them: the same query, so the same analysis; None when `q` has no words to match."""
    text = text_query(q)
    if text is None:
        return None
    return ArticleDocument.search().update_from_dict({
        "query": {"ids": {"values": [str(article_id)]}},
        "_source": False,
        "highlight": {"highlight_query": text.to_dict(), "pre_tags": [pre_tag], "post_tags": [post_tag],
                      "fields": {field: {"number_of_fragments": 0} for field in fields}},
    })


def export_page_request(params, size):
    """The body of one page of `size` results of an export through a point in time: the
    search's order with Elasticsearch's cheapest tiebreaker (`_shard_doc`, the document's
    place in its shard), so that `search_after` meets every match exactly once. No `from`
    (search_after starts where the last page ended) and no index (the PIT names it)."""
    body = export_search(params, 0, size).to_dict()
    del body["from"]
    body["sort"] = [*body["sort"], {"_shard_doc": "asc"}]
    return body


def selected_counts(response, name):
    """{value: count} of the selected values of facet `name`, counted like the facet."""
    agg = response["aggregations"].get(f"selected_{name}")
    return {b["key"]: count_of(b) for b in agg["values"]["buckets"]} if agg else {}


def unknown_count(response, name):
    """How many articles (or stories) have no value of facet `name` (counted like the facet);
    None for a facet that does not offer them."""
    unknown = response["aggregations"][f"facet_{name}"].get("unknown")
    return count_of(unknown) if unknown else None


def undated_count(response):
    return count_of(response["aggregations"]["undated"])


def total_count(response):
    """What a page's results number: their stories when counted, else their articles."""
    stories = response.get("aggregations", {}).get("stories")
    return stories["stories"]["value"] if stories else response["hits"]["total"]["value"]


def versions_count(hit):
    """How many versions of a collapsed hit's story the search finds (1 for an article listed alone)."""
    inner = hit.get("inner_hits")
    return inner["versions"]["hits"]["total"]["value"] if inner else 1


def overview_search(facet, value, latest, related):
    """Articles with `value` of `facet`: the latest, a histogram, the entities mentioned with it."""
    search = (
        ArticleDocument.search()
        .filter("term", **{facet.field: str(value)})
        .extra(track_total_hits=True)
        .source(excludes=["body"])
        .sort(*SORT_ORDERS["date"])[:latest]
    )
    search.aggs.bucket("date", date_histogram(None, None))
    search.aggs.bucket("undated", "filter", filter=undated_query())
    for other in ENTITY_FACETS:
        exclude = {"exclude": labelled_pattern([value])} if other == facet else {}
        search.aggs.bucket(other.name, "terms", field=other.shown_field, size=related, **exclude)
    return search


def overview_histogram(response):
    return histogram_counts(response["aggregations"]["date"])


def overview_related(response, facet):
    """(value, count) of `facet` most often in the same articles, values as Refs."""
    return [(facet.shown_value(b["key"]), b["doc_count"]) for b in response["aggregations"][facet.name]["buckets"]]


def related_search(article_id, size):
    """Articles like this one (more_like_this on its text and entities)."""
    like = Q(
        "more_like_this",
        fields=["title", "body", *(facet.field for facet in ENTITY_FACETS)],
        like=[{"_index": index_name(), "_id": str(article_id)}],
        min_term_freq=1,
        min_doc_freq=2,
        max_query_terms=25,
    )
    return ArticleDocument.search().query(like).source(excludes=["body"])[:size]


def summary_search(params, named=(), related=5, new_from_id=None):
    """The count of a batch line's articles and what they have in common: the articles `params`
    finds or, under its filters, that mention one of the entities `named` ((kind, Ref) pairs the
    line's words name); the stories they are versions of, their first and last dates, top
    sources, the entities most often mentioned in them (neither `named` nor those `params`
    selects) and, with `new_from_id`, how many have an id from it on (`read_summary` reads them)."""
    query = match_query(params)
    if named:
        mentions = [Q("term", **{for_kind(kind).field: str(ref)}) for kind, ref in named]
        entities = Q("bool", filter=[match_query(params.changed(q=""))], should=mentions, minimum_should_match=1)
        query = Q("bool", should=[query, entities], minimum_should_match=1)
    search = ArticleDocument.search().query(query).extra(size=0, track_total_hits=True)
    dated = A("filter", filter=date_range_query(None, None))
    dated.bucket("first", "min", field="published_at")
    dated.bucket("last", "max", field="published_at")
    search.aggs.bucket("dated", dated)
    search.aggs.bucket("sources", "terms", field=FACETS["source"].field, size=related, exclude=[""])
    search.aggs.bucket("stories", "cardinality", field=STORY_FIELD, precision_threshold=STORY_COUNT_PRECISION)
    for facet in ENTITY_FACETS:
        known = [ref for kind, ref in named if kind == facet.kind] + [str(v) for v in getattr(params, facet.name)]
        exclude = {"exclude": labelled_pattern(known)} if known else {}
        search.aggs.bucket(facet.name, "terms", field=facet.shown_field, size=related, **exclude)
    if new_from_id is not None:
        search.aggs.bucket("new", "filter", filter=Q("range", id={"gte": new_from_id}))
    return search


def read_summary(response, related=5):
    """A `summary_search` response as plain values: total, stories, first and last day seen (None
    when no article is dated), top sources and entities ((value, count), most first), new (None
    when not asked)."""
    aggs = response["aggregations"]
    entities = [(facet, facet.shown_value(bucket["key"]), bucket["doc_count"])
                for facet in ENTITY_FACETS for bucket in aggs[facet.name]["buckets"]]
    return {
        "total": response["hits"]["total"]["value"],
        "stories": aggs["stories"]["value"],
        "first_seen": _day_of(aggs["dated"]["first"]),
        "last_seen": _day_of(aggs["dated"]["last"]),
        "sources": [(bucket["key"], bucket["doc_count"]) for bucket in aggs["sources"]["buckets"]],
        "entities": sorted(entities, key=lambda entity: -entity[2])[:related],
        "new": aggs["new"]["doc_count"] if "new" in aggs else None,
    }


def _day_of(metric):
    text = metric.get("value_as_string")
    return date.fromisoformat(text[:10]) if text else None


def match_query(params):
    """The articles `params` finds (words, facet values, dates) as one query.

    For requests that count several searches at once (filters and filter aggregations,
    where a post_filter cannot go); the filters are the FacetedSearch's own.
    """
    search = ArticleSearch(params, export=True)
    found = scoped_query(words_query(params), params)
    return Q("bool", must=[found] if found else [], filter=[search.filters_except(None)])


def scoped_query(found, params):
    """The query `found` (its words and thread, or None) within the stories `params` chooses (`story`)."""
    if not params.story:
        return found
    return Q("bool", must=[found] if found else [], filter=[Q("terms", **{STORY_FIELD: list(params.story)})])
