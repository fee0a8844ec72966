"""What is rising, as the plain dict the rising page, the block on the search and entity
pages, and the API share."""
from django.conf import settings

from articles.search import ENTITY_FACETS

from .compare import share
from .periods import span_label
from .query import RISING_SIZE


def with_value(params, name, value):
    """`params` with `value` of facet `name` selected (kept when it already was)."""
    values = getattr(params, name)
    return params if value in values else params.changed(**{name: (*values, value)})


def chi_square(now, now_total, before, before_total):
    """Elasticsearch's chi-square significance of a value found in `now` of `now_total` stories
    of one period and `before` of `before_total` of the period before (the background not a
    superset of the foreground); 0 when a margin is empty."""
    everything, mentioning = now_total + before_total, now + before
    margins = now_total * before_total * mentioning * (everything - mentioning)
    if not margins:
        return 0.0
    return everything * (now * (before_total - before) - (now_total - now) * before) ** 2 / margins


def ranked_by_story(name, keys, counts, totals, size=RISING_SIZE):
    """[(key, stories now, stories before)] of the `keys` of facet `name` (`counts` and `totals`
    from `query.rising_story_counts`) whose share of the stories rose and that at least
    RISING_MIN_ARTICLES stories of the period mention, most significant first, `size` at most."""
    now_total, before_total = totals
    found = [(key, *counts.get((name, key), (0, 0))) for key in keys]
    rose = [(key, now, before) for key, now, before in found
            if now >= settings.RISING_MIN_ARTICLES and now * before_total > before * now_total]
    rose.sort(key=lambda value: -chi_square(value[1], now_total, value[2], before_total))
    return rose[:size]


def _period(start, end, total):
    return {"date_from": start.isoformat(), "date_to": end.isoformat(), "label": span_label(start, end),
            "total": total}


def rising_result(params, current, previous, totals, values, search_path, default_period):
    """The rising entities of the search `params` from period `previous` to `current`.

    totals: (articles now, articles before), or stories by story; values: {facet name: [(value,
    count now, count before)]}, most significant first; default_period: no range was chosen.
    Each value links to the search narrowed to it and to the current period.
    """
    now = params.changed(date_from=current[0], date_to=current[1], undated=False)
    total, previous_total = totals
    return {
        "count": "stories" if params.by_story else "articles",
        **_period(*current, total),
        "previous": _period(*previous, previous_total),
        "default_period": default_period,
        "min_articles": settings.RISING_MIN_ARTICLES,
        "search_url": now.url(search_path),
        "groups": [
            {
                "facet": facet.name,
                "title": facet.plural,
                "values": [
                    {"value": str(value), "label": facet.label(value),
                     "count": count, "share": share(count, total),
                     "previous_count": before, "previous_share": share(before, previous_total),
                     "url": with_value(now, facet.name, value).url(search_path)}
                    for value, count, before in values.get(facet.name, [])
                ],
            }
            for facet in ENTITY_FACETS
        ],
    }
