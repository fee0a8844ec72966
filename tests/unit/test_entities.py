"""Entity extraction rules, one test each; pure logic (the spaCy model, no DB or ES)."""
import importlib.util

import pytest

from articles.entities import article_text, country_code, extract_entities, normalise_key

from ..conftest import SEED


# The common-word rule reads spaCy's word probabilities from spacy-lookups-data.
needs_lexicon = pytest.mark.skipif(
    importlib.util.find_spec("spacy_lookups_data") is None,
    reason="spacy-lookups-data is not installed",
)


@pytest.fixture
def extract(nlp):
    """Entities of one text as {kind: {key: FoundEntity}}."""

    def run(text):
        by_kind = {"person": {}, "country": {}, "organization": {}}
        for entity in next(extract_entities([text], nlp=nlp)):
            by_kind[entity.kind][entity.key] = entity
        return by_kind

    return run


def test_partial_names_resolve_to_the_full_name(extract):
    found = extract(
        "Talks\n\nChinese President Xi Jinping met Russian leader Vladimir Putin on Monday. "
        "Putin said he was glad to host Xi in Moscow."
    )
    people = found["person"]
    assert set(people) == {"xi jinping", "vladimir putin"}
    assert [m[0] for m in people["vladimir putin"].mentions] == ["Vladimir Putin", "Putin"]
    assert people["xi jinping"].name == "Xi Jinping"


def test_mentions_are_offsets_into_the_text(extract):
    text = "Visit\n\nPrime Minister Li Qiang spoke in Beijing."
    for kind in extract(text).values():
        for entity in kind.values():
            assert all(text[start:end] == surface for surface, start, end in entity.mentions)


def test_normalise_key_folds_case_accents_titles_and_possessives():
    assert normalise_key("person", "President Emmanuel Macron's") == "emmanuel macron"
    assert normalise_key("person", "JOSÉ MUJICA") == normalise_key("person", "José Mujica")
    assert normalise_key("organization", "The Reuters's") == "reuters"
    assert normalise_key("organization", "Bloomberg L.P.") == "bloomberg"


def test_known_place_tagged_as_person_is_a_country_not_a_person(extract):
    found = extract(
        "War\n\nThe proposals were rejected by the government in Kyiv and its allies in the US."
    )
    assert "kyiv" not in found["person"]
    assert "UA" in found["country"]


def test_pronouns_digits_and_single_letters_are_not_people(extract):
    found = extract(
        "Results\n\nHe said she would come. A. was absent and R2D2 stayed home. "
        "Colin Montgomerie 442,201 finished second."
    )
    assert set(found["person"]) == {"colin montgomerie"}


def test_country_names_and_variants(nlp):
    assert {country_code(name) for name in ["US", "U.S.", "United States", "America"]} == {"US"}
    assert {country_code(name) for name in ["UK", "Britain", "United Kingdom"]} == {"GB"}
    assert country_code("us") is None  # the pronoun, not the country


def test_demonyms():
    assert country_code("Chinese") == "CN"
    assert country_code("Russian") == "RU"
    assert country_code("Saudi") == "SA"


def test_capitals_and_major_cities():
    codes = {name: country_code(name) for name in ["Moscow", "Beijing", "Kyiv", "New Delhi", "Washington"]}
    assert codes == {"Moscow": "RU", "Beijing": "CN", "Kyiv": "UA", "New Delhi": "IN", "Washington": "US"}


def test_dateline_gives_the_country(extract):
    found = extract("SHARES RISE\n\nNEW YORK, March 3 - Shares rose in quiet trading.")
    assert set(found["country"]) == {"US"}
    assert found["country"]["US"].mentions[0][0] == "NEW YORK"


def test_dateline_region_abbreviation_decides(extract):
    found = extract("DIVIDEND\n\nFLORENCE, Ala., Feb 26 - Qtly div 25 cts vs 25 cts prior.")
    assert set(found["country"]) == {"US"}


