"""The comparison's one Elasticsearch request, built without sending it (no service needed)."""
from datetime import date

from articles.search import SearchParams
from articles.search.clauses import date_range_query
from trends.query import compare_search

SERIES = (SearchParams(q="oil"), SearchParams(country=("US",), source=("Reuters",)))


def body(date_from=None, date_to=None):
    return compare_search(SERIES, date_from, date_to).to_dict()


def test_all_articles_and_each_series_are_counted_in_one_request_without_hits():
    request = body()

    assert request["size"] == 0
    assert list(request["aggs"]) == ["all", "series_0", "series_1"]


def test_a_series_is_filtered_like_its_search():
    series = body()["aggs"]["series_1"]["filter"]["bool"]["filter"][0]["bool"]["filter"]

    assert series == [{"terms": {"countries": ["US"]}}, {"terms": {"source": ["Reuters"]}}]


def test_every_series_is_counted_by_the_same_interval_over_the_same_range():
    aggs = body(date(1987, 3, 1), date(1987, 3, 31))["aggs"]
    histograms = [aggs["all"], aggs["series_0"]["aggs"]["dates"], aggs["series_1"]["aggs"]["dates"]]

    assert all(h == histograms[0] for h in histograms)
    assert histograms[0]["aggs"]["histogram"]["date_histogram"]["calendar_interval"] == "day"


def test_a_series_matches_its_words_and_filters_by_its_values_and_dates():
    query = body()["aggs"]["series_0"]["filter"]["bool"]
    dated = compare_search((SearchParams(q="oil", date_from=date(1987, 3, 1)),), None, None).to_dict()

    assert "simple_query_string" in query["must"][0]
    assert dated["aggs"]["series_0"]["filter"]["bool"]["filter"][0]["bool"]["filter"] == [
        date_range_query(date(1987, 3, 1), None).to_dict()
    ]
