"""Search, in the manner of Aleph's search package: one module per step.

    params   request parameters -> SearchParams (a Django form)
    facets   the one registry of facets
    clauses  the query clauses requests are made of: words, story thread, dates, unknown values
    aggregations  one class per facet kind, which adds its aggregations and reads them back
    query    SearchParams -> the page's, an export's and the neighbours' Elasticsearch requests
    summaries  an entity's overview, a batch line's summary, related articles: requests and readers
    client   sends the requests; what Elasticsearch refusing or failing means
    dates    the histogram's periods
    results  responses -> the plain dicts the pages and the API share
    export   every match of a search, however many, through a point in time
    navigation  an article opened from a search: back to its results, its neighbours there
    marks    where a search's words are in an article's title and body

This module holds the functions the views and the API call.
"""
import logging
import math

from articles import stories
from articles.enrichment import identity
from articles.search import client, marks, navigation, query, results, summaries
from articles.search.aggregations import counted, date_histogram, histogram_counts
from articles.search.clauses import date_range_query, simple_query
from articles.search.client import UNAVAILABLE, execute, execute_raw
from articles.search.dates import date_buckets, far_dates, far_group, period_label
from articles.search.export import Export
from articles.search.facets import ENTITY_FACETS, FACETS, for_kind
from articles.search.navigation import Neighbours, SearchContext, link_queries, page_of
from articles.search.params import (
    COUNTS,
    MAX_QUERY_LENGTH,
    MAX_RESULTS,
    MAX_VALUE_LENGTH,
    PAGE_SIZE,
    UNDATED,
    WIDENED,
    NoSuchPage,
    SearchForm,
    SearchParamError,
    SearchParams,
    parse_search_params,
    query_params,
    storable,
    thread_label,
)
from articles.search.query import export_search, match_query
from articles.search.results import article_urls, entity_dict, export_row, highlighted_title, snippet

logger = logging.getLogger(__name__)

# The door: what the pages, the API, following/ and trends/ may use.
__all__ = [
    "COUNTS", "ENTITY_FACETS", "Export", "FACETS", "MAX_QUERY_LENGTH", "MAX_VALUE_LENGTH", "NoSuchPage", "PAGE_SIZE", "SearchForm",
    "SearchParamError", "SearchParams", "counted",
    "UNAVAILABLE", "UNDATED", "WIDENED", "article_detail", "article_urls", "date_buckets", "date_histogram", "date_range_query",
    "entity_dict", "entity_overview", "entity_search_params", "execute", "execute_raw", "export_row",
    "export_search", "far_dates", "far_group", "histogram_counts", "match_query", "parse_search_params", "period_label", "query_params",
    "related_articles", "search_articles", "simple_query", "snippet", "highlights", "highlighted_title", "storable",
    "summarise", "thread_label",
    "Neighbours", "SearchContext", "article_in_search", "link_queries", "page_of", "search_context",  # navigation
]


def search_articles(params):
    """Run the search for `params`: {"total", "page", "pages", "hits", "facets", ...}; by story
    (`params.by_story`) a hit per story, `total`, pages and counts of stories.

    Raises NoSuchPage for a page past the end, SearchParamError for a query Elasticsearch rejects.
    """
    last_page = MAX_RESULTS // params.page_size  # pages reach Elasticsearch's result window, no further
    if params.page > last_page:
        message = f"page {params.page} is past the last page of {params.page_size} results ({last_page})."
        raise NoSuchPage(message, [("page", message)])
    search = query.page_search(params)
    response = client.execute_raw(search)
    counts = search.read(response)
    pages = min(math.ceil(counts.total / params.page_size), last_page)
    if params.page > max(pages, 1):
        message = f"page {params.page} is past the last page ({pages})."
        raise NoSuchPage(message, [("page", message)])
    return results.search_result(response, counts, params, pages)


