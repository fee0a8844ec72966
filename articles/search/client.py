"""Sending the search package's requests to Elasticsearch, and what its failures mean.

A query Elasticsearch refuses as malformed is the user's to change (a SearchParamError); any
other failure (`UNAVAILABLE`: down, overloaded) is the service's, which the pages answer with
a 503, never a 500.
"""
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings
from elasticsearch import ApiError, BadRequestError, TransportError
from elasticsearch.dsl.connections import connections

from articles.indexing.documents import index_name
from articles.search.params import SearchParamError

UNAVAILABLE = (ApiError, TransportError)  # Elasticsearch down or failing: a 503, never a 500
REFUSED = "This query cannot be run; try fewer or simpler words."


@contextmanager
def refusal_is_the_users():
    """A query Elasticsearch refuses is the user's to change: a SearchParamError."""
    try:
        yield
    except BadRequestError:
        raise SearchParamError(REFUSED, [("q", REFUSED)]) from None


def execute_many(searches, concurrency):
    """The plain responses to `searches` (`execute_raw_many`, at most `concurrency` running at once
    on Elasticsearch, so that a batch leaves the readers' searches room). A search Elasticsearch
    refuses as malformed is a SearchParamError in its place; any other failure of one (a node
    overloaded) raises, as Elasticsearch being down does."""
    answers = []
    for response in execute_raw_many(searches, concurrency):
        if "error" not in response:
            answers.append(response)
        elif response.get("status") == 400:
            answers.append(SearchParamError(REFUSED, [("q", REFUSED)]))
        else:
            raise TransportError(f"Elasticsearch could not run a search: {response['error']}")
    return answers


def execute(search):
    """The client's response object (attribute access, hits as ArticleDocument objects), for
    the callers that read it so (trends, feeds)."""
    with refusal_is_the_users():
        return search.using(search_client()).execute()


def execute_raw(search):
    """The response as the plain dicts Elasticsearch sent (`search` is a Search or an ArticleSearch).

    The pages and the API need only values; wrapping them in the client's objects (an
    ArticleDocument per hit, with a dateutil parse and an object per field) cost much of a
    search's CPU in the app (docs/performance.md, "Search path"). The client is the process's
    one connection, its pool shared by the threads.
    """
    with refusal_is_the_users():
        return search_client().search(index=index_name(), body=search.to_dict()).body


def execute_raw_many(searches, concurrency=None):
    """The responses to `searches` (Search objects), sent together by _msearch, at most
    `concurrency` of them running at once on Elasticsearch when given; a search Elasticsearch
    refuses answers {"error": ...} alone."""
    lines = [line for search in searches for line in ({"index": index_name()}, search.to_dict())]
    limit = {"max_concurrent_searches": concurrency} if concurrency else {}
    return search_client().msearch(searches=lines, **limit)["responses"] if lines else []


def search_client():
    """The process's client, with a reader's search timeout (ELASTICSEARCH_SEARCH_TIMEOUT)."""
    return _with_timeout(connections.get_connection(), settings.ELASTICSEARCH_SEARCH_TIMEOUT)


@lru_cache(maxsize=8)
def _with_timeout(client, timeout):
    """One client per connection and timeout: `options()` builds a whole new client object
    (every API namespace) at each call, work a search need not repeat."""
    return client.options(request_timeout=timeout)
