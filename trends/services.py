"""The functions the trends views and API call: run the requests, build the results."""
from articles.search import ENTITY_FACETS, execute

from . import query
from .compare import compare_result
from .periods import rising_periods
from .rising import ranked_by_story, rising_result


def compare(params, search_path):
    """The comparison of CompareParams `params` (one request); without series, the periods
    and their counts of all articles alone."""
    dates = params.dates
    response = execute(query.compare_search(params.series, dates.date_from, dates.date_to, dates.by_story))
    all_counts, series_counts = query.compare_counts(response, len(params.series))
    return compare_result(params, all_counts, series_counts, search_path)


def latest_day(today):
    """The day of the archive's latest dated article, `today` for an archive without any."""
    return query.latest_day(execute(query.latest_search())) or today


def rising(params, search_path, today):
    """What rose in the search `params` (SearchParams) over its date range, or over the
    archive's last days without one, against the period of the same length before it; by
    story (the default) two requests: the candidates, then their stories."""
    latest = latest_day(today) if not (params.date_from and params.date_to) else None
    current, previous = rising_periods(params.date_from, params.date_to, latest)
    response = execute(query.rising_search(params, current, previous))
    if params.by_story:  # the candidates found by articles, counted and ranked by stories
        keys = {facet.name: query.rising_keys(response, facet) for facet in ENTITY_FACETS}
        totals, counts = query.rising_story_counts(execute(query.rising_stories_search(params, current, previous, keys)))
        values = {facet.name: [(facet.shown_value(key), now, before)
                               for key, now, before in ranked_by_story(facet.name, keys[facet.name], counts, totals)]
                  for facet in ENTITY_FACETS}
    else:
        totals = query.rising_totals(response)
        values = {facet.name: query.rising_values(response, facet) for facet in ENTITY_FACETS}
    return rising_result(params, current, previous, totals, values, search_path, default_period=not params.has_dates)