def test_georgia_is_the_us_state_when_the_article_is_about_the_us(extract):
    us = extract("Storm\n\nThe storm hit Georgia and Florida, U.S. officials said.")
    country = extract("Talks\n\nGeorgia and Armenia held talks in Tbilisi.")
    assert "US" in us["country"] and "GE" not in us["country"]
    assert "GE" in country["country"]


def test_albany_columbia_and_initials_are_not_albania_colombia_or_montserrat():
    assert country_code("Albany") == "US"
    assert country_code("Columbia") == "US"
    assert country_code("Colombia") == "CO"
    assert country_code("M.S.") is None


def test_historical_names_map_to_current_countries():
    assert country_code("West Germany") == "DE"
    assert country_code("USSR") == "RU"
    assert country_code("Soviet Union") == "RU"
    assert country_code("Burma") == "MM"


def test_institutions_stand_for_their_country(extract):
    found = extract("Reaction\n\nThe Kremlin and the White House both declined to comment.")
    assert {"RU", "US"} <= set(found["country"])


def test_group_of_20_and_g20_are_one_organization(extract):
    assert normalise_key("organization", "Group of 20") == normalise_key("organization", "G20")
    assert normalise_key("organization", "G-20") == normalise_key("organization", "Group of Twenty")
    found = extract("Summit\n\nAt the meeting of Group of 20 foreign ministers in New Delhi, talks failed.")
    assert found["organization"]["g20"].name == "Group of 20"


def test_seed_article_exactly(extract):
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    found = extract(article_text(title, body))
    names = {entity.name for entity in found["person"].values()}
    assert names == {"Xi Jinping", "Vladimir Putin", "Li Qiang", "Joe Biden", "Wang Yi"}
    assert set(found["country"]) == {"CN", "RU", "UA", "US", "SA", "IR", "IN", "ID"}
    organizations = {entity.name for entity in found["organization"].values()}
    assert {"Reuters", "Bloomberg", "National People\u2019s Congress", "Group of 20"} <= organizations


# Reuters-style wire copy: hard-wrapped lines, earnings tables, datelines.


def test_a_name_wrapped_at_a_line_end_stays_one_name(extract):
    found = extract(
        "Board Report\n\nWASHINGTON, Feb 26 - In one of the most direct criticisms, board chairman John\n"
        "Tower, a longtime supporter of the president, said the staff had failed him."
    )
    assert "john tower" in found["person"]
    assert found["person"]["john tower"].name == "John Tower"
    assert "john" not in found["person"] and "tower" not in found["person"]


@needs_lexicon
def test_common_words_heading_table_rows_are_not_people(extract):
    found = extract(
        "ACME CORP 4TH QTR NET\n\nDALLAS, March 2 - Shr 1.53 dlrs vs 1.21 dlrs\n"
        "    Net 6,635,318 vs 5,050,044\n    Revs 291.8 mln vs 151.1 mln\n"
        "    Avg shrs 51.7 mln vs 43.4 mln\n Reuter"
    )
    assert not {"revs", "avg", "shr", "net"} & set(found["person"])


def test_letters_without_a_vowel_are_an_abbreviation_not_a_name(extract):
    found = extract(
        "RESERVES FALL\n\nWELLINGTON, March 2 - New Zealand's official reserves fell to "
        "7.15 billion N.Z. Dlrs in January from 7.20 billion in December, the bank said."
    )
    assert not any("dlrs" in key for key in found["person"])


def test_a_name_only_in_capitals_needs_the_whole_text_in_capitals(extract):
    mixed = extract(
        "REGAN DEPARTURE MAKES WAY FOR NEW STAFF\n\nWASHINGTON, March 3 - The chief of staff "
        "resigned on Friday, officials said."
    )
    shouted = extract("TRADE\n\nTOKYO, MARCH 3 - U.S. TREASURY SECRETARY JAMES BAKER SAID "
                      "TODAY THE DOLLAR WAS STABLE.")
    assert not mixed["person"]  # the headline words are not a name
    assert "james baker" in shouted["person"]


