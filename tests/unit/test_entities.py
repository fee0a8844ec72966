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


def test_a_name_before_and_sons_is_the_firm(extract):
    found = extract(
        "PANTRY TALKS\n\nNEW YORK, March 4 - Pantry Inc, which operates convenience stores in "
        "five states, said it has engaged Alex. Brown and Sons Inc to explore a possible sale."
    )
    assert not {"alex", "brown", "alex brown"} & set(found["person"])


def test_a_surname_joined_by_and_to_a_firm_is_part_of_the_firm(extract):
    found = extract(
        "GENCORP BIDDER PLANS SALE OF AEROSPACE UNIT\n\nWASHINGTON, March 18 - General Partners, "
        "controlled by privately-held Wagner and Brown and by AFG Industries Inc, said it plans to "
        "sell GenCorp Inc's aerospace and soft drink bottling divisions if it succeeds in acquiring "
        "the company."
    )
    assert "brown" not in found["person"]


def test_a_titled_surname_joined_by_and_to_a_firm_is_a_person(extract):
    found = extract(
        "TALKS\n\nLONDON, March 18 - Talks between Mr Brown and Unilever ended on Tuesday, the "
        "company said. Brown had asked for more time."
    )
    assert "brown" in found["person"]


def test_a_name_written_as_a_thing_and_never_as_someone_is_no_person(extract):
    found = extract(
        "Bening tipped for award\n\nFilm actress Annette Bening is up for an Oscar for her "
        "starring role. Bening said the Oscar-nominated film was a joy to make."
    )
    assert "oscar" not in found["person"]
    assert "annette bening" in found["person"]


def test_a_name_written_as_someone_somewhere_in_the_article_stays_a_person(extract):
    found = extract(
        "Tennis\n\nLONDON, June 3 - On Sunday Sampras beat Agassi in four sets. The crowd saw a "
        "Sampras at his best, the coach said."
    )
    assert "sampras" in found["person"]


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


# Organizations: one entity per organization within an article, one key across the archive.


def _spans(doc, *labelled):
    """Spans of `doc` as NER might tag them: (text, label) pairs, each at its first
    occurrence after the previous one."""
    from spacy.tokens import Span

    spans, start = [], 0
    for text, label in labelled:
        span = doc.char_span(doc.text.index(text, start), doc.text.index(text, start) + len(text))
        spans.append(Span(doc, span.start, span.end, label=label))
        start = span.end_char
    return spans


def test_an_acronym_and_its_long_form_are_one_organization_keyed_by_the_acronym(extract):
    found = extract(
        "Oil talks\n\nMinisters of the Organization of Petroleum Exporting Countries met on "
        "Monday. OPEC said output would fall."
    )
    assert set(found["organization"]) == {"opec"}
    assert found["organization"]["opec"].name == "Organization of Petroleum Exporting Countries"


def test_case_variants_of_a_name_are_one_organization(extract):
    found = extract("Oil\n\nOutput fell in March, OPEC said on Monday. Opec officials declined to "
                    "comment.")
    assert [m[0] for m in found["organization"]["opec"].mentions] == ["OPEC", "Opec"]


def test_a_partial_mention_joins_the_full_name(extract):
    found = extract(
        "Gulf talks\n\nMinisters met in Riyadh on Monday at the invitation of the Gulf Cooperation "
        "Council. The Cooperation Council said its members agreed on trade."
    )
    assert set(found["organization"]) == {"gulf cooperation council"}


def test_a_name_without_its_final_s_is_the_same_organization(extract):
    found = extract("Tin\n\nExports rose, according to views polled by Reuter correspondents. A "
                    "spokesman told Reuters that output would fall.")
    assert set(found["organization"]) == {"reuters"}


def test_a_bracketed_acronym_names_the_organization_before_it(extract):
    found = extract(
        "Farm row\n\nSheep prices fell sharply this week, the Welsh National Farmers' Union (NFU) "
        "said on Monday. The NFU asked for help."
    )
    assert set(found["organization"]) == {"nfu"}


def test_organization_keys_drop_every_legal_form_cleanco_knows():
    assert normalise_key("organization", "Deutsche Bank AG") == "deutsche bank"
    assert normalise_key("organization", "Acme Co. Ltd.") == "acme"
    assert normalise_key("organization", "The Limited") == "limited"  # a name is never emptied


def test_organization_keys_ignore_punctuation_and_case():
    assert normalise_key("organization", "PROCTER & GAMBLE") == normalise_key(
        "organization", "Procter and Gamble")


def test_legal_forms_alone_are_not_an_organization(nlp):
    from articles.entities.organizations import find_organizations

    doc = nlp("Results\n\nShares of the AG rose.")
    assert find_organizations(_spans(doc, ("AG", "ORG"))) == []


