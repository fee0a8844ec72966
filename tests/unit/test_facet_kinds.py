"""Each kind of facet adds its aggregations to the request and reads them back from the
response (no service needed: the responses are written here in Elasticsearch's shape)."""
from datetime import date

from elasticsearch.dsl import Q

from articles.enrichment.identity import Ref
from articles.search import SearchParams
from articles.search.aggregations import Counts, DateCounts, DateFacet, FacetCounts, TermsFacet, Total
from articles.search.clauses import undated_query, unknown_query
from articles.search.facets import FACETS, UNKNOWN
from articles.search.query import page_search, request_body

OTHERS = Q("bool", filter=[Q("terms", persons=["p3"])])  # the other facets' filters
STORIES = {"stories": {"cardinality": {"field": "story"}}}


def as_dicts(pairs):
    return {name: agg.to_dict() for name, agg in pairs}


def buckets(*keys_and_counts):
    return {"buckets": [{"key": key, "doc_count": count} for key, count in keys_and_counts]}


def test_a_terms_facet_counts_its_top_values_its_unknown_and_its_selected_values_under_the_other_filters():
    source = TermsFacet(FACETS["source"], shown=10)

    aggs = as_dicts(source.aggregations(OTHERS, ["AP", UNKNOWN]))

    assert aggs == {
        "facet_source": {
            "filter": OTHERS.to_dict(),
            "aggs": {"source": {"terms": {"field": "source", "size": 11, "exclude": [""]}},
                     "unknown": {"filter": unknown_query(FACETS["source"]).to_dict()}},
        },
        "selected_source": {
            "filter": OTHERS.to_dict(),
            "aggs": {"values": {"terms": {"field": "source", "include": ["AP", UNKNOWN], "size": 2}}},
        },
    }


def test_an_entity_facet_counts_labelled_values_and_adds_no_unknown_and_no_selected_counts_when_none_is_chosen():
    person = TermsFacet(FACETS["person"], shown=50, by_story=True)

    aggs = as_dicts(person.aggregations(OTHERS, []))

    assert aggs == {"facet_person": {"filter": OTHERS.to_dict(), "aggs": {"person": {
        "terms": {"field": "persons_labelled", "size": 51, "exclude": [""]}, "aggs": STORIES}}}}


def test_a_terms_facet_reads_its_top_values_then_a_chosen_one_outside_them_then_the_unknown():
    source = TermsFacet(FACETS["source"], shown=2)
    response = {
        "facet_source": {"doc_count": 9, "source": buckets(("Reuters", 5), ("AP", 3), ("AFP", 1)),
                         "unknown": {"doc_count": 4}},
        "selected_source": {"doc_count": 9, "values": buckets(("TASS", 2))},
    }

    counts = source.read(response, ["AP", "TASS"])

    assert counts == FacetCounts([("Reuters", 5, False), ("AP", 3, True), ("TASS", 2, True), (UNKNOWN, 4, False)],
                                 more=True)


def test_an_unknown_without_articles_is_listed_only_when_chosen():
    source = TermsFacet(FACETS["source"], shown=10)
    response = {"facet_source": {"doc_count": 0, "source": buckets(), "unknown": {"doc_count": 0}},
                "selected_source": {"doc_count": 0, "values": buckets()}}

    assert source.read(response, []).values == []
    assert source.read(response, [UNKNOWN]).values == [(UNKNOWN, 0, True)]


def test_by_story_an_entity_facet_reads_refs_ordered_by_their_stories():
    person = TermsFacet(FACETS["person"], shown=10, by_story=True)
    response = {"facet_person": {"doc_count": 5, "person": {"buckets": [
        {"key": "p12|Xi Jinping", "doc_count": 3, "stories": {"value": 1}},
        {"key": "p13|Li Peng", "doc_count": 2, "stories": {"value": 2}},
    ]}}}

    values = person.read(response, [Ref("p12", "Xi Jinping")]).values

    assert values == [("p13", 2, False), ("p12", 1, True)]
    assert [value.label for value, _, _ in values] == ["Li Peng", "Xi Jinping"]


def test_the_date_facet_adds_its_histogram_and_the_undated_articles_and_reads_both_back():
    dates = DateFacet(date(1987, 3, 1), date(1987, 3, 31))

    aggs = as_dicts(dates.aggregations(OTHERS, [(date(1987, 3, 1), date(1987, 3, 31), False)]))
    counts = dates.read({
        "facet_date": {"doc_count": 3, "date": {"doc_count": 2, "histogram": {"buckets": [
            {"key_as_string": "1987-03-05T00:00:00.000Z", "key": 541900800000, "doc_count": 2}]}}},
        "undated": {"doc_count": 1},
    }, [])

    assert aggs["facet_date"]["filter"] == OTHERS.to_dict()
    assert aggs["facet_date"]["aggs"]["date"]["aggs"]["histogram"]["date_histogram"]["calendar_interval"] == "day"
    assert aggs["undated"] == {"filter": (OTHERS & undated_query()).to_dict()}
    assert counts == DateCounts({date(1987, 3, 5): 2}, undated=1)


HITS = {"total": {"value": 7, "relation": "eq"}, "hits": []}


def test_by_story_the_total_is_a_cardinality_of_the_stories_under_every_filter():
    total = Total(by_story=True)

    (name, agg), = total.aggregations(OTHERS)

    assert (name, agg.to_dict()) == ("stories", {"filter": OTHERS.to_dict(), "aggs": {
        "stories": {"cardinality": {"field": "story", "precision_threshold": 40_000}}}})
    assert total.read({"hits": HITS, "aggregations": {"stories": {"doc_count": 7, "stories": {"value": 5}}}}) == 5


def test_counting_articles_the_total_is_the_hits_exact_total_with_no_aggregation():
    total = Total(by_story=False)

    assert total.aggregations(OTHERS) == []
    assert total.read({"hits": HITS, "aggregations": {}}) == 7


def empty_answer(aggs):
    """What Elasticsearch answers to the aggregations `aggs` (a request body's) over no article."""
    def answer(agg):
        kind = next(key for key in agg if key != "aggs")
        if kind in ("terms", "date_histogram"):  # their sub-aggregations are in each bucket
            return {"buckets": []}
        if kind == "cardinality":
            return {"value": 0}
        return {"doc_count": 0, **empty_answer(agg.get("aggs", {}))}
    return {name: answer(agg) for name, agg in aggs.items()}


def test_a_page_reads_back_every_facet_from_the_aggregations_its_request_asked_for():
    params = SearchParams(person=(Ref("p3", "Ronald Reagan"),), source=(UNKNOWN,), undated=True)
    body = request_body(params)

    counts = page_search(params).read({"hits": HITS, "aggregations": empty_answer(body["aggs"])})

    assert counts == Counts(0, {
        "person": FacetCounts([("p3", 0, True)], more=False), "country": FacetCounts([], more=False),
        "org": FacetCounts([], more=False), "source": FacetCounts([(UNKNOWN, 0, True)], more=False),
        "date": DateCounts({}, undated=0),
    })
