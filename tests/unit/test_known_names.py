"""Names the archive knows as organizations, found in text the model read without them."""
import pytest

from articles.entities.known_names import KnownNames, is_recallable

WIRE = ("HELSINKI, March 3 - The World Bank is launching a 300 mln markka bond, lead manager "
        "Postipankki said. The issue follows talks under the General Agreement on Tariffs and Trade.")


@pytest.mark.parametrize("name", [
    "World Bank", "General Agreement on Tariffs and Trade", "Bank of England", "Moody's Investors Service",
    "U.S. Treasury", "GATT", "ICCO",
])
def test_capitalised_names_and_acronyms_are_looked_for(name):
    assert is_recallable(name)


@pytest.mark.parametrize("name", [
    "Council",  # one capitalised word: too often an ordinary one
    "World bank",  # a lower-case word last
    "ARE",  # capitals, but an English word
    "APRIL", "DEC",  # months head the rows of commodity tables
    "U.S. Dollar", "Swiss Francs",  # currencies
    "Bank of", "of England",
])
def test_other_names_are_not(name):
    assert not is_recallable(name)


def places(names, text):
    return [(text[start:end], value) for start, end, _, value in KnownNames(names).find(text)]


def test_a_known_name_is_found_as_written_after_a_dateline_and_in_a_sentence():
    names = {"World Bank": 1, "General Agreement on Tariffs and Trade": 2}

    assert places(names, WIRE) == [("World Bank", 1), ("General Agreement on Tariffs and Trade", 2)]


def test_a_name_with_abbreviations_is_found_as_written():
    assert places({"U.S. Treasury": 1}, "The U.S. Treasury said on Monday.") == [("U.S. Treasury", 1)]


def test_a_name_is_found_only_case_for_case_and_word_for_word():
    assert places({"World Bank": 1}, "the world bank said; a World Banking group; World  Bank") == []


def test_the_longest_known_name_at_a_place_wins():
    names = {"Bank of England": 1, "Bank": 2, "Bank of England Quarterly": 3}

    assert places(names, "The Bank of England said on Monday.") == [("Bank of England", 1)]


@pytest.mark.parametrize("text", [
    "The World Bank Group lent more.",  # a longer name
    "An Asian World Bank office opened.",
    "The Central Bank of Brazil said.",  # through a connecting word
    "The Department of World Bank affairs.",
])
def test_a_known_name_inside_a_longer_capitalised_name_is_not_it(text):
    assert places({"World Bank": 1, "Central Bank": 2}, text) == []


@pytest.mark.parametrize("text", [
    "He said in Geneva that the World Bank would lend.",
    "World Bank President Barber Conable spoke.",  # a title after the name
    "Talks went on. World Bank officials left.",
    "The U.S. World Bank director spoke.",  # an abbreviation's full stop
])
def test_words_that_start_sentences_or_stand_beside_names_do_not_extend_it(text):
    assert places({"World Bank": 1}, text) == [("World Bank", 1)]


def test_a_name_in_capitals_is_not_found_in_a_line_all_in_capitals():
    text = "GATT TALKS RESUME\nDelegates said GATT would meet."

    assert places({"GATT": 1}, text) == [("GATT", 1)]
    assert KnownNames({"GATT": 1}).find(text)[0][0] == text.index("GATT would")