def test_a_common_word_alone_is_not_an_organization(nlp):
    from articles.entities.organizations import find_organizations

    doc = nlp("Oil\n\nOutput in the zone rose, and Neutral officials agreed.")
    assert find_organizations(_spans(doc, ("Neutral", "ORG"))) == []


def test_a_wire_sign_off_is_no_mention(nlp):
    from articles.entities.organizations import without_signoff

    doc = nlp("GRAIN\n\nGrain sales rose, Reuters reported.\n Reuter")
    spans = _spans(doc, ("Reuters", "ORG"), ("Reuter", "ORG"))
    assert [span.text for span in without_signoff(spans, doc.text)] == ["Reuters"]


def test_a_name_only_in_a_capitals_headline_is_not_an_organization(nlp):
    from articles.entities.organizations import find_organizations

    doc = nlp("CRICKET SCORES\n\nEngland reached 278 for six on the first day at the Oval.")
    assert find_organizations(_spans(doc, ("CRICKET SCORES", "ORG"))) == []


def test_an_acronym_that_only_follows_numbers_is_a_unit(extract):
    found = extract("Dollar\n\nTOKYO, March 3 - The dollar closed at 150 yen at 1400 GMT, "
                    "dealers said.")
    assert "gmt" not in found["organization"]


def test_a_competition_is_an_event_not_an_organization(nlp):
    from articles.entities.organizations import find_organizations

    doc = nlp("Tennis\n\nSampras will play in the Davis Cup final next month.")
    assert find_organizations(_spans(doc, ("Davis Cup", "ORG"))) == []


def test_a_person_of_the_article_is_not_an_organization(nlp):
    from articles.entities.organizations import find_organizations

    doc = nlp("Tennis\n\nBoris Becker won on Monday. Becker said he was tired.")
    spans = _spans(doc, ("Boris Becker", "PERSON"), ("Becker", "ORG"))
    assert find_organizations(spans, people=[("boris", "becker")]) == []


def test_a_seat_of_government_is_a_place_not_an_organization(extract):
    found = extract("Talks\n\nMOSCOW, March 3 - The Kremlin said on Monday that talks had stalled.")
    assert "kremlin" not in found["organization"]
    assert "RU" in found["country"]


def test_a_capital_tagged_org_is_a_place_not_an_organization(nlp):
    from articles.entities.organizations import find_organizations

    doc = nlp("Floods\n\nOfficials in Dhaka said the floods had eased.")
    assert find_organizations(_spans(doc, ("Dhaka", "ORG"))) == []


def test_a_government_body_is_an_organization_though_a_common_word(extract):
    found = extract("Rates\n\nThe Fed raised rates on Tuesday, and analysts said the Fed would "
                    "raise them again.")
    assert set(found["organization"]) == {"fed"}


def test_numbers_cut_an_organization_span_in_two(nlp):
    from articles.entities.organizations import repair_splits

    doc = nlp("Results\n\nDETROIT 7 Chicago 4")
    spans = repair_splits(_spans(doc, ("DETROIT 7 Chicago 4", "ORG")))
    assert [span.text for span in spans] == ["DETROIT", "Chicago"]


# Sports results: teams are organizations, listed people are people.

SOCCER_RESULTS = (
    "SOCCER - DUTCH RESULTS\n\nAMSTERDAM, Aug 24 - Results of Dutch first division matches on "
    "Saturday:\nNAC Breda 1 Sparta Rotterdam 0\nHeerenveen 2 Ajax Amsterdam 0\n"
    "Ajax Amsterdam lost their first game of the season at Heerenveen."
)


def test_teams_in_a_results_table_are_organizations(extract):
    found = extract(SOCCER_RESULTS)
    teams = {"nac breda", "sparta rotterdam", "heerenveen", "ajax amsterdam"}
    assert teams <= set(found["organization"])
    assert len(found["organization"]["ajax amsterdam"].mentions) == 2  # the prose mention too


def test_teams_in_a_results_table_are_not_people(extract):
    found = extract(SOCCER_RESULTS)
    assert not {"nac breda", "heerenveen", "ajax amsterdam"} & set(found["person"])


def test_a_single_score_line_is_no_table(nlp):
    from articles.entities.results import find_teams

    assert find_teams(nlp("Trade\n\nExports rose.\nTokyo 12 Osaka 10\nImports fell.")) == []


def test_people_in_a_standings_table_are_not_teams(nlp):
    from articles.entities.results import find_teams

    assert find_teams(nlp("GOLF\n\nLeading scores:\nNick Faldo 70 71 68\nColin Montgomerie 71 "
                          "70 70")) == []


def test_a_cricket_score_with_a_lead_in_is_a_table_row(nlp):
    from articles.entities.results import find_teams

    doc = nlp("CRICKET\n\nClose of play:\nAt Colchester : Gloucestershire 280 ( J. Russell 63 ) .\n"
              "Essex 72-0 .")
    assert [team.text for team in find_teams(doc)] == ["Gloucestershire", "Essex"]