def test_treasurer_is_a_title_not_part_of_the_name(extract):
    found = extract(
        "Budget\n\nCANBERRA, March 5 - Treasurer Paul Keating said the deficit would narrow."
    )
    assert "paul keating" in found["person"]
    assert found["person"]["paul keating"].name == "Paul Keating"


def test_titles_alone_are_not_a_person(nlp):
    from spacy.tokens import Span

    from articles.entities.persons import find_persons

    doc = nlp("Ray Hankes of Fairbury was elected Vice President of the council.")
    start = next(token.i for token in doc if token.text == "Vice")
    people, _ = find_persons([Span(doc, start, start + 2, label="PERSON")])  # as NER may tag it
    assert people == []


def test_a_month_before_a_number_is_a_date_not_a_person(extract):
    found = extract(
        "CROP SALES\n\nBUENOS AIRES, March 3 - Grain export sales were, in thousands of tonnes: "
        "Maize Mar 48.0, total 48.0 (nil). Linseed prev 34.8, Feb 32.9, Mar 6.8, Apr 6.3."
    )
    assert not {"mar", "apr", "feb"} & set(found["person"])


def test_a_name_before_a_company_form_is_the_company(extract):
    found = extract(
        "Gold\n\nLONDON, March 4 - Gold prices should stay firm, bullion bankers Samuel Montagu "
        "and Co Ltd said in a market report on Tuesday."
    )
    assert "samuel montagu" not in found["person"]


def test_a_name_that_begins_a_company_name_is_the_company(extract):
    found = extract(
        "CHIP MAKER\n\nNEW YORK, March 4 - Fujitsu Ltd agreed to buy 80 pct of Fairchild "
        "Semiconductor Corp from Schlumberger Ltd. Fairchild said the talks had ended "
        "because of opposition in Washington."
    )
    assert "fairchild" not in found["person"]


@needs_lexicon
def test_names_ending_in_a_common_word_without_a_given_name_are_companies(extract):
    found = extract(
        "MERGER\n\nLONDON, March 3 - Westland Helicopter and Champlin Refining agreed to merge. "
        "Analyst Mark Butcher said the deal made sense."
    )
    assert not {"westland helicopter", "champlin refining"} & set(found["person"])
    assert "mark butcher" in found["person"]  # a given name first: a person


def test_a_title_first_does_not_make_a_missed_name(extract):
    found = extract("CARS\n\nDETROIT, March 3 - General Motors said it would cut costs.")
    assert not {"motors", "general motors"} & set(found["person"])


@needs_lexicon
def test_common_words_do_not_make_a_missed_name(extract):
    found = extract(
        "FUTURES\n\nCHICAGO, March 3 - Major Market Index futures rose in active trading."
    )
    assert "major market index" not in found["person"]


def test_a_given_name_and_the_untagged_surname_on_the_next_line_are_completed(extract):
    found = extract(
        "DEBT TALKS\n\nMANILA, March 2 - The delegation headed by Philippine Finance "
        "Secretary Jaime\n"
        "Ongpin starts negotiations with the country's creditor banks tomorrow."
    )
    assert "jaime ongpin" in found["person"]
    assert "jaime" not in found["person"]


def test_a_demonym_before_a_currency_names_the_currency_not_the_country(extract):
    found = extract(
        "EUROBOND\n\nLONDON, March 3 - Scotia Mortgage Corp is issuing a 100 mln Canadian dlr "
        "eurobond due April 9, 1992 paying 8-3/4 pct, lead manager Wood Gundy Ltd said."
    )
    assert "CA" not in found["country"]
    assert "GB" in found["country"]


def test_a_country_named_only_in_passing_after_the_lead_is_left_out(extract):
    found = extract(
        "IVACO SEES MINIMAL EARNINGS\n\nMONTREAL, Feb 26 - Ivaco Inc said price pressure on steel "
        "products would hold down first quarter earnings. It said sales improved in March. "
        "A Japanese bank arranged the credit line, which is partly held by its London unit."
    )
    assert set(found["country"]) == {"CA"}


