"""What a reader sees of an article's story, without services: the word-level difference from
the canonical version (articles.stories.difference) as the page renders it, and the story thread
a followed story is searched as (the `thread` parameter, its chip and its request)."""
import json
from itertools import islice

import pytest
from django import forms

from articles.search import SearchParams
from articles.search.params import ThreadField
from articles.search.query import request_body
from articles.stories import DELETED, EQUAL, INSERTED, Thread, word_difference
from articles.web.pages import active_filters, difference_view

from ..conftest import SHARED_DATA


@pytest.fixture(scope="module")
def wire():
    """The first Reuters-21578 item with a body of 300 words or more."""
    with open(SHARED_DATA / "reuters21578" / "train.jsonl", encoding="utf-8") as lines:
        return next(islice((i for i in map(json.loads, lines) if len((i["text"] or "").split()) >= 300), 1))["text"]


def words_of(difference, *kinds):
    return " ".join(text for kind, text in difference.segments if kind in kinds).split()


def test_an_update_differs_from_its_canonical_version_by_its_new_lead_and_its_correction(wire):
    words = wire.split()
    update = ("Dealers revised their figures on Friday. " + " ".join(words[25:-30])
              + " Correction: arrivals were 155,321 bags.")

    difference = word_difference(wire, update)

    assert words_of(difference, INSERTED) == "Dealers revised their figures on Friday. Correction: arrivals were 155,321 bags.".split()
    assert words_of(difference, DELETED) == words[:25] + words[-30:]
    assert words_of(difference, EQUAL, INSERTED) == update.split()  # the update reads as it is written
    assert (difference.inserted, difference.deleted) == (11, 55)


def test_a_lead_rewritten_around_a_word_it_shares_is_one_change_and_three_words_alike_stay_apart():
    old = "Showers continued in the Bahia zone, dealers said on Friday in London."
    new = "Cocoa dealers revised the figures for the week. Dealers said on Friday in London."

    difference = word_difference(old, new)

    assert [kind for kind, _ in difference.segments] == [DELETED, INSERTED, EQUAL]
    assert difference.segments[2] == (EQUAL, "said on Friday in London.")


def test_lines_broken_elsewhere_are_no_difference(wire):
    rewrapped = "\n".join(" ".join(wire.split()[i:i + 8]) for i in range(0, len(wire.split()), 8))

    difference = word_difference(wire, rewrapped)

    assert difference.same and difference.segments[0][1].startswith(wire.split()[0])


def test_texts_past_the_cap_are_not_compared():
    difference = word_difference("word " * 11, "word " * 9 + "other", max_words=10)

    assert not difference.compared and difference.segments == () and not difference.same


def test_the_page_marks_added_and_dropped_words_and_escapes_every_text():
    difference = word_difference("Talks <b>resume</b> today", 'Talks <script>alert("x")</script> resume today & tomorrow')

    view = difference_view(difference)

    assert view["html"] == ('Talks <del>&lt;b&gt;resume&lt;/b&gt; today </del><ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; '
                            'resume today &amp; tomorrow</ins>')
    assert (view["inserted"], view["deleted"]) == (5, 2)


def test_a_story_key_is_a_thread_and_anything_else_is_refused():
    field = ThreadField(required=False, label="thread")

    assert [field.clean(value) for value in ("s12", "a7", "")] == ["s12", "a7", ""]
    for bad in ("s0", "x12", "s12 ", "s" + "9" * 19, "s12\n"):
        with pytest.raises(forms.ValidationError):
            field.clean(bad)


def test_a_thread_is_a_chip_named_by_its_canonical_title():
    params = SearchParams(q="cocoa", thread=Thread("s12", "Cocoa exporters expected to limit sales"))

    assert active_filters(params, "/") == [{"label": "Story: Cocoa exporters expected to limit sales", "url": "/?q=cocoa"}]


def test_a_thread_finds_the_story_s_versions_first_and_articles_with_its_title_s_words_and_one_of_its_entities():
    thread = Thread("s12", "BAHIA COCOA REVIEW", [("country", "BR"), ("organization", "o11")])
    words, found = request_body(SearchParams(q="temporao", thread=thread))["query"]["bool"]["must"]

    assert "simple_query_string" in words
    versions, related = found["bool"]["should"]
    assert versions == {"term": {"story": {"value": "s12", "boost": 100.0}}}
    assert related["bool"]["must"] == [{"multi_match": {
        "query": "BAHIA COCOA REVIEW", "fields": ["title^3", "body"], "type": "cross_fields", "minimum_should_match": "2<-50%"}}]
    assert related["bool"]["filter"] == [{"bool": {"should": [{"term": {"countries": "BR"}}, {"term": {"organizations": "o11"}}],
                                                   "minimum_should_match": 1}}]
    assert found["bool"]["minimum_should_match"] == 1


def test_a_thread_the_archive_does_not_know_selects_only_its_key():
    query = request_body(SearchParams(thread=Thread("s999")))["query"]

    assert query == {"term": {"story": {"value": "s999", "boost": 100.0}}}
