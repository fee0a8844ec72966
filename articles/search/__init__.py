"""Search, in the manner of Aleph's search package: one module per step.

    params   request parameters -> SearchParams (a Django form)
    facets   the one registry of facets
    query    SearchParams -> Elasticsearch requests, and the readers of their aggregations
    dates    the histogram's periods
    results  responses -> the plain dicts the pages and the API share

This module holds the functions the views and the API call.
"""
import math

from articles.enrichment import identity
from articles.search import query, results
from articles.search.dates import date_buckets, period_label
from articles.search.facets import ENTITY_FACETS, FACETS, for_kind
from articles.search.params import (
    MAX_QUERY_LENGTH,
    MAX_RESULTS,
    MAX_VALUE_LENGTH,
    PAGE_SIZE,
    WIDENED,
    NoSuchPage,
    SearchForm,
    SearchParamError,
    SearchParams,
    parse_search_params,
    query_params,
    storable,
)
from articles.search.query import (
    UNAVAILABLE,
    date_histogram,
    date_range_query,
    execute,
    execute_raw,
    export_search,
    histogram_counts,
    match_query,
    simple_query,
)
from articles.search.results import article_urls, entity_dict, export_row

# The door: what the pages, the API, following/ and trends/ may use.
__all__ = [
    "ENTITY_FACETS", "FACETS", "MAX_QUERY_LENGTH", "MAX_VALUE_LENGTH", "NoSuchPage", "PAGE_SIZE", "SearchForm",
    "SearchParamError", "SearchParams",
    "UNAVAILABLE", "WIDENED", "article_detail", "article_urls", "date_buckets", "date_histogram", "date_range_query",
    "entity_dict", "entity_overview", "entity_search_params", "execute", "execute_raw", "export_row", "export_rows",
    "export_search", "histogram_counts", "match_query", "parse_search_params", "period_label", "query_params",
    "related_articles", "search_articles", "simple_query", "storable", "summarise",
]


def search_articles(params):
    """Run the search for `params`: {"total", "page", "pages", "hits", "facets", ...}.

    Raises NoSuchPage for a page past the end, SearchParamError for a query Elasticsearch rejects.
    """
    last_page = MAX_RESULTS // params.page_size  # pages reach Elasticsearch's result window, no further
    if params.page > last_page:
        message = f"page {params.page} is past the last page of {params.page_size} results ({last_page})."
        raise NoSuchPage(message, [("page", message)])
    search = query.page_search(params)
    response = query.execute_raw(search)
    pages = min(math.ceil(response["hits"]["total"]["value"] / params.page_size), last_page)
    if params.page > max(pages, 1):
        message = f"page {params.page} is past the last page ({pages})."
        raise NoSuchPage(message, [("page", message)])
    return results.search_result(response, search.facet_values(response), params, pages)


def export_rows(params, limit=MAX_RESULTS, batch=1000):
    """The first `limit` matching articles as plain dicts, fetched `batch` at a time, for CSV."""
    url_of = results.article_urls()  # at the first row, still inside the request
    for start in range(0, limit, batch):
        hits = query.execute_raw(query.export_search(params, start, batch))["hits"]["hits"]
        yield from (results.export_row(hit, url_of) for hit in hits)
        if len(hits) < batch:
            return


def summarise(searches, related=5, new_from_id=None, concurrency=1):
    """For a batch of searches (batches/): what each of `searches` (SearchParams) finds, counted
    with its first and last days, top sources and co-mentioned entities (`query.read_summary`),
    and `named`, the entities its words name ((kind, Ref) pairs), whose articles it also finds;
    or the SearchParamError of a search Elasticsearch refused. One _msearch request, run
    `concurrency` searches at a time."""
    if not searches:
        return []
    words = {params: params.q.strip('"').strip() for params in searches}
    names = identity.named([text for text in set(words.values()) if text])
    named = [names.get(words[params], []) for params in searches]
    requests = [query.summary_search(params, found, related, new_from_id) for params, found in zip(searches, named)]
    return [answer if isinstance(answer, SearchParamError) else {**query.read_summary(answer, related), "named": found}
            for answer, found in zip(query.execute_many(requests, concurrency), named)]


def related_articles(article_id, size=5):
    response = query.execute_raw(query.related_search(article_id, size))
    url_of = results.article_urls()
    return [results.hit_summary(hit, url_of) for hit in response["hits"]["hits"]]


def article_detail(article):
    """An article with its entities and related articles; it still shows when Elasticsearch is down."""
    try:
        related = related_articles(article.id)
    except UNAVAILABLE:
        related = []
    return results.article_result(article, list(article.mentions.all()), related)


def entity_search_params(entity):
    """The search for every article mentioning `entity`."""
    facet = for_kind(entity.kind)
    return SearchParams(**{facet.name: (facet.value_of(entity),)})


def entity_overview(entity, latest=10, related=10):
    """For an entity page: its articles over time, who is mentioned with it, its latest articles."""
    facet = for_kind(entity.kind)
    response = query.execute_raw(query.overview_search(facet, facet.value_of(entity), latest, related))
    return results.entity_result(response, entity_search_params(entity))
