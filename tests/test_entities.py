"""Entity extraction rules, one test each; pure logic (the spaCy model, no DB or ES)."""
from pathlib import Path

import pytest

from articles.entities import country_code, extract_entities, normalise_key
from articles.nlp import get_nlp

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "seed" / "000_864237390d45e851.txt"


@pytest.fixture(scope="session")
def nlp():
    return get_nlp()


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
    found = extract(f"{title}\n\n{body}")
    names = {entity.name for entity in found["person"].values()}
    assert names == {"Xi Jinping", "Vladimir Putin", "Li Qiang", "Joe Biden", "Wang Yi"}
    assert set(found["country"]) == {"CN", "RU", "UA", "US", "SA", "IR", "IN", "ID"}
    organizations = {entity.name for entity in found["organization"].values()}
    assert {"Reuters", "Bloomberg", "National People\u2019s Congress", "Group of 20"} <= organizations
