"""What is rising, as the plain dict the rising page, the block on the search and entity
pages, and the API share."""
from django.conf import settings

from articles.search import ENTITY_FACETS

from .compare import share
from .periods import span_label


def with_value(params, name, value):
    """`params` with `value` of facet `name` selected (kept when it already was)."""
    values = getattr(params, name)
    return params if value in values else params.changed(**{name: (*values, value)})


def _period(start, end, total):
    return {"date_from": start.isoformat(), "date_to": end.isoformat(), "label": span_label(start, end),
            "total": total}


def rising_result(params, current, previous, totals, values, search_path, default_period):
    """The rising entities of the search `params` from period `previous` to `current`.

    totals: (articles now, articles before); values: {facet name: [(value, count now,
    count before)]}, most significant first; default_period: no range was chosen.
    Each value links to the search narrowed to it and to the current period.
    """
    now = params.changed(date_from=current[0], date_to=current[1], undated=False)
    total, previous_total = totals
    return {
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
