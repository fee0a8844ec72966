"""Countries an article mentions: names, demonyms, capitals, cities and datelines."""
import re
from collections import Counter

from .gazetteer import BIG_CITY_POPULATION, CITY, COUNTRY, INSTITUTION, dateline_country, lookup, plain_place

# The strongest tier each entity label may be read through: any place for GPE;
# country names and demonyms only for NORP and LOC ("Western", "Gulf" are
# regions somewhere); institutions such as "Kremlin" for ORG and FAC.
WEAKEST_TIER = {"GPE": CITY, "NORP": COUNTRY, "LOC": COUNTRY, "ORG": INSTITUTION, "FAC": INSTITUTION}

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# "NEW YORK, March 3 -", "ROCHESTER, N.Y., March 3 -", "BEIJING (Reuters) -",
# "LONDON 1996-08-30": an upper-case place, an optional region, then a date
# and/or a source in brackets.
DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+)*)"
    r"(?: ?, (?P<region>[A-Z][A-Za-z'.\-]*(?: [A-Z][A-Za-z'.\-]*)*))?"
    rf"(?: ?,? (?:{_MONTH} \d{{1,2}}|\d{{4}}-\d\d-\d\d)(?: \([\w ]+\))?| ?,? \([\w ]+\))"
    r"\s*(?:[-\u2013\u2014]|$)",
    re.MULTILINE,
)
# The dateline opens the body, after the title and perhaps a byline.
DATELINE_LINES = 4


def find_dateline(text):
    """The dateline match on one of the top lines, or None."""
    for line in re.finditer(r"[^\n]+", text):
        if text.count("\n", 0, line.start()) >= DATELINE_LINES:
            return None
        match = DATELINE.match(text, line.start() + len(line.group()) - len(line.group().lstrip()))
        if match:
            return match
    return None


def split_dateline(spans, text):
    """The entity spans outside the dateline, and its (surface, start, end, code)."""
    match = find_dateline(text)
    if not match:
        return spans, None
    start = match.start("place")
    end = match.end("region") if match.group("region") else match.end("place")
    kept = [span for span in spans if span.end_char <= start or span.start_char >= end]
    code = dateline_country(match.group("place"), match.group("region") or "")
    return kept, (text[start:end], start, end, code) if code else None


def _place(span):
    """The Place a span names, if its label allows that reading."""
    place = lookup(span.text)
    if not place or place.tier > WEAKEST_TIER.get(span.label_, -1):
        return None
    return place if place.tier < CITY or place.population >= BIG_CITY_POPULATION else None


def _resolve(places):
    """Pick each ambiguous name's reading by the countries the article names plainly.

    "Georgia" stays the country unless the article otherwise shows the US and
    not Georgia; unambiguous mentions are the evidence.
    """
    evidence = Counter(place.code for place in places if not place.alternates)
    codes = []
    for place in places:
        code = place.code
        if place.alternates and not evidence[code]:
            best = max(place.alternates, key=lambda alt: evidence[alt])
            if evidence[best]:
                code = best
        codes.append(code)
    return codes


def find_countries(spans, dateline=None):
    """{code: [(surface, start, end), ...]} from the article's entity spans.

    dateline: the (surface, start, end, code) of split_dateline, if any; it is
    also evidence for reading the ambiguous names.
    """
    found = [((span.text, span.start_char, span.end_char), place)
             for span in spans if (place := _place(span))]
    if dateline:
        *mention, code = dateline
        found.insert(0, (tuple(mention), plain_place(code)))
    mentions = {}
    for (mention, _), code in zip(found, _resolve([place for _, place in found])):
        mentions.setdefault(code, []).append(mention)
    return mentions
