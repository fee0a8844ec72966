"""A search's Elasticsearch requests: a page of results with its facets, an export's pages,
the neighbours of a result, the highlights of chosen articles.

`ArticleSearch` is the client's FacetedSearch: facet filters go in a post_filter and
each facet is counted under the other facets' filters. Each facet kind adds its own
aggregations and reads them back (`aggregations`); `ArticleSearch.read` gives the results
module what they read, as plain values. The clauses the requests are made of are in
`clauses`; `client` sends them.
"""
from functools import cached_property, lru_cache
from typing import Any

from elasticsearch.dsl import FacetedSearch, Q

from articles import datewindow
from articles.indexing.documents import ArticleDocument, index_name
from articles.search.aggregations import Counts, DateFacet, TermsFacet, Total
from articles.search.clauses import STORY_FIELD, TEXT_FIELDS, scoped_query, text_query, words_query
from articles.search.facets import COUNTRY, FACETS
from articles.search.params import PAGE_SIZE

FACET_SIZE, FACET_SIZE_MORE = 10, 50  # the values a facet lists, and after "more"

_DATE_DESC = {"published_at": {"order": "desc", "missing": "_last"}}
_DATE_ASC = {"published_at": {"order": "asc", "missing": "_last"}}
SORT_ORDERS: dict[str, list[str | dict[str, Any]]] = {  # relevance ties (every article, without words) go newest first
    "relevance": ["_score", _DATE_DESC, {"id": "desc"}],
    "date": [_DATE_DESC, {"id": "desc"}],
    "date_asc": [_DATE_ASC, {"id": "asc"}],
}

# A collapsed page: a hit per story, the best of its versions by the search's order, with how
# many of its versions the search finds (an inner search per hit for their total alone).
COLLAPSE = {"field": STORY_FIELD}
COUNTED_COLLAPSE = {**COLLAPSE, "inner_hits": {"name": "versions", "size": 0, "_source": False}}


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
    here each step sets its part in place with the client's `update_from_dict`: chained calls
    copy the whole request at each call, which was slower (docs/performance.md, "Search path").
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
        # FacetedSearch's facets, which make its filters; each also adds its aggregations and reads them back.
        self.facets: dict[str, Any] = {
            name: TermsFacet(facet, facet_size(params, name), widened=facet is COUNTRY and params.successors,
                             by_story=params.by_story)
            for name, facet in FACETS.items()
        }
        self.facets["date"] = DateFacet(params.date_from, params.date_to, params.undated, by_story=params.by_story)
        self.total = Total(params.by_story)
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
        """FacetedSearch builds the request at construction; it is kept as `request`, not built
        again (docs/performance.md, "Search path")."""
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
        """(name, aggregation) pairs: each facet's, counted under the other facets' filters
        (FacetedSearch's semantics), then the total's."""
        for name, facet in self.facets.items():
            yield from facet.aggregations(self.filters_except(name), self.filter_values.get(name, []))
        yield from self.total.aggregations(self.filters_except(None))

    def read(self, response):
        """The Counts of a page's response (a plain dict): its total, and each facet as it read
        itself."""
        aggregations = response["aggregations"]
        facets = {name: facet.read(aggregations, self.filter_values.get(name, [])) for name, facet in self.facets.items()}
        return Counts(self.total.read(response), facets)

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


def facet_size(params, name):
    return FACET_SIZE_MORE if name in params.more else FACET_SIZE


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
    before any change): making them was a large share of building a request
    (docs/performance.md, "Search path").
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


def versions_count(hit):
    """How many versions of a collapsed hit's story the search finds (1 for an article listed alone)."""
    inner = hit.get("inner_hits")
    return inner["versions"]["hits"]["total"]["value"] if inner else 1


def match_query(params):
    """The articles `params` finds (words, facet values, dates) as one query.

    For requests that count several searches at once (filters and filter aggregations,
    where a post_filter cannot go); the filters are the FacetedSearch's own.
    """
    search = ArticleSearch(params, export=True)
    found = scoped_query(words_query(params), params)
    return Q("bool", must=[found] if found else [], filter=[search.filters_except(None)])


