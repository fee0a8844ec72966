"""A comparison's counts as periods shared by every series, with shares and links (no
service needed: plain counts in, plain dicts out)."""
from datetime import date

from articles.search import SearchParams
from trends.compare import compare_result
from trends.params import CompareParams

OIL, GOLD = SearchParams(q="oil"), SearchParams(q="gold", country=("US",))
MARCH_TO_MAY = CompareParams(series=(OIL, GOLD))
ALL = {date(1987, 3, 1): 200, date(1987, 4, 1): 100, date(1987, 5, 1): 0, date(1987, 6, 1): 50}


def result(counts, compare=MARCH_TO_MAY, all_counts=ALL):
    return compare_result(compare, all_counts, counts, "/")


def test_every_series_has_the_periods_of_all_articles_even_where_it_has_none():
    compared = result([{date(1987, 4, 1): 10}, {date(1987, 3, 1): 4, date(1987, 6, 1): 1}])

    assert [p["value"] for p in compared["periods"]] == ["1987-03", "1987-04", "1987-05", "1987-06"]
    assert [[p["count"] for p in s["points"]] for s in compared["series"]] == [[0, 10, 0, 0], [4, 0, 0, 1]]


def test_a_share_is_the_series_count_over_all_articles_of_the_period():
    compared = result([{date(1987, 3, 1): 50, date(1987, 4, 1): 10}, {}])

    assert [p["share"] for p in compared["series"][0]["points"]][:2] == [0.25, 0.1]


def test_a_period_without_any_article_has_no_share():
    compared = result([{}, {}])

    assert compared["periods"][2]["total"] == 0
    assert compared["series"][0]["points"][2]["share"] is None


def test_a_point_opens_the_search_of_its_series_in_its_period():
    point = result([{}, {date(1987, 4, 1): 3}])["series"][1]["points"][1]

    assert point["url"] == "/?q=gold&country=US&date_from=1987-04-01&date_to=1987-04-30"


def test_a_series_carries_its_label_query_and_total():
    series = result([{}, {date(1987, 3, 1): 4, date(1987, 6, 1): 1}])["series"][1]

    assert (series["label"], series["query"], series["total"]) == ("“gold” · Country: United States",
                                                                   "q=gold&country=US", 5)


def test_periods_are_clipped_to_the_chosen_range():
    compare = CompareParams(series=(OIL,), dates=SearchParams(date_from=date(1987, 3, 15), date_to=date(1987, 6, 15)))

    compared = result([{}], compare=compare)

    assert (compared["date_from"], compared["date_to"]) == ("1987-03-15", "1987-06-15")
    assert (compared["periods"][0]["date_from"], compared["periods"][-1]["date_to"]) == ("1987-03-15", "1987-06-15")


def test_nothing_dated_means_no_periods():
    compared = result([{}, {}], all_counts={})

    assert compared["periods"] == [] and [s["points"] for s in compared["series"]] == [[], []]


MONTHS_OF_1987 = {date(1987, month, 1): 10 for month in range(2, 11)}  # 90 articles, February to October
WITH_2005 = {**MONTHS_OF_1987, date(2005, 6, 1): 1}


def test_an_article_decades_from_the_rest_is_left_off_the_periods_by_the_timelines_rule():
    compared = result([{date(1987, 3, 1): 4, date(2005, 6, 1): 1}, {date(1987, 4, 1): 2}], all_counts=WITH_2005)

    assert [p["value"] for p in compared["periods"]] == [f"1987-{month:02}" for month in range(2, 11)]
    assert [len(s["points"]) for s in compared["series"]] == [9, 9]
    assert compared["date_outliers"] == [{
        "label": "2005", "date_from": "2005-06-01", "date_to": "2005-06-30", "total": 1,
        "points": [{"count": 1, "share": 1.0}, {"count": 0, "share": 0.0}],
    }]


def test_a_series_total_still_counts_its_far_dates():
    compared = result([{date(1987, 3, 1): 4, date(2005, 6, 1): 1}, {}], all_counts=WITH_2005)

    assert compared["series"][0]["total"] == 5


def test_a_chosen_range_is_drawn_whole_far_dates_and_all():
    compare = CompareParams(series=(OIL,), dates=SearchParams(date_from=date(1987, 1, 1), date_to=date(2005, 12, 31)))

    compared = result([{date(2005, 6, 1): 1}], compare=compare, all_counts=WITH_2005)

    assert compared["date_outliers"] == []
    assert [p["value"] for p in compared["periods"]] == [str(year) for year in range(1987, 2006)]
