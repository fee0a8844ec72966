"""The Elasticsearch request a search sends, built without sending it (no service needed)."""
from datetime import date, timedelta

from articles import datewindow
from articles.search import SearchParams
from articles.search.clauses import date_range_query, simple_query
from articles.search.query import export_page_request, export_search, match_query, request_body, titles_search


def test_or_and_and_not_written_as_words_become_operators():
    assert simple_query('"grain talks" OR "oil prices" AND "opec" NOT "budget"') == (
        '"grain talks" | "oil prices" + "opec" -"budget"'
    )


def test_a_bare_word_also_matches_its_possessive():
    assert simple_query("-Putin") == "-(Putin | Putin's | Putin\u2019s)"


def test_prefixes_and_words_with_punctuation_are_left_as_typed():
    assert simple_query("negotiat* U.S. Xi's") == "negotiat* U.S. Xi's"


def test_words_search_title_and_body_with_the_title_boosted():
    query = request_body(SearchParams(q="oil"))["query"]["simple_query_string"]

    assert (query["fields"], query["default_operator"], query["lenient"]) == (["title^3", "body"], "and", True)


def test_no_words_match_every_article():
    assert "query" not in request_body(SearchParams())


def test_facet_values_filter_the_hits_after_the_facets_are_counted():
    body = request_body(SearchParams(person=("Xi Jinping", "Vladimir Putin"), country=("CN",)))

    assert body["post_filter"]["bool"]["must"] == [
        {"terms": {"persons": ["Xi Jinping", "Vladimir Putin"]}},
        {"terms": {"countries": ["CN"]}},
    ]


def test_each_facet_is_counted_under_the_other_facets_filters_only():
    aggs = request_body(SearchParams(person=("Xi Jinping",), country=("CN",)))["aggs"]

    assert aggs["facet_person"]["filter"] == {"bool": {"filter": [{"terms": {"countries": ["CN"]}}]}}
    assert aggs["facet_country"]["filter"] == {"bool": {"filter": [{"terms": {"persons": ["Xi Jinping"]}}]}}


def test_selected_values_are_counted_even_outside_the_top_values():
    aggs = request_body(SearchParams(source=("Reuters",)))["aggs"]

    assert aggs["selected_source"]["aggs"]["values"]["terms"] == {
        "field": "source", "include": ["Reuters"], "size": 1,
    }
    assert "selected_person" not in aggs


def test_show_more_asks_for_fifty_values_and_one_to_tell_if_there_are_more():
    aggs = request_body(SearchParams(more=("org",)))["aggs"]

    assert aggs["facet_org"]["aggs"]["org"]["terms"]["size"] == 51
    assert aggs["facet_person"]["aggs"]["person"]["terms"]["size"] == 11


def test_a_date_range_is_inclusive_and_narrows_its_own_histogram_to_days():
    body = request_body(SearchParams(date_from=date(1987, 3, 1), date_to=date(1987, 3, 31)))
    dated = body["aggs"]["facet_date"]["aggs"]["date"]

    assert dated["filter"] == {"range": {"published_at": {"format": "strict_date", "gte": "1987-03-01",
                                                         "lt": "1987-04-01"}}}
    assert dated["aggs"]["histogram"]["date_histogram"]["calendar_interval"] == "day"


def test_undated_articles_are_counted_without_the_date_range():
    body = request_body(SearchParams(person=("Xi Jinping",), date_from=date(1987, 1, 1)))

    assert body["aggs"]["undated"]["filter"]["bool"] == {
        "filter": [{"terms": {"persons": ["Xi Jinping"]}}],
        "must_not": [date_range_query(None, None).to_dict()],
    }


def test_undated_alone_selects_the_articles_without_an_accepted_date_and_draws_no_histogram():
    body = request_body(SearchParams(undated=True))

    assert body["post_filter"] == {"bool": {"must_not": [date_range_query(None, None).to_dict()]}}
    assert body["aggs"]["facet_date"]["aggs"]["date"]["filter"] == {"match_none": {}}


def test_undated_with_a_range_selects_either():
    body = request_body(SearchParams(date_from=date(1987, 1, 1), undated=True))
    in_range = date_range_query(date(1987, 1, 1), None).to_dict()

    undated = {"bool": {"must_not": [date_range_query(None, None).to_dict()]}}

    assert body["post_filter"].keys() == {"bool"} and body["post_filter"]["bool"].keys() == {"should"}
    assert sorted(map(str, body["post_filter"]["bool"]["should"])) == sorted(map(str, [in_range, undated]))
    assert body["aggs"]["facet_date"]["aggs"]["date"]["filter"] == in_range


