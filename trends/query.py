"""The Elasticsearch requests of the trends, and the readers of their aggregations.

They are built from the search package's own pieces (`match_query`, `date_histogram`,
`date_range_query`), so a series or a rising search matches exactly what the search
page finds. The aggregations named here are read only here.
"""
from datetime import date

from django.conf import settings
from elasticsearch.dsl import Q

from articles.indexing import ArticleDocument
from articles.search import (
    ENTITY_FACETS,
    SearchParams,
    date_histogram,
    date_range_query,
    far_dates,
    histogram_counts,
    match_query,
)

RISING_SIZE = 10


def compare_search(series, date_from, date_to):
    """One request for a comparison: per period of the shared range (one interval for all),
    every dated article and the articles of each series (a filter aggregation each)."""
    search = ArticleDocument.search().extra(size=0)
    search.aggs.bucket("all", date_histogram(date_from, date_to))
    for number, params in enumerate(series):
        search.aggs.bucket(f"series_{number}", "filter", filter=match_query(params)).bucket(
            "dates", date_histogram(date_from, date_to)
        )
    return search


def compare_counts(response, series_count):
    """({first day of period: count} of all dated articles, the same for each series)."""
    aggs = response.aggregations
    return histogram_counts(aggs.all), [
        histogram_counts(getattr(aggs, f"series_{number}").dates) for number in range(series_count)
    ]


def latest_search():
    """The archive's dated articles per month (within the accepted dates), with the latest day of each."""
    search = ArticleDocument.search().extra(size=0)
    months = date_histogram(None, None)
    months.aggs["histogram"].metric("latest", "max", field="published_at")
    search.aggs.bucket("months", months)
    return search


def latest_day(response):
    """The day of the archive's latest dated article that is not a far date (the timeline's
    `far_dates`: one item dated 2005 among 1987 news would make rising look at 2005), or None
    for an archive without dated articles."""
    buckets = response.aggregations.months.histogram.buckets
    latest = {date.fromisoformat(b.key_as_string[:10]): date.fromisoformat(b.latest.value_as_string[:10])
              for b in buckets}
    kept, _ = far_dates({date.fromisoformat(b.key_as_string[:10]): b.doc_count for b in buckets}, SearchParams())
    return max((latest[month] for month in kept), default=None)


def rising_search(params, current, previous, size=RISING_SIZE):
    """The entities whose share of `params`' articles rose from the `previous` period to the
    `current` one ((first day, last day) each).

    significant_terms with the previous period as its background: the chi-square test with
    `background_is_superset` off (the periods do not overlap), leaving out what fell.
    Compared on Reuters-21578 with counts from two terms aggregations ranked by the rise
    of their share (docs/performance.md, "Trends"): it ranks what newly appears (a visit, a
    summit) above the everyday entities whose share moves a point or two.
    """
    base = match_query(params.changed(date_from=None, date_to=None, undated=False))  # the periods are its dates
    search = ArticleDocument.search().extra(size=0).filter(base).filter(date_range_query(*current))
    background = Q("bool", filter=[base, date_range_query(*previous)])
    for facet in ENTITY_FACETS:
        search.aggs.bucket(
            facet.name, "significant_terms", field=facet.shown_field, size=size, min_doc_count=settings.RISING_MIN_ARTICLES,
            background_filter=background, chi_square={"background_is_superset": False, "include_negatives": False},
        )
    return search


def rising_totals(response):
    """(articles in the current period, articles in the previous one), both of the search."""
    agg = getattr(response.aggregations, ENTITY_FACETS[0].name)
    return agg.doc_count, agg.bg_count


def rising_values(response, facet):
    """(value, count now, count before) of `facet`, most significant rise first (entities as Refs)."""
    return [(facet.shown_value(b.key), b.doc_count, b.bg_count)
            for b in getattr(response.aggregations, facet.name).buckets]
