"""Long texts are analysed in pieces; pure logic (the spaCy model, no DB or ES)."""
from itertools import islice, repeat

import pytest

import articles.entities
from articles.entities import article_text, entities_of, extract_entities, split_text

from ..conftest import SEED


@pytest.fixture(scope="module")
def article():
    """The seed article as the enrichment task builds its text."""
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    return article_text(title, body)


def assert_offsets_point_at_surfaces(text, found):
    for entity in found:
        for surface, start, end in entity.mentions:
            assert text[start:end] == surface, (entity.key, start)


def test_pieces_cover_the_text_within_the_limit_cut_at_paragraphs():
    text = "\n\n".join(f"Paragraph {n} about Vladimir Putin. " * 5 for n in range(60))
    pieces = list(split_text(text, 1_000))
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[start:start + len(piece)] == piece for start, piece in pieces)
    assert all(len(piece) <= 1_000 for _, piece in pieces)
    assert all(piece.endswith("\n\n") for _, piece in pieces[:-1])


def test_without_paragraphs_cuts_fall_at_lines_then_sentences_then_spaces():
    lines = "\n".join(["A line about Xi Jinping."] * 100)
    sentences = "Xi Jinping met Vladimir Putin. " * 100
    words = "Putin " * 500
    assert all(piece.endswith("\n") for _, piece in list(split_text(lines, 500))[:-1])
    assert all(piece.endswith(". ") for _, piece in list(split_text(sentences, 500))[:-1])
    assert all(piece.endswith(" ") for _, piece in list(split_text(words, 500))[:-1])


def test_a_text_without_any_break_is_cut_hard_at_the_limit():
    assert [len(piece) for _, piece in split_text("x" * 2_500, 1_000)] == [1_000, 1_000, 500]


def test_a_text_within_the_limit_is_one_piece():
    assert list(split_text("Talks\n\nPutin met Xi.", 1_000)) == [(0, "Talks\n\nPutin met Xi.")]
    assert list(split_text("", 1_000)) == [(0, "")]


def test_normal_texts_give_exactly_what_entities_of_gives(nlp, article):
    texts = [article, "", "Talks\n\nMOSCOW, March 3 - Vladimir Putin met Xi Jinping."]
    expected = [entities_of(doc) for doc in nlp.pipe(texts)]
    assert list(extract_entities(texts, nlp=nlp)) == expected


def test_pieces_merge_into_one_list_per_text_in_order(nlp, article, monkeypatch):
    monkeypatch.setattr(articles.entities, "MAX_PIECE_CHARS", 1_000)
    long_text = "\n\n".join([article] * 3)
    texts = [article, long_text, "Talks\n\nNothing here."]
    found = list(extract_entities(texts, nlp=nlp, batch_size=4))
    assert len(found) == 3
    (putin,) = [e for e in found[1] if e.kind == "person" and e.key == "vladimir putin"]
    assert putin.name == "Vladimir Putin"
    assert max(start for _, start, _ in putin.mentions) > 2 * len(article)  # the third copy
    assert len({(e.kind, e.key) for e in found[1]}) == len(found[1])  # merged: each once
    assert_offsets_point_at_surfaces(long_text, found[1])


def test_results_are_lazy_over_an_endless_stream(nlp, monkeypatch):
    monkeypatch.setattr(articles.entities, "MAX_PIECE_CHARS", 40)
    text = "Talks\n\nVladimir Putin met Xi Jinping in Moscow on Monday to talk about trade."
    found = list(islice(extract_entities(repeat(text), nlp=nlp, batch_size=2), 3))
    assert len(found) == 3 and found[0] == found[2]


@pytest.mark.slow
def test_a_text_over_spacys_max_length_is_analysed_with_true_offsets(nlp, article):
    text = "\n\n".join([article] * (1_100_000 // len(article) + 1))
    assert len(text) > nlp.max_length
    # A small batch keeps this test's memory and time low; pieces are the same.
    (found,) = extract_entities([text], nlp=nlp, batch_size=8)
    people = {e.key: e for e in found if e.kind == "person"}
    assert {"xi jinping", "vladimir putin"} <= set(people)
    last_piece_start = list(split_text(text, articles.entities.MAX_PIECE_CHARS))[-1][0]
    assert max(start for _, start, _ in people["xi jinping"].mentions) > last_piece_start
    assert_offsets_point_at_surfaces(text, found)