def test_without_a_range_only_accepted_dates_are_dated():
    body = request_body(SearchParams())
    last = (datewindow.latest() + timedelta(days=1)).isoformat()

    assert body["aggs"]["facet_date"]["aggs"]["date"]["filter"] == {
        "range": {"published_at": {"format": "strict_date", "gte": "1800-01-01", "lt": last}}}


def test_the_second_page_starts_after_the_first_twenty_and_the_total_is_exact():
    body = request_body(SearchParams(page=2))

    assert (body["from"], body["size"], body["track_total_hits"]) == (20, 20, True)


def test_sorting_by_date_puts_undated_articles_last():
    assert request_body(SearchParams(sort="date_asc"))["sort"] == [
        {"published_at": {"order": "asc", "missing": "_last"}}, {"id": "asc"},
    ]


def test_highlights_are_html_encoded_with_only_mark_tags():
    highlight = request_body(SearchParams(q="oil"))["highlight"]

    assert (highlight["encoder"], highlight["pre_tags"], highlight["post_tags"]) == ("html", ["<mark>"], ["</mark>"])


def test_an_export_asks_for_neither_facets_nor_highlights():
    body = export_search(SearchParams(q="oil", person=("Xi Jinping",)), 1000, 1000).build_search().to_dict()

    assert "aggs" not in body and "highlight" not in body
    assert (body["from"], body["size"], body["track_total_hits"]) == (1000, 1000, False)


def test_an_export_page_keeps_the_searchs_order_and_breaks_ties_by_shard_doc_with_no_from():
    body = export_page_request(SearchParams(q="oil", sort="date"), 1000)

    assert body["sort"] == [{"published_at": {"order": "desc", "missing": "_last"}}, {"id": "desc"},
                            {"_shard_doc": "asc"}]
    assert ("from" in body, body["size"], "aggs" in body, "highlight" in body) == (False, 1000, False, False)


def test_searches_in_the_same_facet_state_share_their_aggregations_and_others_do_not():
    """The aggregations are made once per facet state: words, order and page never change them,
    while every selected value, the date range and a longer list do."""
    state = dict(country=("CN",), date_from=date(1987, 1, 1), more=("person",))
    aggs = request_body(SearchParams(**state))["aggs"]

    assert request_body(SearchParams(q="grain", sort="date", page=3, **state))["aggs"] == aggs
    for change in [dict(country=("US",)), dict(date_from=date(1988, 1, 1)), dict(more=()), dict(person=("Xi",))]:
        assert request_body(SearchParams(**{**state, **change}))["aggs"] != aggs


def test_by_story_a_page_collapses_versions_counting_them_and_every_count_counts_stories():
    body = request_body(SearchParams(q="oil"))
    stories = {"stories": {"cardinality": {"field": "story"}}}

    assert body["collapse"] == {"field": "story", "inner_hits": {"name": "versions", "size": 0, "_source": False}}
    assert body["aggs"]["facet_person"]["aggs"]["person"]["aggs"] == stories
    assert body["aggs"]["facet_date"]["aggs"]["date"]["aggs"]["histogram"]["aggs"] == stories
    assert body["aggs"]["undated"]["aggs"] == stories
    assert body["aggs"]["stories"]["aggs"]["stories"]["cardinality"]["precision_threshold"] == 40_000


def test_counting_articles_lists_every_version_and_counts_no_story():
    body = request_body(SearchParams(q="oil", count="articles"))

    assert "collapse" not in body and "stories" not in body["aggs"]
    assert "aggs" not in body["aggs"]["facet_person"]["aggs"]["person"]


def test_chosen_stories_filter_the_query_and_list_their_versions():
    body = request_body(SearchParams(q="oil", story=("s12",)))

    assert body["query"]["bool"]["filter"] == [{"terms": {"story": ["s12"]}}]
    assert "collapse" not in body
    assert match_query(SearchParams(story=("s12",))).to_dict()["bool"]["must"] == [
        {"bool": {"filter": [{"terms": {"story": ["s12"]}}]}}]


def test_an_export_lists_every_version_and_a_neighbours_request_collapses_as_its_page_does():
    assert "collapse" not in export_page_request(SearchParams(), 1000)
    assert titles_search(SearchParams(), 0, 3).to_dict()["collapse"] == {"field": "story"}
    assert "collapse" not in titles_search(SearchParams(count="articles"), 0, 3).to_dict()
