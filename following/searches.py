"""Saved searches: what a search page's state is saved as, how it reads, where it leads,
and how many articles are new since the reader last opened it."""
from datetime import date
from itertools import chain, count
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from articles import stories
from articles.search import (
    FACETS,
    PAGE_SIZE,
    UNAVAILABLE,
    UNDATED,
    WIDENED,
    SearchParams,
    parse_search_params,
    thread_label,
)

from . import arrivals, feedkeys, matching
from .models import SavedSearch

MAX_SAVED_SEARCHES = 100  # per reader: bounds the work of every alert run


def parse_query(text):
    """A search URL's query string (with or without "?") as SearchParams; raises SearchParamError."""
    return parse_search_params(QueryDict(text.lstrip("?")))


def canonical_query(params):
    """The query string that keeps what a search finds (words, facets, dates) and drops
    how the page shows it (page and its size, sort, facets listing more values)."""
    return params.changed(page=1, page_size=PAGE_SIZE, sort="", more=()).url().lstrip("?")


def describe(params):
    """A short human name for a search, e.g. '“oil” · Country: Saudi Arabia · 1987'."""
    parts = [f"“{params.q}”"] if params.q else []
    for name, facet in FACETS.items():
        parts += [f"{facet.title}: {facet.label(value)}" for value in getattr(params, name)]
    if params.widened:
        parts.append(WIDENED)
    dates = [f"{_day(params.date_from) or '…'} – {_day(params.date_to) or '…'}"] if params.has_dates else []
    if params.undated:
        dates.append(UNDATED)
    if dates:
        parts.append(" or ".join(dates))
    if params.thread:
        parts.append(thread_label(params.thread))
    return " · ".join(parts) or "All articles"


def _day(value):
    return value.isoformat() if isinstance(value, date) else ""


def search_url(query):
    return f"{reverse('articles:search')}?{query}" if query else reverse("articles:search")


def feed_url(query, user=None):
    """The search's feed; with `user`'s private key where feeds need one (`feedkeys`)."""
    key = feedkeys.feed_key(user)
    query = "&".join(part for part in (query, key and urlencode({"key": key})) if part)
    return f"{reverse('following:feed')}?{query}" if query else reverse("following:feed")


def save(user, params, name, alert=SavedSearch.Alert.OFF):
    """Save the search for `user`; what is in the index now is not new to them."""
    return SavedSearch.objects.create(
        user=user, name=name, query=canonical_query(params), alert=alert, new_from_id=arrivals.current_mark(),
    )


class CannotFollow(Exception):
    """Why a story cannot be followed; the message is for the reader."""


def follow_story(user, article_id):
    """Save, for `user`, the story thread of an article (`thread=`: its versions and related
    coverage, docs/stories.md) with immediate alerts; returns (the saved search, whether it is
    new): a story already followed is not saved twice. Raises CannotFollow."""
    thread = _thread_of(article_id)
    if thread is None:
        raise CannotFollow("No such article.")
    params = SearchParams(thread=thread)
    followed = user.saved_searches.filter(query=canonical_query(params)).first()
    if followed is not None:
        return followed, False
    if user.saved_searches.count() >= MAX_SAVED_SEARCHES:
        raise CannotFollow(f"You can keep at most {MAX_SAVED_SEARCHES} saved searches; delete one first.")
    return save(user, params, _free_name(user, describe(params)[:190]), SavedSearch.Alert.IMMEDIATE), True


def followed_story(user, article_id):
    """The saved search in which `user` follows the story of an article, or None."""
    thread = _thread_of(article_id) if user.is_authenticated else None
    return user.saved_searches.filter(query=canonical_query(SearchParams(thread=thread))).first() if thread else None


def _thread_of(article_id):
    return stories.thread_of(f"a{article_id}") if stories.is_key(f"a{article_id}") else None


def _free_name(user, name):
    """`name`, or with a number after it when the reader has a saved search of that name."""
    taken = set(user.saved_searches.filter(name__startswith=name).values_list("name", flat=True))
    return next(candidate for candidate in chain([name], (f"{name} ({n})" for n in count(2))) if candidate not in taken)


def visit(search):
    """The reader opens a saved search: from now on, only later arrivals count as new."""
    search.visited_at = timezone.now()
    search.new_from_id = arrivals.current_mark()
    search.save(update_fields=["visited_at", "new_from_id"])
    return search_url(search.query)


def new_counts(searches):
    """{saved search id: articles new since its last visit} in one request; None when
    the index cannot be asked (the page then shows no counts)."""
    runnable = []
    for search in searches:
        try:
            runnable.append((search.pk, search.params(), search.new_from_id))
        except ValueError:  # a SearchParamError: a value the archive no longer knows
            continue
    try:
        return matching.count_from(runnable)
    except UNAVAILABLE:
        return None
