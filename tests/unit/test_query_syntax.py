"""The query language's prefixes and proximity, read without any service."""
import pytest

from articles.search.clauses import simple_query, text_query
from articles.search.syntax import notes, split_facets, split_fields, tokens


def test_facet_prefixes_leave_the_words_and_name_their_values():
    assert split_facets('oil person:putin country:"Soviet Union" ORG:opec source:reuters') == (
        "oil", {"person": ["putin"], "country": ["Soviet Union"], "org": ["opec"], "source": ["reuters"]})


def test_a_word_with_a_colon_that_is_no_prefix_stays_a_word():
    assert split_facets("note: http://example.com/a:b 10:30") == ("note: http://example.com/a:b 10:30", {})


def test_an_empty_value_selects_nothing_and_a_bare_prefix_is_a_word():
    assert split_facets('person:"" oil person: gas') == ("oil person: gas", {})


def test_title_and_author_words_are_set_apart_with_their_quotes():
    assert split_fields('title:opec "oil prices" Author:"Jane Smith" title:"price war"') == (
        '"oil prices"', [("title", "opec"), ("author", '"Jane Smith"'), ("title", '"price war"')])


def test_title_and_author_words_are_searched_in_their_field_alone():
    query = text_query("oil title:opec author:smith").to_dict()

    fields = [clause["simple_query_string"]["fields"] for clause in query["bool"]["must"]]
    assert fields == [["title^3", "body"], ["title"], ["author"]]


def test_a_phrase_keeps_its_proximity():
    assert simple_query('"oil prices"~3 rose') == "\"oil prices\"~3 (rose | rose's | rose\u2019s)"



def test_an_unclosed_quote_leaves_its_words_as_words_with_a_note():
    assert tokens('oil "opec prices') == ["oil", "opec", "prices"]
    assert simple_query('"oil prices') == simple_query("oil prices")
    assert notes('oil "opec prices') == ["A quotation mark was not closed, so the words after it were searched one by one."]


@pytest.mark.parametrize("q", ["oil AND", "OR oil", "oil NOT", "oil OR"])
def test_an_operator_joining_nothing_is_left_out_with_a_note(q):
    assert tokens(q) == ["oil"]
    assert len(notes(q)) == 1 and "had nothing to join" in notes(q)[0]


def test_operators_that_join_words_stay_and_need_no_note():
    q = 'oil AND NOT gas OR "crude prices"~3'
    assert tokens(q) == ["oil", "AND", "NOT", "gas", "OR", '"crude prices"~3']
    assert notes(q) == []


def test_a_prefix_without_a_value_is_a_word_with_a_note_and_an_unknown_one_is_a_word_alone():
    assert notes("author: smith") == [
        "\u201cauthor:\u201d needs a word or \"phrase\" after it (as in author:smith); it was searched as the word \u201cauthor\u201d."]
    assert notes("note: prices") == []


def test_operators_alone_are_searched_as_words():
    assert tokens("AND OR") == ["and", "or"]
    assert notes("AND OR") == ["AND, OR and NOT join words; alone, they were searched as words."]
