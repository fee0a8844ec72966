"""Search parameters: from a query string to SearchParams and back (no service needed).

People and organizations (and countries the gazetteer does not know) are looked up in
the archive, so those are tested in tests/test_entity_addresses.py with the database.
"""
from datetime import date

import pytest
from django.http import QueryDict

from articles.search import SearchParamError, SearchParams, parse_search_params


def params(query_string):
    return parse_search_params(QueryDict(query_string))


def test_parameters_are_read_into_search_params():
    p = params("q=+oil+&source=Reuters&source=Reuters&country=ru&date_from=1987-01-01&sort=date&page=2")

    assert p == SearchParams(q="oil", source=("Reuters",), country=("RU",), date_from=date(1987, 1, 1),
                             sort="date", page=2)


def test_a_country_is_named_by_its_iso_code_or_its_name_in_any_case():
    assert params("country=russia&country=RU&country=Saudi+Arabia").country == ("RU", "SA")
    assert params("country=ru").country[0].label == "Russia"


def test_no_parameters_is_the_empty_search():
    assert params("") == SearchParams()


def test_more_takes_facet_names():
    assert params("more=org&more=source&more=org").more == ("org", "source")


def test_a_date_range_given_backwards_is_the_days_between():
    p = params("date_from=1987-05-01&date_to=1987-04-01")

    assert (p.date_from, p.date_to) == (date(1987, 4, 1), date(1987, 5, 1))


def test_an_empty_parameter_is_unset():
    assert params("q=&date_from=&date_to=&sort=&page=&successors=&person=") == SearchParams()


@pytest.mark.parametrize("query_string, message", [
    ("date_from=1987-13-01", "date_from must be a date written YYYY-MM-DD."),
    ("date_to=yesterday", "date_to must be a date written YYYY-MM-DD."),
    ("date_to=1987-3-5", "date_to must be a date written YYYY-MM-DD."),
    ("date_to=9999-12-31", "date_to must be no later than 9998-12-31."),
    ("date_from=+1987-05-01", "date_from must be a date written YYYY-MM-DD."),
    ("date_to=%D9%A1%D9%A9%D9%A8%D9%A7-03-05", "date_to must be a date written YYYY-MM-DD."),
    ("page=+2", "page must be a whole number from 1 to 500."),
    ("sort=date+", "sort must be one of: relevance, date, date_asc."),
    ("successors=1+", "successors must be 1 or 0."),
    ("more=planet", "more takes facet names (person, country, org, source), not planet."),
    ("page=0", "page must be a whole number from 1 to 500."),
    ("page=abc", "page must be a whole number from 1 to 500."),
    ("page=%C2%B2", "page must be a whole number from 1 to 500."),
    ("page=100000", "page must be a whole number from 1 to 500."),
    ("sort=random", "sort must be one of: relevance, date, date_asc."),
    ("page_size=30", "page_size is one of 20, 50, 100."),
    ("page_size=1000", "page_size is one of 20, 50, 100."),
    ("q=" + "x" * 501, "q is longer than 500 characters."),
    ("person=%00", "person cannot contain a NUL character (%00)."),
    ("source=" + "x" * 301, "A value of source is longer than 300 characters."),
    ("&".join(["org=o%d" % n for n in range(21)]), "At most 20 values of org at once."),
    ("org=" + "&org=" * 20, "At most 20 values of org at once."),  # as sent: empty ones count
    ("source=" + "x" * 300 + "+", "A value of source is longer than 300 characters."),
    ("count=copies", "count must be one of: stories, articles."),
    ("story=12", "story takes a story's key as results carry it: s and its number, or a and an article's number."),
    ("story=s12+", "story takes a story's key as results carry it: s and its number, or a and an article's number."),
    ("story=", "story takes a story's key as results carry it: s and its number, or a and an article's number."),
])
def test_a_bad_parameter_is_refused_with_a_message_for_the_user(query_string, message):
    with pytest.raises(SearchParamError) as refusal:
        params(query_string)

    assert str(refusal.value) == message


def test_undated_is_a_switch_of_the_date_facet_kept_in_the_url():
    p = params("undated=1&date_from=1987-01-01")

    assert (p.undated, p.date_from) == (True, date(1987, 1, 1))
    assert p.url("/") == "/?date_from=1987-01-01&undated=1"
    assert params("undated=0") == params("undated=") == SearchParams()
    with pytest.raises(SearchParamError, match="^undated must be 1 or 0.$"):
        params("undated=yes")


def test_the_first_bad_parameter_in_url_order_is_the_one_reported():
    with pytest.raises(SearchParamError, match="^q is longer"):
        params("page=0&q=" + "x" * 501)


def test_params_round_trip_through_their_url():
    p = SearchParams(q="oil", country=("CN",), date_to=date(1987, 4, 30), page=3)

    assert p.url("/") == "/?q=oil&country=CN&date_to=1987-04-30&page=3"
    assert params(p.url("/").partition("?")[2]) == p


def test_a_page_holds_20_results_unless_the_reader_chooses_50_or_100():
    assert params("").page_size == 20
    assert params("page_size=100").page_size == 100
    assert SearchParams(q="oil", page_size=50).url("/") == "/?q=oil&page_size=50"
    assert SearchParams(q="oil", page_size=20).url("/") == "/?q=oil"  # the default is not written


def test_any_change_but_paging_goes_back_to_the_first_page():
    p = SearchParams(q="oil", page=3)

    assert p.toggled("person", "Xi Jinping").page == 1
    assert p.changed(page=4).page == 4


def test_toggling_a_selected_value_removes_it():
    p = SearchParams(person=("Xi Jinping", "Vladimir Putin"))

    assert p.toggled("person", "Xi Jinping").person == ("Vladimir Putin",)


def test_results_and_counts_are_by_story_unless_articles_are_asked_for_or_stories_chosen():
    assert params("").by_story and params("count=stories") == SearchParams()
    assert not params("count=articles").by_story
    within = params("story=s12&story=a7")
    assert (within.story, within.by_story) == (("s12", "a7"), False)
    assert within.url("/") == "/?story=s12&story=a7" and SearchParams(count="articles").url("/") == "/?count=articles"
