"""Historical states are countries of their own, with their successors (issue 22, item 5):
the Soviet Union is not Russia. No service needed: the gazetteer, the rules on the real
spaCy model and the search parameters."""
import pytest
from django.http import QueryDict

from articles.entities import country_code, extract_entities
from articles.entities.gazetteer import country_name, predecessors, successors
from articles.search import parse_search_params


def countries(nlp, text):
    """{code: [surface, ...]} of the countries extracted from one text."""
    (found,) = extract_entities([text], nlp=nlp)
    return {e.key: [surface for surface, _, _ in e.mentions] for e in found if e.kind == "country"}


def params(query_string):
    return parse_search_params(QueryDict(query_string))


@pytest.mark.parametrize("name, code", [
    ("Soviet Union", "SUHH"), ("the Soviet Union", "SUHH"), ("USSR", "SUHH"), ("U.S.S.R.", "SUHH"),
    ("Soviet", "SUHH"), ("Soviets", "SUHH"),
    ("West Germany", "XWDE"), ("West German", "XWDE"), ("West Germans", "XWDE"),
    ("East Germany", "DDDE"), ("East German", "DDDE"), ("German Democratic Republic", "DDDE"),
    ("Yugoslavia", "YUCS"), ("Yugoslav", "YUCS"), ("Czechoslovakia", "CSHH"), ("Czechoslovak", "CSHH"),
    ("Serbia and Montenegro", "CSXX"),
])
def test_a_historical_state_is_a_country_of_its_own(name, code):
    assert country_code(name) == code


@pytest.mark.parametrize("name, code", [
    ("Burma", "MM"), ("Zaire", "CD"), ("Kampuchea", "KH"), ("Upper Volta", "BF"), ("Dahomey", "BJ"),
])
def test_a_former_name_of_a_country_that_continues_is_that_country(name, code):
    assert country_code(name) == code


def test_the_current_countries_keep_their_names():
    assert [country_code(name) for name in ("Russia", "Russian", "Germany", "German", "Serbia", "Czech")] == [
        "RU", "RU", "DE", "DE", "RS", "CZ"]


def test_the_soviet_union_named_in_an_article_is_not_russia(nlp):
    found = countries(nlp, "Grain deal\n\nThe Soviet Union bought U.S. wheat, Soviet officials said in Washington.")

    assert found["SUHH"] == ["Soviet Union", "Soviet"]
    assert "RU" not in found


def test_a_dateline_city_is_in_the_current_country(nlp):
    found = countries(nlp, "Grain talks\n\nMOSCOW, March 3 - Officials said the Soviet Union would buy more grain.")

    assert found == {"RU": ["MOSCOW"], "SUHH": ["the Soviet Union"]}


def test_czechoslovakia_and_its_successor_are_two_countries(nlp):
    found = countries(nlp, "Trade\n\nCzechoslovakia signed the accord in 1987; the Czech Republic renewed it in 1995.")

    assert set(found) == {"CSHH", "CZ"}


def test_a_historical_state_knows_its_successors_and_they_their_predecessors():
    assert successors("SUHH")[:1] == ("RU",) and {"UA", "BY", "KZ", "EE"} <= set(successors("SUHH"))
    assert len(successors("SUHH")) == 15
    assert set(successors("YUCS")) == {"RS", "ME", "SI", "HR", "BA", "MK"}
    assert successors("CSHH") == ("CZ", "SK")
    assert successors("DDDE") == successors("XWDE") == ("DE",)
    assert predecessors("DE") == ("DDDE", "XWDE")
    assert successors("RU") == predecessors("FR") == ()


def test_historical_states_are_named_as_readers_know_them():
    names = [country_name(code) for code in ("SUHH", "YUCS", "CSHH", "DDDE", "XWDE", "CSXX")]

    assert names == ["Soviet Union", "Yugoslavia", "Czechoslovakia", "East Germany", "West Germany",
                     "Serbia and Montenegro"]


@pytest.mark.parametrize("typed", ["Soviet Union", "soviet union", "USSR", "SUHH", "suhh"])
def test_a_country_filter_names_the_soviet_union_by_name_or_code(typed):
    selected = params(f"country={typed}").country

    assert selected == ("SUHH",) and selected[0].label == "Soviet Union"
