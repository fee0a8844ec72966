"""A comparison's counts as the plain dict the compare page, the API and the CSV share.

Periods come from the search package's `date_buckets` (the timeline's own periods), cut
from the counts of every dated article, so that every series has the same periods and
each point has a share: the series' articles over all articles of that period (or stories
over stories, as the comparison counts).

The few articles dated far from all the others are left off the periods by the search
timeline's own rule (`far_dates`, cut from every dated article, so one for all series)
and reported beside them, each group with its series' counts.
"""
from datetime import date

from articles.search import date_buckets, far_dates, far_group

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
    kept, far = far_dates(all_counts, dates)
    periods = aligned_buckets(kept, kept, dates)
    series = []
    for params, counts in zip(compare.series, series_counts):
        buckets = aligned_buckets({day: count for day, count in counts.items() if day in kept}, kept, dates)
        series.append({
            "label": series_label(params),
            "query": params.url()[1:],
            "search_url": params.changed(date_from=dates.date_from, date_to=dates.date_to).url(search_path),
            "total": sum(counts.values()),  # its far dates too: the articles its search finds
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
        "date_outliers": [far_period(group, series_counts, dates) for group in far],
    }


def far_period(group, series_counts, dates):
    """A group of far dates left off the periods ({first day of period: count of all
    articles}), named as the search's timeline names it, with each series' count and share."""
    named = far_group(group, dates)
    counts = [sum(counts.get(day, 0) for day in group) for counts in series_counts]
    return {key: named[key] for key in ("label", "date_from", "date_to")} | {
        "total": named["count"], "points": [{"count": count, "share": share(count, named["count"])} for count in counts]}
