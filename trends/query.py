"""The Elasticsearch requests of the trends, and the readers of their aggregations.

They are built from the search package's own pieces (`match_query`, `date_histogram`,
`date_range_query`), so a series or a rising search matches exactly what the search
page finds. The aggregations named here are read only here.
"""
from datetime import date

from django.conf import settings
from elasticsearch.dsl import A, Q

from articles.indexing import ArticleDocument
from articles.search import (
    ENTITY_FACETS,
    SearchParams,
    counted,
    date_histogram,
    date_range_query,
    far_dates,
    histogram_counts,
    match_query,
)

RISING_SIZE = 10
# By story, the entities rising most by articles, this many times RISING_SIZE of them, are the
# candidates ranked again by their stories (`rising_stories_search`).
RISING_CANDIDATES = 3


def compare_search(series, date_from, date_to, by_story=False):
    """One request for a comparison: per period of the shared range (one interval for all),
    every dated article and the articles of each series (a filter aggregation each); their
    stories too, `by_story`."""
    search = ArticleDocument.search().extra(size=0)
    search.aggs.bucket("all", date_histogram(date_from, date_to, by_story=by_story))
    for number, params in enumerate(series):
        search.aggs.bucket(f"series_{number}", "filter", filter=match_query(params)).bucket(
            "dates", date_histogram(date_from, date_to, by_story=by_story)
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

    By story (`params.by_story`) it finds candidates, RISING_CANDIDATES times `size` of them,
    for `rising_stories_search` to count.
    """
    size = size * RISING_CANDIDATES if params.by_story else size
    base = rising_base(params)
    search = ArticleDocument.search().extra(size=0).filter(base).filter(date_range_query(*current))
    background = Q("bool", filter=[base, date_range_query(*previous)])
    for facet in ENTITY_FACETS:
        search.aggs.bucket(
            facet.name, "significant_terms", field=facet.shown_field, size=size, min_doc_count=settings.RISING_MIN_ARTICLES,
            background_filter=background, chi_square={"background_is_superset": False, "include_negatives": False},
        )
    return search


def rising_base(params):
    """The articles of the search `params` in any period (the periods are its dates)."""
    return match_query(params.changed(date_from=None, date_to=None, undated=False))


def rising_keys(response, facet):
    """The values of `facet` a `rising_search` found, as the index holds them ("p12|Vladimir Putin")."""
    return [b.key for b in getattr(response.aggregations, facet.name).buckets]


def rising_stories_search(params, current, previous, keys):
    """The stories of the search `params` in the `current` and `previous` periods, and those of
    each value of `keys` ({facet name: values as the index holds them}), in one request
    (cardinality aggregations of the story field)."""
    search = ArticleDocument.search().extra(size=0).filter(rising_base(params))
    periods = counted(A("filters", filters={"now": date_range_query(*current), "before": date_range_query(*previous)}),
                      True)
    for facet in ENTITY_FACETS:
        if keys.get(facet.name):
            periods.bucket(facet.name, counted(A("terms", field=facet.shown_field, include=keys[facet.name],
                                                 size=len(keys[facet.name])), True))
    search.aggs.bucket("periods", periods)
    return search


def rising_story_counts(response):
    """From a `rising_stories_search`: ((stories now, stories before), {(facet name, value as the
    index holds it): [stories now, stories before]})."""
    periods = response.aggregations.periods.buckets
    counts = {}
    for index, period in enumerate((periods.now, periods.before)):
        for facet in ENTITY_FACETS:
            for bucket in period[facet.name].buckets if facet.name in period else ():
                counts.setdefault((facet.name, bucket.key), [0, 0])[index] = bucket.stories.value
    return (periods.now.stories.value, periods.before.stories.value), counts


def rising_totals(response):
    """(articles in the current period, articles in the previous one), both of the search."""
    agg = getattr(response.aggregations, ENTITY_FACETS[0].name)
    return agg.doc_count, agg.bg_count


def rising_values(response, facet):
    """(value, count now, count before) of `facet`, most significant rise first (entities as Refs)."""
    return [(facet.shown_value(b.key), b.doc_count, b.bg_count)
            for b in getattr(response.aggregations, facet.name).buckets]
