"""Historical states are countries of their own, with their successors (issue 22, item 5):
the Soviet Union is not Russia. No service needed: the gazetteer, the rules on the real
spaCy model, the search parameters and the request body."""
import pytest
from django.http import QueryDict

from articles.entities import country_code, extract_entities
from articles.entities.gazetteer import country_name
from articles.entities.history import predecessors, successors
from articles.search import SearchParamError, SearchParams, parse_search_params
from articles.search.query import request_body
from articles.web.pages import active_filters, successor_names


def countries(nlp, text):
    """{code: [surface, ...]} of the countries extracted from one text."""
    (found,) = extract_entities([text], nlp=nlp)
    return {e.key: [surface for surface, _, _ in e.mentions] for e in found if e.kind == "country"}


def params(query_string):
    return parse_search_params(QueryDict(query_string))


@pytest.mark.parametrize("name, code", [
    ("Soviet Union", "SUHH"), ("the Soviet Union", "SUHH"), ("USSR", "SUHH"), ("U.S.S.R.", "SUHH"),
    ("Soviet", "SUHH"), ("Soviets", "SUHH"),
    ("East Germany", "DDDE"), ("East German", "DDDE"), ("German Democratic Republic", "DDDE"),
    ("Yugoslavia", "YUCS"), ("Yugoslav", "YUCS"), ("Czechoslovakia", "CSHH"), ("Czechoslovak", "CSHH"),
    ("Serbia and Montenegro", "CSXX"),
])
def test_a_historical_state_is_a_country_of_its_own(name, code):
    assert country_code(name) == code


@pytest.mark.parametrize("name, code", [
    ("Burma", "MM"), ("Zaire", "CD"), ("Kampuchea", "KH"), ("Upper Volta", "BF"), ("Dahomey", "BJ"),
    ("West Germany", "DE"), ("West German", "DE"), ("West Germans", "DE"),  # the Federal Republic continues
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
    found = countries(nlp, "Grain talks\n\nMOSCOW, March 3 - Officials said Russia would buy more grain.")

    assert found == {"RU": ["MOSCOW", "Russia"]}


def test_the_cities_of_an_article_naming_the_state_that_dissolved_are_in_that_state(nlp):
    found = countries(nlp, "Grain talks\n\nMOSCOW, March 3 - Officials said the Soviet Union would buy more "
                           "grain, the Kremlin said in Moscow.")

    assert found == {"SUHH": ["MOSCOW", "the Soviet Union", "Kremlin", "Moscow"]}


def test_a_dateline_city_of_the_state_east_germany_joined_stays_in_it(nlp):
    found = countries(nlp, "Trade\n\nBONN, March 3 - Officials said East Germany would buy more machines.")

    assert set(found) == {"DE", "DDDE"}


def test_czechoslovakia_and_its_successor_are_two_countries(nlp):
    found = countries(nlp, "Trade\n\nCzechoslovakia signed the accord in 1987; the Czech Republic renewed it in 1995.")

    assert set(found) == {"CSHH", "CZ"}


def test_a_historical_state_knows_its_successors_and_they_their_predecessors():
    assert successors("SUHH")[:1] == ("RU",) and {"UA", "BY", "KZ", "EE"} <= set(successors("SUHH"))
    assert len(successors("SUHH")) == 15
    assert set(successors("YUCS")) == {"RS", "ME", "SI", "HR", "BA", "MK"}
    assert successors("CSHH") == ("CZ", "SK")
    assert successors("DDDE") == ("DE",)
    assert predecessors("DE") == ("DDDE",)
    assert successors("RU") == predecessors("FR") == ()


def test_historical_states_are_named_as_readers_know_them():
    names = [country_name(code) for code in ("SUHH", "YUCS", "CSHH", "DDDE", "CSXX")]

    assert names == ["Soviet Union", "Yugoslavia", "Czechoslovakia", "East Germany", "Serbia and Montenegro"]


@pytest.mark.parametrize("typed", ["Soviet Union", "soviet union", "USSR", "SUHH", "suhh"])
def test_a_country_filter_names_the_soviet_union_by_name_or_code(typed):
    selected = params(f"country={typed}").country

    assert selected == ("SUHH",) and selected[0].label == "Soviet Union"


def test_a_historical_country_selects_only_itself_unless_successors_are_asked_for():
    alone = request_body(params("country=Czechoslovakia"))
    widened = request_body(params("country=Czechoslovakia&successors=1"))

    assert alone["post_filter"] == {"terms": {"countries": ["CSHH"]}}
    assert widened["post_filter"] == {"terms": {"countries": ["CSHH", "CZ", "SK"]}}
    # The values shown as selected (and counted as such) stay the ones chosen.
    assert widened["aggs"]["selected_country"]["aggs"]["values"]["terms"]["include"] == ["CSHH"]


def test_successors_widen_the_facets_counts_as_they_widen_the_hits():
    aggs = request_body(params("country=CSHH&successors=1&source=Reuters"))["aggs"]

    assert aggs["facet_source"]["filter"] == {"bool": {"filter": [{"terms": {"countries": ["CSHH", "CZ", "SK"]}}]}}


def test_successors_is_kept_in_the_url_and_reads_on_or_off():
    assert params("country=SUHH&successors=1").url("/") == "/?country=SUHH&successors=1"
    assert params("country=SUHH&successors=0") == params("country=SUHH") == SearchParams(country=("SUHH",))


@pytest.mark.parametrize("value", ["2", "yes", "true"])
def test_successors_is_1_or_0(value):
    with pytest.raises(SearchParamError, match="successors must be 1 or 0."):
        params(f"successors={value}")


def test_the_search_page_offers_the_successors_of_a_selected_historical_country_only():
    assert successor_names(params("country=CSHH&country=RU")) == ["Czechia", "Slovakia"]
    assert successor_names(params("country=RU")) == []


def test_a_widened_search_has_a_chip_that_narrows_it_again():
    chips = active_filters(params("country=DDDE&successors=1"), "/")

    assert chips == [{"label": "Country: East Germany", "url": "/?successors=1"},
                     {"label": "With successor states", "url": "/?country=DDDE"}]
    assert len(active_filters(params("country=DE&successors=1"), "/")) == 1
