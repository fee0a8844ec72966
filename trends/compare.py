"""A comparison's counts as the plain dict the compare page, the API and the CSV share.

Periods come from the search package's `date_buckets` (the timeline's own periods), cut
from the counts of every dated article, so that every series has the same periods and
each point has a share: the series' articles over all articles of that period (or stories
over stories, as the comparison counts).
"""
from datetime import date

from articles.search import date_buckets

from .params import series_label


def aligned_buckets(counts, span, dates):
    """`date_buckets` of `counts` over exactly the periods of `span` ({day: count} whose
    days set the periods): a zero count on each of its days makes the same periods."""
    if not span:
        return []
    return date_buckets({**dict.fromkeys(span, 0), **counts}, dates)


def share(count, total):
    """count / total, or None for a period without articles (no share to speak of)."""
    return count / total if total else None


def period_params(params, period):
    """`params` narrowed to one period of the chart."""
    return params.changed(date_from=date.fromisoformat(period["date_from"]),
                          date_to=date.fromisoformat(period["date_to"]))


def compare_result(compare, all_counts, series_counts, search_path):
    """The comparison of `compare` (CompareParams) from `query.compare_counts`' values.

    Each point links to the search for its series in its period, at `search_path`.
    """
    dates = compare.dates
    periods = aligned_buckets(all_counts, all_counts, dates)
    series = []
    for params, counts in zip(compare.series, series_counts):
        buckets = aligned_buckets(counts, all_counts, dates)
        series.append({
            "label": series_label(params),
            "query": params.url()[1:],
            "search_url": params.changed(date_from=dates.date_from, date_to=dates.date_to).url(search_path),
            "total": sum(bucket["count"] for bucket in buckets),
            "points": [
                {"count": bucket["count"], "share": share(bucket["count"], period["count"]),
                 "url": period_params(params, period).url(search_path)}
                for bucket, period in zip(buckets, periods)
            ],
        })
    return {
        "count": compare.counted,
        "date_from": dates.date_from.isoformat() if dates.date_from else None,
        "date_to": dates.date_to.isoformat() if dates.date_to else None,
        "periods": [{key: period[key] for key in ("value", "label", "date_from", "date_to")}
                    | {"total": period["count"]} for period in periods],
        "series": series,
    }