def test_a_dated_line_is_no_team(nlp):
    from articles.entities.results import find_teams

    assert find_teams(nlp("DIVIDEND\n\nQtly div 25 cts\nPay April 1\nRecord March 16")) == []


def test_a_name_before_a_country_in_brackets_is_a_competitor(nlp):
    from articles.entities.results import listed_people

    doc = nlp("TENNIS - RESULTS\n\nNEW YORK, Aug 27 - Results from the U.S. Open on Tuesday:\n"
              "Pete Sampras ( U.S. ) beat Jiri Novak ( Czech Republic ) 6-3 6-4")
    assert [span.text for span in listed_people(doc)] == ["Pete Sampras", "Jiri Novak"]


def test_a_name_beside_the_minute_of_a_goal_is_a_scorer(extract):
    found = extract(
        "SOCCER - FRENCH SUMMARIES\n\nPARIS, Aug 24 - Summaries of French first division "
        "matches on Saturday:\nNice 1 ( Debbah 39th ) Bastia 1 ( Drobnjak 82nd ) .\n"
        "Caen 1 ( Bancarel 70th ) Lyon 1 ( Caveglia 89th ) ."
    )
    assert {"debbah", "drobnjak", "bancarel", "caveglia"} <= set(found["person"])
    assert {"nice", "bastia", "caen", "lyon"} <= set(found["organization"])


# People: one person per article, and no companies or places.


def test_an_initial_and_a_surname_are_a_person_whatever_ner_made_of_them(nlp):
    from articles.entities.persons import with_missed_people

    doc = nlp("CRICKET\n\nDurham 326 ( D. Fulton 53 not out ) .")
    spans = with_missed_people(_spans(doc, ("D.", "NORP"), ("Fulton", "GPE")), doc)
    assert [(span.text, span.label_) for span in spans] == [("D. Fulton", "PERSON")]


def test_a_hyphenated_given_name_makes_a_name(nlp):
    from articles.entities.name_shapes import is_name_shaped

    assert is_name_shaped(nlp("Heinz-Harald Frentzen")[:])


def test_a_title_or_demonym_before_a_misread_name_is_left_out(nlp):
    from articles.entities.persons import with_missed_people

    doc = nlp("Swimming\n\nRussian Alexander Popov won the race.")
    spans = with_missed_people(_spans(doc, ("Russian Alexander Popov", "ORG")), doc)
    assert [(span.text, span.label_) for span in spans] == [("Alexander Popov", "PERSON")]


def test_an_org_tagged_full_name_ending_in_a_person_surname_is_that_person(nlp):
    from articles.entities.persons import find_persons, with_missed_people

    doc = nlp("Athletics\n\nPhillips Idowu jumped well. Idowu said he was pleased.")
    spans = with_missed_people(_spans(doc, ("Phillips Idowu", "ORG"), ("Idowu", "PERSON")), doc)
    people, _ = find_persons(spans)
    assert [(display, len(members)) for _, display, members in people] == [("Phillips Idowu", 2)]


def test_a_one_word_person_that_stands_in_a_longer_name_is_not_a_person(nlp):
    from articles.entities.persons import find_persons

    doc = nlp("Lake\n\nPollution in Lake Baikal grew, and Baikal fishermen protested.")
    people, _ = find_persons(_spans(doc, ("Lake Baikal", "LOC"), ("Baikal", "PERSON")))
    assert people == []


def test_a_one_word_person_in_company_context_is_not_a_person(nlp):
    from articles.entities.persons import find_persons

    doc = nlp("Oil\n\nYukos shares fell on Monday after the tax claim.")
    people, _ = find_persons(_spans(doc, ("Yukos", "PERSON")))
    assert people == []


def test_a_club_named_for_its_town_is_not_a_person(nlp):
    from articles.entities.persons import find_persons

    doc = nlp("Soccer\n\nLegia Warsaw won again on Sunday.")
    people, _ = find_persons(_spans(doc, ("Legia Warsaw", "PERSON")))
    assert people == []


def test_a_headline_misreading_does_not_outvote_a_person(nlp):
    from articles.entities.persons import find_persons

    doc = nlp("REAGAN SENDS CONGRESS A BILL\n\nWASHINGTON, March 12 - President Reagan will send "
              "a bill to Congress today.")
    spans = _spans(doc, ("REAGAN SENDS CONGRESS A BILL", "ORG"), ("Reagan", "PERSON"))
    people, _ = find_persons(spans)
    assert [display for _, display, _ in people] == ["Reagan"]


@needs_lexicon
def test_warming_up_loads_the_tables_the_rules_read_at_their_first_question(nlp):
    from articles.entities import lexicon, warm_up

    lexicon.common_words.cache_clear()
    warm_up(nlp)
    assert lexicon.common_words.cache_info().currsize == 1
