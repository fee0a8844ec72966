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


def test_a_head_noun_after_a_minor_word_has_one_letter_and_no_other_order():
    assert names.acronyms_of("ON BOARD") == {"B"}


def test_one_name_with_one_word_after_it_names_another_thing():
    assert names.names_another_thing("ross stores", "ross")
    assert names.names_another_thing("greenspan put", "greenspan")
    assert not names.names_another_thing("reagan hopes to lift japan", "reagan")
    assert not names.names_another_thing("energy subroto", "subroto")
    assert not names.names_another_thing("louise heavens singapore", "louise heavens")


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


@pytest.mark.parametrize("acronym, name", [
    ("ICCO", "International Cocoa Organization"),  # more letters of a word than its initial
    ("ICO", "International Coffee Organization"),
    ("USDA", "U.S. Department of Agriculture"),
    ("BIS", "Bank for International Settlements"),  # a minor word gives nothing
    ("OPEC", "Organization of the Petroleum Exporting Countries"),
])
def test_an_acronym_spells_a_long_name_by_its_words_letters_in_order(acronym, name):
    assert names.spells(acronym, name)


@pytest.mark.parametrize("acronym, name", [
    ("ICCO", "International Coffee Organization"),  # no second "c" to read
    ("EC", "EC Commission"),  # holds the acronym itself
    ("IMF", "World Bank and IMF"),
    ("EC", "European"),  # one word is no long form
    ("ICO", "Recent International Coffee Organization"),  # every word gives a letter
    ("SONY", "Scotland Yard"),  # at most two letters of a word
])
def test_an_acronym_does_not_spell_other_names(acronym, name):
    assert not names.spells(acronym, name)


def test_the_initials_within_an_acronym_begin_with_its_first_letter():
    assert names.initials_within("ICCO") == {"IC", "ICC", "ICO", "ICCO", "IO"}
    assert names.initials_within("EC") == {"EC"}


def test_an_acronym_key_is_one_word_of_two_to_six_letters():
    assert names.acronym_key("ec") == "EC"
    assert names.acronym_key("european community") is None
    assert names.acronym_key("g7") is None


def test_an_acronym_stands_for_the_long_form_its_own_articles_write_most():
    written = {"EC": 276, "European Community": 168, "European Commission": 37, "EC Commission": 36}
    assert names.expansion("EC", written) == ("European Community", True)
    spellings = {"ICO": 46, "International Coffee Organization": 26, "International Coffee Organisation": 12}
    assert names.expansion("ICO", spellings) == ("International Coffee Organization", True)


def test_an_acronym_written_out_two_ways_with_no_lead_stands_for_neither():
    assert names.expansion("ADB", {"ADB": 5, "Asian Development Bank": 3, "African Development Bank": 2}) == (None, True)
    assert names.expansion("ICO", {"ICO": 46}) == (None, False)


@pytest.mark.parametrize("name, parts", [
    ("World Bank and IMF", ["World Bank", "IMF"]),
    ("International Monetary Fund/World Bank", ["International Monetary Fund", "World Bank"]),
    ("Non-OPEC", ["OPEC"]),
    ("Arsenal and Real Madrid", ["Arsenal", "Real Madrid"]),
])
def test_a_name_made_of_names_is_split_into_them(name, parts):
    assert names.fragment_parts(name) == parts


@pytest.mark.parametrize("name", [
    "Pratt & Whitney",  # "&" joins one firm's names
    "Progressive Savings and Loan Association",  # ordinary words on both sides of "and"
    "Ministry of Trade and Industry",
    "Nonfood Holdings",
    "World Bank",
])
def test_one_name_is_not_split(name):
    assert names.fragment_parts(name) == []


def test_stray_words_count_as_filler_only_when_asked():
    known = {"reagan", "onno ruding"}.__contains__
    stray = {"athough", "miniister", "h", "gnma"}.__contains__
    assert names.name_within("athough reagan", known) is None
    assert names.name_within("athough reagan", known, stray) == "reagan"
    assert names.name_within("miniister h onno ruding", known, stray) == "onno ruding"
    assert names.name_within("reagan signs gnma", known, stray) == "reagan"
    assert names.name_within("nancy reagan", known, stray) is None  # a given name is never filler


def test_a_headline_fragment_is_not_shaped_like_a_name():
    assert names.is_name_shaped("ronald reagan") and names.is_name_shaped("athough reagan")
    assert not names.is_name_shaped("reagan signs gnma") and not names.is_name_shaped("reagan")


def test_the_articles_that_write_an_acronym_out_are_grouped_by_the_long_form_they_write():
    mentions = [(1, "ADB"), (1, "Asian Development Bank"), (2, "Asian Development Bank"),
                (3, "AFRICAN DEVELOPMENT BANK"), (3, "ADB"), (4, "ADB")]
    assert names.written_out_in("ADB", mentions) == {
        names.same_name_form("Asian Development Bank"): {1, 2},
        names.same_name_form("African Development Bank"): {3},
    }


def test_long_forms_written_beside_each_other_are_related_names_not_bodies_sharing_letters():
    mentions = [(1, "European Community"), (2, "European Commission"),
                (3, "European Community"), (3, "European Commission"), (4, "Economic Commission")]
    assert names.written_out_in("EC", mentions) == {names.same_name_form("Economic Commission"): {4}}


def test_a_rare_name_word_is_mostly_written_capitalised_and_a_misspelling_is_not():
    from articles.entities.lexicon import is_name_like

    assert is_name_like("hardwick") and is_name_like("Satoshi")
    assert not is_name_like("athough") and not is_name_like("miniister") and not is_name_like("shares")


def test_two_long_names_of_one_acronym_are_other_bodies():
    assert names.other_body_of_its_letters("European Commission", "European Community")
    assert names.other_body_of_its_letters("Asian Development Bank", "African Development Bank")
    assert not names.other_body_of_its_letters("European Community", "European  community")  # one name
    assert not names.other_body_of_its_letters("EC", "European Community")  # the acronym itself
    assert not names.other_body_of_its_letters("EC Commission", "European Community")
