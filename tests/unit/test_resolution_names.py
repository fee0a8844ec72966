"""The name rules of the archive-level resolver, on names as the archive holds them."""
import pytest

from articles.enrichment.resolution import names


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
    ("lowe", "lower house budget committee"),  # a name of its own, not a clipping
    ("federal", "federal"),
])
def test_other_names_are_not_short_forms(short, long):
    assert not names.is_short_form(short, long)


def test_ordinary_words_and_places_stand_for_no_longer_name():
    assert names.can_stand_for_another("moody", "Moody")
    assert names.can_stand_for_another("federal reserve", "Federal Reserve")
    assert not names.can_stand_for_another("bank", "Bank")
    assert not names.can_stand_for_another("texas", "Texas")


def test_a_country_run_into_an_organization_name_is_split_off():
    assert names.qualified_by_country("guatemalan ico", "Guatemalan ICO") == "ico"
    assert names.qualified_by_country("us treasury", "US Treasury") == "treasury"
    assert names.qualified_by_country("german bundesbank", "German Bundesbank") == "bundesbank"
    assert names.qualified_by_country("goldman sachs", "Goldman Sachs") is None
    assert names.qualified_by_country("ico", "ICO") is None


def test_a_body_every_country_has_or_a_city_is_not_split_off():
    assert names.qualified_by_country("turkish foreign ministry", "Turkish Foreign Ministry") is None
    assert names.qualified_by_country("japan livestock industry promotion", "Japan Livestock Industry Promotion") is None
    assert names.qualified_by_country("london brent", "London Brent") is None


def test_cosine_of_neighbour_counts():
    assert names.cosine({"a": 1}, {"a": 3}) == pytest.approx(1.0)
    assert names.cosine({"a": 1}, {"b": 1}) == 0.0
    assert names.cosine({}, {"a": 1}) == 0.0


def test_a_public_body_goes_by_the_acronym_of_either_word_order():
    assert names.acronyms_of("US Agriculture Department") == {"USAD", "USDA"}
    assert names.acronyms_of("China International Trust and Investment") == {"CITI"}
    assert names.acronyms_of("National Cancer Institute") == {"NCI"}
    assert names.acronyms_of("European Community") == {"EC"}


def test_ordinary_words_are_one_word_names_written_mostly_in_lower_case():
    assert names.is_ordinary_word("bank") and names.is_ordinary_word("national")
    assert not names.is_ordinary_word("reagan") and not names.is_ordinary_word("national bank")


def test_the_name_a_headline_ran_words_into_is_found():
    known = {"reagan", "subroto"}.__contains__
    assert names.name_within("reagan hopes to lift japan", known) == "reagan"
    assert names.name_within("energy subroto", known) == "subroto"
    assert names.name_within("mark subroto", known) is None
    assert names.name_within("nancy reagan", known) is None  # a given name is no filler
    assert names.name_within("reagan", known) is None


def test_middle_initials_are_set_aside():
    assert names.without_initials("ivan f boesky") == "ivan boesky"
    assert names.without_initials("ivan boesky") == "ivan boesky"


def test_a_surname_may_have_a_particle():
    assert names.surnames("willy de clercq") == ["clercq", "de clercq"]
    assert names.surnames("james baker") == ["baker"]
    assert names.is_surname_only("de clercq") and not names.is_surname_only("james baker")
    assert names.is_surname_only("reagan")


def test_spelling_variants_have_one_form():
    assert names.same_name_form("Association of South-East Asian Nations") == names.same_name_form(
        "Association of Southeast Asian Nations")
    assert names.same_name_form("International Coffee Organisation") == names.same_name_form(
        "International Coffee Organization")


def test_one_word_names_may_be_acronyms():
    assert names.acronym_of_word("opec", "Opec") == "OPEC"
    assert names.acronym_of_word("usda", "U.S.D.A.") == "USDA"
    assert names.acronym_of_word("sec", "Securities and Exchange Commission") is None


def test_the_shorter_keys_of_a_name_are_its_first_words_and_clippings():
    assert names.shorter_keys("federal reserve board") == {"federal", "federal reserve", "fed", "fede"}
    assert names.shorter_keys("imf") == set()
