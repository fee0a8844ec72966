"""The query language's prefixes and proximity, read without any service."""
from articles.search.query import simple_query, text_query
from articles.search.syntax import split_facets, split_titles


def test_facet_prefixes_leave_the_words_and_name_their_values():
    assert split_facets('oil person:putin country:"Soviet Union" ORG:opec source:reuters') == (
        "oil", {"person": ["putin"], "country": ["Soviet Union"], "org": ["opec"], "source": ["reuters"]})


def test_a_word_with_a_colon_that_is_no_prefix_stays_a_word():
    assert split_facets("note: http://example.com/a:b 10:30") == ("note: http://example.com/a:b 10:30", {})


def test_an_empty_value_selects_nothing_and_a_bare_prefix_is_a_word():
    assert split_facets('person:"" oil person: gas') == ("oil person: gas", {})


def test_title_words_are_set_apart_with_their_quotes():
    assert split_titles('title:opec "oil prices" title:"price war"') == ('"oil prices"', ["opec", '"price war"'])


def test_title_words_are_searched_in_titles_alone():
    query = text_query("oil title:opec").to_dict()

    fields = [clause["simple_query_string"]["fields"] for clause in query["bool"]["must"]]
    assert fields == [["title^3", "body"], ["title"]]


def test_a_phrase_keeps_its_proximity():
    assert simple_query('"oil prices"~3 rose') == "\"oil prices\"~3 (rose | rose's | rose\u2019s)"


def test_an_unclosed_quote_is_still_a_query():
    assert simple_query('"oil prices') == '"oil prices'
