"""The name rules of the archive-level resolver, on names as the archive holds them."""
import pytest

from articles.resolution import names


def test_a_candidate_is_dominant_with_enough_articles_and_a_wide_lead():
    assert names.dominant({"ronald reagan": 15}) == "ronald reagan"
    assert names.dominant({"james baker": 90, "howard baker": 12}) == "james baker"


@pytest.mark.parametrize("counts", [
    {"james baker": 20, "howard baker": 12},  # two people share the surname
    {"general motors": 30, "general electric": 25},
    {"ronald reagan": 1},  # one article is no evidence
    {},
])
def test_no_candidate_is_dominant_when_the_archive_means_several(counts):
    assert names.dominant(counts) is None


@pytest.mark.parametrize("name, letters", [
    ("International Monetary Fund", "IMF"),
    ("U.S. Department of Agriculture", "USDA"),
    ("US Department of Agriculture", "USDA"),
    ("Food and Drug Administration", "FDA"),
    ("New York Stock Exchange", "NYSE"),
    ("European Community", "EC"),
])
def test_acronym_letters_are_initials_without_minor_words(name, letters):
    assert names.acronym_letters(name) == letters


def test_acronyms_are_two_to_six_capitals():
    assert names.is_acronym("IMF") and names.is_acronym("U.S.D.A.") and names.is_acronym("EC")
    assert not names.is_acronym("Moody") and not names.is_acronym("I") and not names.is_acronym("ABCDEFG")


def test_the_same_words_in_another_order_are_one_name():
    assert names.same_words_reordered("us agriculture department", "us department of agriculture")
    assert not names.same_words_reordered("world bank", "world bank")
    assert not names.same_words_reordered("world bank", "bank")


@pytest.mark.parametrize("short, long", [
    ("moody", "moody's investors service"),
    ("federal reserve", "federal reserve board"),
    ("fed", "federal reserve"),
])
def test_first_words_and_clippings_are_short_forms(short, long):
    assert names.is_short_form(short, long)


@pytest.mark.parametrize("short, long", [
    ("reserve", "federal reserve"),  # not the first word
    ("federal reserve board", "federal reserve"),  # longer
    ("fe", "federal reserve"),  # too short a clipping to tell
    ("federal", "federal"),
])
def test_other_names_are_not_short_forms(short, long):
    assert not names.is_short_form(short, long)


def test_ordinary_words_and_places_stand_for_no_longer_name():
    assert names.can_stand_for_another("moody", "Moody")
    assert names.can_stand_for_another("federal reserve", "Federal Reserve")
    assert not names.can_stand_for_another("bank", "Bank")
    assert not names.can_stand_for_another("texas", "Texas")


def test_a_place_run_into_an_organization_name_is_split_off():
    assert names.qualified_by_place("guatemalan ico", "Guatemalan ICO") == "ico"
    assert names.qualified_by_place("goldman sachs", "Goldman Sachs") is None
    assert names.qualified_by_place("ico", "ICO") is None


def test_an_ordinary_word_run_into_a_person_name_is_a_fragment():
    assert names.headline_fragment_rest("energy subroto") == "subroto"
    assert names.headline_fragment_rest("james baker") is None
    assert names.headline_fragment_rest("subroto") is None


def test_cosine_of_neighbour_counts():
    assert names.cosine({"a": 1}, {"a": 3}) == pytest.approx(1.0)
    assert names.cosine({"a": 1}, {"b": 1}) == 0.0
    assert names.cosine({}, {"a": 1}) == 0.0
