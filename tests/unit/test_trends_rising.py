"""What is rising, as a plain dict from the counts of two periods, and the request that
counts them (no service needed)."""
from datetime import date

from articles.search import SearchParams
from trends.query import rising_search
from trends.rising import chi_square, ranked_by_story, rising_result, with_value

APRIL = (date(1987, 4, 1), date(1987, 4, 30))
MARCH = (date(1987, 3, 2), date(1987, 3, 31))


def rising(params=SearchParams(q="oil"), values=None, totals=(40, 80)):
    values = {"org": [("OPEC", 10, 4)]} if values is None else values
    return rising_result(params, APRIL, MARCH, totals, values, "/", default_period=False)


def test_each_value_has_its_share_now_and_before():
    (opec,) = rising()["groups"][2]["values"]

    assert (opec["count"], opec["share"], opec["previous_count"], opec["previous_share"]) == (10, 0.25, 4, 0.05)


def test_a_value_opens_the_search_narrowed_to_it_in_the_current_period():
    (opec,) = rising()["groups"][2]["values"]

    assert opec["url"] == "/?q=oil&org=OPEC&date_from=1987-04-01&date_to=1987-04-30"


def test_a_value_already_selected_stays_selected_in_its_link():
    params = SearchParams(org=("OPEC", "EC"))

    assert with_value(params, "org", "OPEC") is params
    assert with_value(params, "org", "IEA").org == ("OPEC", "EC", "IEA")


def test_the_periods_are_named_and_counted():
    result = rising()

    assert (result["label"], result["total"]) == ("1 Apr 1987 – 30 Apr 1987", 40)
    assert result["previous"] == {"date_from": "1987-03-02", "date_to": "1987-03-31",
                                  "label": "2 Mar 1987 – 31 Mar 1987", "total": 80}


def test_every_entity_facet_has_a_group_even_when_nothing_rose():
    groups = rising(values={})["groups"]

    assert [(g["facet"], g["title"], g["values"]) for g in groups] == [
        ("person", "People", []), ("country", "Countries", []), ("org", "Organizations", []),
    ]


def test_the_minimum_of_articles_is_a_setting_the_request_uses_and_the_result_states(settings):
    settings.RISING_MIN_ARTICLES = 5
    body = rising_search(SearchParams(q="oil"), APRIL, MARCH).to_dict()

    assert {agg["significant_terms"]["min_doc_count"] for agg in body["aggs"].values()} == {5}
    assert rising()["min_articles"] == 5


def test_a_search_of_undated_articles_is_measured_over_its_dated_periods():
    """Rising picks its own periods: the search's undated=1 (or date range) is no part of them."""
    result = rising(SearchParams(q="oil", undated=True))
    body = rising_search(SearchParams(q="oil", undated=True), APRIL, MARCH).to_dict()

    assert rising_search(SearchParams(q="oil"), APRIL, MARCH).to_dict() == body
    assert "undated" not in result["search_url"]


def test_countries_read_as_names():
    (japan,) = rising(values={"country": [("JP", 5, 0)]})["groups"][1]["values"]

    assert japan["label"] == "Japan"


def range_of(start, end):
    return {"range": {"published_at": {"format": "strict_date", "gte": start, "lt": end}}}


def test_the_request_counts_the_current_period_of_the_search():
    body = rising_search(SearchParams(q="oil", date_from=date(1987, 4, 1)), APRIL, MARCH).to_dict()
    (search, period) = body["query"]["bool"]["filter"]

    assert "simple_query_string" in search["bool"]["must"][0]
    assert period == range_of("1987-04-01", "1987-05-01")


def test_the_previous_period_of_the_same_search_is_the_background_of_a_chi_square_test(settings):
    body = rising_search(SearchParams(q="oil", date_from=date(1987, 4, 1)), APRIL, MARCH).to_dict()
    agg = body["aggs"]["person"]["significant_terms"]
    (search, period) = agg["background_filter"]["bool"]["filter"]

    assert search == body["query"]["bool"]["filter"][0]
    assert period == range_of("1987-03-02", "1987-04-01")
    assert agg["chi_square"] == {"background_is_superset": False, "include_negatives": False}
    assert agg["min_doc_count"] == settings.RISING_MIN_ARTICLES == 3


def test_counted_by_story_the_result_says_so_and_candidates_are_found_by_articles():
    body = rising_search(SearchParams(q="oil"), APRIL, MARCH).to_dict()

    assert rising()["count"] == "stories" and rising(SearchParams(count="articles"))["count"] == "articles"
    assert {agg["significant_terms"]["size"] for agg in body["aggs"].values()} == {30}


def test_by_story_the_candidates_whose_share_of_stories_rose_are_ranked_by_chi_square(settings):
    settings.RISING_MIN_ARTICLES = 3
    counts = {("org", "o1|OPEC"): [10, 4], ("org", "o2|IEA"): [4, 1], ("org", "o3|EC"): [2, 0],
              ("org", "o4|UN"): [5, 20]}

    ranked = ranked_by_story("org", ["o4|UN", "o2|IEA", "o3|EC", "o1|OPEC"], counts, (40, 80))

    # EC is in too few stories, the UN's share fell; OPEC (25 % from 5 %) before the IEA (10 % from 1.25 %)
    assert ranked == [("o1|OPEC", 10, 4), ("o2|IEA", 4, 1)]
    assert chi_square(10, 40, 4, 80) > chi_square(4, 40, 1, 80) > 0 == chi_square(0, 0, 0, 80)