def test_a_country_named_by_its_own_name_stays_even_in_passing(extract):
    found = extract(
        "TALKS\n\nBEIJING, March 13 - China will host talks on trade next week, officials said. "
        "Delegates met on Monday. Late last week China helped broker an agreement by Saudi "
        "Arabia and Iran to restore ties."
    )
    assert {"CN", "SA", "IR"} <= set(found["country"])


def test_the_market_where_a_bond_is_listed_is_not_a_subject(extract):
    found = extract(
        "EUROBOND\n\nLONDON, March 2 - Caisse Centrale is issuing a 12 billion yen eurobond due "
        "1994, lead manager Mitsubishi Trust said. The bond is available in denominations of "
        "one mln yen and will be listed in Luxembourg."
    )
    assert "LU" not in found["country"]


def test_countries_in_a_list_named_in_passing_are_left_out(extract):
    found = extract(
        "DEAN FOODS SEES STRONG QUARTER\n\nCHICAGO, Feb 26 - Dean Foods Co expects earnings to "
        "rise, its chairman told analysts. He said the company has licensing arrangements in "
        "Australia, Canada, Brazil and Japan."
    )
    assert set(found["country"]) == {"US"}


def test_dateline_region_abbreviations_read_as_us_states_first():
    from articles.entities.gazetteer import dateline_country

    assert dateline_country("ROSWELL", "Ga.") == "US"  # not Goa
    assert dateline_country("CLAYMONT", "Del.") == "US"  # not Delhi
    assert dateline_country("MURDOCHVILLE", "Que.") == "CA"  # not Queretaro


def test_dateline_contractions_and_regions_without_a_period():
    from articles.entities.gazetteer import dateline_country

    assert dateline_country("ST. PETERSBURG", "Fla.") == "US"  # not Russia
    assert dateline_country("EDMONTON", "Alta.") == "CA"
    assert dateline_country("BIRMINGHAM", "Ala") == "US"  # not England
    assert dateline_country("NITRO", "W.Va.") == "US"


def test_dateline_month_in_any_case(extract):
    found = extract("DIVIDEND\n\nFARMINGTON, Conn., FEb 26 - Qtly div 35 cts vs 35 cts prior.")
    assert set(found["country"]) == {"US"}


def test_an_ambiguous_dateline_region_follows_the_article(extract):
    found = extract(
        "NEW PLANT\n\nKENDRAPARA, Del., March 3 - The Indian company said it will build a plant "
        "in the Indian state of Orissa with a loan from a bank in India."
    )
    assert "IN" in found["country"] and "US" not in found["country"]


def test_extract_entities_is_the_pipeline_then_entities_of(nlp):
    from articles.entities import entities_of

    text = "Talks\n\nMOSCOW, March 3 - Vladimir Putin met Xi Jinping in the Kremlin."
    assert next(extract_entities([text], nlp=nlp)) == entities_of(nlp(text))


def test_a_region_abbreviation_in_an_address_is_not_a_person(extract):
    found = extract(
        "BANK CLOSED\n\nWASHINGTON, March 3 - Regulators transferred the deposits of Madill Bank "
        "and Trust Co, Madill, Okla, to the healthy First American National Bank."
    )
    assert "okla" not in found["person"]


def test_a_misspelt_dateline_date_is_no_entity(extract):
    found = extract(
        "KEYCORP REGISTERS NOTES\n\nALBANY, N.Y., Marc 3 - KeyCorp said it has filed with the "
        "Securities and Exchange Commission for an offering of notes."
    )
    assert "marc" not in found["person"]
    assert set(found["country"]) == {"US"}


def test_a_city_own_name_beats_another_city_alternate_name():
    assert country_code("Venice") == "IT"  # GeoNames also calls Dayton, Ohio "Venice"
    assert country_code("Canton") == "CN"  # Guangzhou's old name outweighs Canton, Ohio
