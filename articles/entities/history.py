"""States of the past: the ones that dissolved or merged (the Soviet Union, Yugoslavia, ...),
their successors as Unicode CLDR lists them (through Babel), and the former names of countries
that continue under a new one."""
from dataclasses import dataclass

import pycountry
from babel.core import get_global


@dataclass(frozen=True)
class HistoricalState:
    name: str  # how pages name it
    numeric: str  # its ISO 3166-1 numeric code when it ended, under which CLDR lists its successors
    demonym: str = ""  # "Soviet": news names it by its people too ("Soviet", "Soviets")


# States that dissolved into several states or merged into another: countries of
# their own, never one of their successors (news of the Soviet Union is not news
# of Russia). Keyed by their ISO 3166-3 code (pycountry's historic countries; the
# alpha-2 "CS" was both Czechoslovakia and Serbia and Montenegro). West Germany is
# not one: the Federal Republic continues as today's Germany (DE), which East Germany
# joined, so ISO 3166-3 lists East Germany only. Yugoslavia's numeric code is the Socialist Federal
# Republic's (890), whose six successors news of Yugoslavia concerns (pycountry
# gives 891, the Federal Republic of 1992-2003, which became Serbia and Montenegro).
HISTORICAL_STATES = {
    "SUHH": HistoricalState("Soviet Union", "810", "Soviet"),
    "YUCS": HistoricalState("Yugoslavia", "890", "Yugoslav"),
    "CSHH": HistoricalState("Czechoslovakia", "200", "Czechoslovak"),
    "DDDE": HistoricalState("East Germany", "278", "East German"),
    "CSXX": HistoricalState("Serbia and Montenegro", "891"),
}


# Former names of countries that continue under a new one, which no data set
# has (pycountry's historic countries give the others: Burma, Zaire, Dahomey).
FORMER_NAMES = {"Kampuchea": "KH", "West Germany": "DE", "West German": "DE", "West Germans": "DE"}


def _successors():
    """{historical state: its successors}, as CLDR replaces the state's numeric code."""
    aliases = get_global("territory_aliases")
    return {
        code: tuple(c for c in aliases[state.numeric] if pycountry.countries.get(alpha_2=c))
        for code, state in HISTORICAL_STATES.items()
    }


SUCCESSORS = _successors()


# {current country: the historical states it succeeded}: "DE" -> ("DDDE",).
PREDECESSORS = {
    code: tuple(state for state, successors in SUCCESSORS.items() if code in successors)
    for code in {code for successors in SUCCESSORS.values() for code in successors}
}


def successors(code):
    """The current countries that succeeded a historical state ("CSHH" -> ("CZ", "SK")); () for others."""
    return SUCCESSORS.get(code, ())


def predecessors(code):
    """The historical states a current country succeeded ("DE" -> ("DDDE",)); () for others."""
    return PREDECESSORS.get(code, ())