def highlights(requests, batch=500):
    """{article id: {"title_html", "snippet"}} for `requests`, a list of (words, article ids):
    its title with the words marked and its highlighted snippet, as the search page
    highlights them (`results.highlighted_title`, `results.snippet`), in one _msearch.

    An article whose text holds none of the words (or whose words are none) gets its
    opening lines; one missing from the index, or whose search Elasticsearch refused, none.
    """
    searches = [query.snippet_search(q, ids[start : start + batch])
                for q, ids in requests for start in range(0, len(ids), batch)]
    found = {}
    for response in client.execute_raw_many(searches):
        if "error" in response:
            logger.warning("A highlights search was refused by Elasticsearch: %s", response["error"])
        for hit in response.get("hits", {}).get("hits", ()):
            found[int(hit["_id"])] = {"title_html": results.highlighted_title(hit), "snippet": results.snippet(hit)}
    return found


def summarise(searches, related=5, new_from_id=None, concurrency=1):
    """For a batch of searches (batches/): what each of `searches` (SearchParams) finds, counted
    with its stories, first and last days, top sources and co-mentioned entities (`summaries.read_summary`),
    and `named`, the entities its words name ((kind, Ref) pairs), whose articles it also finds;
    or the SearchParamError of a search Elasticsearch refused. One _msearch request, run
    `concurrency` searches at a time."""
    if not searches:
        return []
    words = {params: params.q.strip('"').strip() for params in searches}
    names = identity.named([text for text in set(words.values()) if text])
    named = [names.get(words[params], []) for params in searches]
    requests = [summaries.summary_search(params, found, related, new_from_id) for params, found in zip(searches, named)]
    return [answer if isinstance(answer, SearchParamError) else {**summaries.read_summary(answer, related), "named": found}
            for answer, found in zip(client.execute_many(requests, concurrency), named)]


def related_articles(article_id, size=5):
    response = client.execute_raw(summaries.related_search(article_id, size))
    url_of = results.article_urls()
    return [results.hit_summary(hit, url_of) for hit in response["hits"]["hits"]]


def article_detail(article):
    """An article with its entities, related articles and the other versions of its story; it
    still shows when Elasticsearch is down."""
    try:
        related = related_articles(article.id)
    except UNAVAILABLE:
        related = []
    return results.article_result(article, list(article.mentions.all()), related, stories.versions_of(article.id))


def search_context(request):
    """The SearchContext an article page was opened from (its `from` and `hit`), or None."""
    try:
        return navigation.parse_context(query_params(request))
    except SearchParamError:  # too many parameters to read any
        return None


def article_in_search(article, context):
    """For an article opened from the search `context`: {"neighbours": its Neighbours when it
    is still at its place in the results, else None; "marks" and "title_marks": the (start,
    end) offsets of the search's words in its body and its title}. Without them when
    Elasticsearch is unavailable or refuses the query: the article still shows."""
    found: dict[str, Neighbours | list[tuple[int, int]] | None] = {"neighbours": None, "marks": [], "title_marks": []}
    if context is None:
        return found
    try:
        if context.hit:
            near = navigation.neighbours(context.params, context.hit)
            found["neighbours"] = near if near.current == article.id else None
        spans = marks.word_spans(article.id, {"title": article.title, "body": article.body}, context.params.q)
        found["marks"], found["title_marks"] = spans["body"], spans["title"]
    except (*UNAVAILABLE, SearchParamError):
        pass
    return found


def entity_search_params(entity):
    """The search for every article mentioning `entity`."""
    facet = for_kind(entity.kind)
    return SearchParams(**{facet.name: (facet.value_of(entity),)})


def entity_overview(entity, latest=10, related=10):
    """For an entity page: its articles over time, who is mentioned with it, its latest articles."""
    facet = for_kind(entity.kind)
    response = client.execute_raw(summaries.overview_search(facet, facet.value_of(entity), latest, related))
    return results.entity_result(response, summaries.read_overview(response), entity_search_params(entity))
