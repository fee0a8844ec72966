"""An article opened from a search: which search, where in its results, and its neighbours there.

A result link carries its search and its place in the results: `?from=<the search's
parameters, without its page>&hit=<n>`, n counted from 1 across pages. The article page
then links back to the page of results holding hit n (at its anchor `#hit-n`) and to the
results at n - 1 and n + 1, found by running the same search again for those three places
only. Both parameters are hints from the address bar: anything that is not a search or a
place in one is ignored, never an error.
"""
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict

from articles.search import client, query
from articles.search.params import MAX_RESULTS, SearchParamError, parse_search_params

MAX_FROM_LENGTH = 8_000  # far above any search's parameters; a longer `from` is not read at all


@dataclass(frozen=True)
class SearchContext:
    """The search an article was opened from, and its place in the results (None: unknown)."""

    params: Any  # a SearchParams, which mypy cannot read as a type (made by make_dataclass)
    hit: int | None = None


@dataclass(frozen=True)
class Neighbours:
    """The results around a place: {"id", "title"} of the one before and after, None at an end;
    `current` is the id found at the place itself (None past the end)."""

    previous: dict | None
    current: int | None
    next: dict | None


def link_queries(params):
    """A function from a place in the results of `params` to its result link's query string:
    the search without its page (encoded once for a whole listing), and the place."""
    search = urlencode({"from": urlencode(params.changed().query_items())})
    return lambda hit: f"{search}&hit={hit}"


def parse_hit(text):
    """A place in the results, 1 to MAX_RESULTS written in ASCII digits; None for anything else."""
    number = int(text) if re.fullmatch(r"[0-9]{1,5}", text or "") else 0
    return number if 1 <= number <= MAX_RESULTS else None


def parse_context(data):
    """The SearchContext of an article link's `from` and `hit` (a QueryDict or dict); None
    without a `from` that reads as a search (an empty one is the search for everything)."""
    text = data.get("from")
    if text is None or len(text) > MAX_FROM_LENGTH:
        return None
    try:
        params = parse_search_params(QueryDict(text))
    except (SearchParamError, TooManyFieldsSent):
        return None
    return SearchContext(params, parse_hit(data.get("hit")))


def page_of(hit, page_size):
    return (hit - 1) // page_size + 1


def neighbour_window(hit):
    """(from, size) of the request for the results at hit - 1, hit and hit + 1 (`from` counts
    from 0), inside the MAX_RESULTS that Elasticsearch pages through."""
    start = max(hit - 2, 0)
    return start, min(hit + 1, MAX_RESULTS) - start


def neighbours_in(hits, hit, start):
    """The Neighbours of place `hit` among `hits` ({"_id", "_source": {"title"}}), the first
    being at place start + 1."""
    at = {start + 1 + i: {"id": int(h["_id"]), "title": h["_source"]["title"]} for i, h in enumerate(hits)}
    return Neighbours(at.get(hit - 1), at[hit]["id"] if hit in at else None, at.get(hit + 1))


def neighbours(params, hit):
    """The results around place `hit` of the search `params`, with one request for at most
    three results' ids and titles (no count, facets or highlights)."""
    start, size = neighbour_window(hit)
    response = client.execute_raw(query.titles_search(params, start, size))
    return neighbours_in(response["hits"]["hits"], hit, start)
