"""The Elasticsearch requests of the trends, and the readers of their aggregations.

They are built from the search package's own pieces (`match_query`, `date_histogram`,
`date_range_query`), so a series or a rising search matches exactly what the search
page finds. The aggregations named here are read only here.
"""
from datetime import date

from elasticsearch.dsl import Q

from articles.indexing import ArticleDocument
from articles.search import ENTITY_FACETS, date_histogram, date_range_query, histogram_counts, match_query

RISING_SIZE = 10
MIN_ARTICLES = 3  # fewer articles in the period is no trend (significant_terms' default)


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
    """The day of the archive's latest dated article (within the accepted dates)."""
    search = ArticleDocument.search().extra(size=0).filter(date_range_query(None, None))
    search.aggs.metric("latest", "max", field="published_at")
    return search


def latest_day(response):
    """That day, or None for an archive without dated articles."""
    latest = response.aggregations.latest
    return date.fromisoformat(latest.value_as_string[:10]) if latest.value is not None else None


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
            facet.name, "significant_terms", field=facet.shown_field, size=size, min_doc_count=MIN_ARTICLES,
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
