"""Saved searches against the index: which new articles each one finds, and how many.

A saved search means what its search page means: the page's words AND its facet and
date filters, taken from the request the page itself sends, so an alert or a count can
never disagree with the page. Matching runs one search per saved search, restricted to
the new articles' ids and sent together by _msearch: the alerts benchmark
(`python -m benchmarks.alerts`) compared it with one request of named clauses for all
searches (faster for the small batches a run usually sees, slower for large ones; the
numbers are in docs/performance.md, "Alerts"), and a search Elasticsearch refuses fails
alone instead of taking its whole request with it.
"""
import logging

from elasticsearch.dsl.connections import connections

from articles.indexing import index_name
from articles.search import export_search

logger = logging.getLogger(__name__)
PER_REQUEST = 250  # saved searches per _msearch request


def search_filter(params):
    """The articles `params` finds, as one query (the page's query AND its post_filter)."""
    body = export_search(params, 0, 0).build_search().to_dict()
    return {"bool": {
        "must": [body["query"]] if "query" in body else [],
        "filter": [body["post_filter"]] if "post_filter" in body else [],
    }}


def _client():
    return connections.get_connection()


def match(searches, article_ids, per_request=PER_REQUEST):
    """{saved search id: [ids of the articles it finds]} among `article_ids`.

    `searches` is a list of (id, query from `search_filter`). The index is refreshed
    first, so every article marked indexed is visible to the searches.
    """
    found = {}
    if not searches or not article_ids:
        return found
    client = _client()
    client.indices.refresh(index=index_name())
    restrict = {"ids": {"values": [str(i) for i in article_ids]}}
    for start in range(0, len(searches), per_request):
        batch = searches[start : start + per_request]
        lines = []
        for _, query in batch:
            bounded = {"bool": {**query["bool"], "filter": [*query["bool"]["filter"], restrict]}}
            lines += [{"index": index_name()},
                      {"query": bounded, "size": len(article_ids), "_source": False, "track_total_hits": False}]
        for (search_id, _), response in zip(batch, client.msearch(searches=lines)["responses"]):
            if "error" in response:
                logger.error("Saved search %s was refused by Elasticsearch: %s", search_id, response["error"])
                continue
            ids = [int(hit["_id"]) for hit in response["hits"]["hits"]]
            if ids:
                found[search_id] = ids
    return found


def count_from(searches):
    """{saved search id: articles it finds from a given article id on}, in one request.

    `searches` is a list of (id, SearchParams, first article id counted).
    """
    if not searches:
        return {}
    lines = []
    for _, params, from_id in searches:
        query = search_filter(params)
        query["bool"]["filter"].append({"range": {"id": {"gte": from_id}}})
        lines += [{"index": index_name()}, {"size": 0, "track_total_hits": True, "query": query}]
    responses = _client().msearch(searches=lines)["responses"]
    return {
        search_id: response["hits"]["total"]["value"] if "hits" in response else None
        for (search_id, _, _), response in zip(searches, responses)
    }
