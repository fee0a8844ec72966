"""The requests that sum up a set of articles, and their readers: an entity's overview (its
articles over time, who is mentioned with it, its latest articles), a batch line's summary,
an article's related articles.
"""
from datetime import date

from elasticsearch.dsl import A, Q

from articles.indexing.documents import ArticleDocument, index_name
from articles.search.aggregations import STORY_COUNT_PRECISION, count_of, date_histogram, histogram_counts
from articles.search.clauses import STORY_FIELD, date_range_query, labelled_pattern, undated_query
from articles.search.facets import ENTITY_FACETS, FACETS, for_kind
from articles.search.query import SORT_ORDERS, match_query


def overview_search(facet, value, latest, related):
    """Articles with `value` of `facet`: the latest, a histogram, the entities mentioned with it."""
    search = (
        ArticleDocument.search()
        .filter("term", **{facet.field: str(value)})
        .extra(track_total_hits=True)
        .source(excludes=["body"])
        .sort(*SORT_ORDERS["date"])[:latest]
    )
    search.aggs.bucket("date", date_histogram(None, None))
    search.aggs.bucket("undated", "filter", filter=undated_query())
    for other in ENTITY_FACETS:
        exclude = {"exclude": labelled_pattern([value])} if other == facet else {}
        search.aggs.bucket(other.name, "terms", field=other.shown_field, size=related, **exclude)
    return search


def read_overview(response):
    """An `overview_search` response's aggregations as plain values: {first day of period:
    count}, the undated articles' count, and per entity facet the (value, count) pairs of
    the values most often in the same articles (values as Refs)."""
    aggs = response["aggregations"]
    return {
        "periods": histogram_counts(aggs["date"]),
        "undated": count_of(aggs["undated"]),
        "related": {facet.name: [(facet.shown_value(b["key"]), b["doc_count"]) for b in aggs[facet.name]["buckets"]]
                    for facet in ENTITY_FACETS},
    }


def related_search(article_id, size):
    """Articles like this one (more_like_this on its text and entities)."""
    like = Q(
        "more_like_this",
        fields=["title", "body", *(facet.field for facet in ENTITY_FACETS)],
        like=[{"_index": index_name(), "_id": str(article_id)}],
        min_term_freq=1,
        min_doc_freq=2,
        max_query_terms=25,
    )
    return ArticleDocument.search().query(like).source(excludes=["body"])[:size]


def summary_search(params, named=(), related=5, new_from_id=None):
    """The count of a batch line's articles and what they have in common: the articles `params`
    finds or, under its filters, that mention one of the entities `named` ((kind, Ref) pairs the
    line's words name); the stories they are versions of, their first and last dates, top
    sources, the entities most often mentioned in them (neither `named` nor those `params`
    selects) and, with `new_from_id`, how many have an id from it on (`read_summary` reads them)."""
    query = match_query(params)
    if named:
        mentions = [Q("term", **{for_kind(kind).field: str(ref)}) for kind, ref in named]
        entities = Q("bool", filter=[match_query(params.changed(q=""))], should=mentions, minimum_should_match=1)
        query = Q("bool", should=[query, entities], minimum_should_match=1)
    search = ArticleDocument.search().query(query).extra(size=0, track_total_hits=True)
    dated = A("filter", filter=date_range_query(None, None))
    dated.bucket("first", "min", field="published_at")
    dated.bucket("last", "max", field="published_at")
    search.aggs.bucket("dated", dated)
    search.aggs.bucket("sources", "terms", field=FACETS["source"].field, size=related, exclude=[""])
    search.aggs.bucket("stories", "cardinality", field=STORY_FIELD, precision_threshold=STORY_COUNT_PRECISION)
    for facet in ENTITY_FACETS:
        known = [ref for kind, ref in named if kind == facet.kind] + [str(v) for v in getattr(params, facet.name)]
        exclude = {"exclude": labelled_pattern(known)} if known else {}
        search.aggs.bucket(facet.name, "terms", field=facet.shown_field, size=related, **exclude)
    if new_from_id is not None:
        search.aggs.bucket("new", "filter", filter=Q("range", id={"gte": new_from_id}))
    return search


def read_summary(response, related=5):
    """A `summary_search` response as plain values: total, stories, first and last day seen (None
    when no article is dated), top sources and entities ((value, count), most first), new (None
    when not asked)."""
    aggs = response["aggregations"]
    entities = [(facet, facet.shown_value(bucket["key"]), bucket["doc_count"])
                for facet in ENTITY_FACETS for bucket in aggs[facet.name]["buckets"]]
    return {
        "total": response["hits"]["total"]["value"],
        "stories": aggs["stories"]["value"],
        "first_seen": _day_of(aggs["dated"]["first"]),
        "last_seen": _day_of(aggs["dated"]["last"]),
        "sources": [(bucket["key"], bucket["doc_count"]) for bucket in aggs["sources"]["buckets"]],
        "entities": sorted(entities, key=lambda entity: -entity[2])[:related],
        "new": aggs["new"]["doc_count"] if "new" in aggs else None,
    }


def _day_of(metric):
    text = metric.get("value_as_string")
    return date.fromisoformat(text[:10]) if text else None
