"""Countries an article mentions: names, demonyms, capitals, cities and datelines."""
import re
from collections import Counter
from itertools import islice

from spacy.tokens import Span

from articles.entities.gazetteer import (
    BIG_CITY_POPULATION,
    CITY,
    COUNTRY,
    CURRENCY_WORDS,
    INSTITUTION,
    dateline_place,
    lookup,
)
from articles.entities.history import predecessors, successors
from articles.entities.normalise import doc_text

# The strongest tier each entity label may be read through: any place for GPE;
# country names and demonyms only for NORP and LOC ("Western", "Gulf" are
# regions somewhere); institutions such as "Kremlin" for ORG and FAC.
WEAKEST_TIER = {"GPE": CITY, "NORP": COUNTRY, "LOC": COUNTRY, "ORG": INSTITUTION, "FAC": INSTITUTION}

# Any case: wires type "FEb 26" and "MArch 2" too.
_MONTH = r"(?i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-zA-Z]*\.?"
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
# The lead, where a news story names what it is about: the title and the
# first sentence of the body.
LEAD_SENTENCES = 1
TITLE_BREAK = "\n\n"  # between title and body in the text analysed (see article_text)
# A country named this often is a subject of the story whatever the words.
SALIENT_MENTIONS = 3
# Entity labels whose country reading is a full name the writer chose; NORP
# (demonyms, "a Japanese bank") and PERSON/LOC readings are weak mentions.
STRONG_LABELS = frozenset({"GPE", "ORG", "FAC"})
# A name in a list of this many places ("in Australia, Canada, Brazil and
# Japan") is one of an enumeration, a weak mention.
ENUMERATION = 3
_LIST_SEPARATORS = frozenset({",", "and", "or", "&"})
# "listed in Luxembourg", "traded in London": a market, not the story's subject.
MARKET_VERBS = frozenset({"listed", "listing", "traded", "trading", "quoted"})


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
    """The entity spans outside the dateline, and its (surface, start, end, Place).

    The dateline runs to its dash: its date, even misspelt ("Marc 3", tagged
    PERSON), is no entity either.
    """
    match = find_dateline(text)
    if not match:
        return spans, None
    start = match.start("place")
    end = match.end("region") if match.group("region") else match.end("place")
    kept = [span for span in spans if span.end_char <= start or span.start_char >= match.end()]
    place = dateline_place(match.group("place"), match.group("region") or "")
    return kept, (text[start:end], start, end, place) if place else None


def _names_currency(span):
    """"Canadian" in "Canadian dlrs", "Swiss" in "50 mln Swiss francs"."""
    doc = span.doc
    after = next((token for token in doc[span.end:span.end + 2] if not token.is_space), None)
    return after is not None and after.lower_ in CURRENCY_WORDS


def _place(span):
    """The Place a span names, if its label allows that reading."""
    if _names_currency(span):
        return None
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


def lead_end(doc):
    """Where the lead ends: the title and the first sentences of the body.

    The title is the text before the first blank line ("title\\n\\nbody");
    without sentence boundaries the whole text is the lead.
    """
    text = doc_text(doc)
    if not doc.has_annotation("SENT_START"):
        return len(text)
    body = text.find(TITLE_BREAK)
    body = body + len(TITLE_BREAK) if body >= 0 else 0
    ends = list(islice((sent.end_char for sent in doc.sents if sent.end_char > body and sent.text.strip()),
                       LEAD_SENTENCES))
    return ends[-1] if len(ends) == LEAD_SENTENCES else len(text)


def _is_market(span):
    """Where securities are listed or traded: "will be listed in Luxembourg"."""
    root = span.root
    preposition = root.head if root.dep_ == "pobj" else None
    return preposition is not None and preposition.head.lower_ in MARKET_VERBS


def _is_strong(span, place):
    """A country's own name ("Saudi Arabia") or institution ("Kremlin"): not a
    demonym, a city or region, an abbreviation used as a modifier ("U.S.") or
    the market where a security is listed."""
    letters = sum(ch.isalpha() for ch in span.text)
    return (
        span.label_ in STRONG_LABELS
        and place.tier <= INSTITUTION
        and not (letters <= 3 and span.text.isupper())
        and not _is_market(span)
    )


def _enumerated(spans):
    """The place spans that stand in a list of ENUMERATION or more places,
    separated by commas, "and" or "or" only."""
    enumerated: set[Span] = set()
    chain: list[Span] = []
    for span in sorted(spans, key=lambda span: span.start):
        between = span.doc[chain[-1].end:span.start] if chain else ()
        if chain and (span.start < chain[-1].end or not all(
                token.is_space or token.lower_ in _LIST_SEPARATORS for token in between)):
            if len(chain) >= ENUMERATION:
                enumerated.update(chain)
            chain = []
        chain.append(span)
    if len(chain) >= ENUMERATION:
        enumerated.update(chain)
    return enumerated


def _in_passing(mentions, lead):
    """Named once or twice, after the lead, and only in weak forms ("a London
    unit", "Japanese banks", "sales in the U.S.")."""
    return len(mentions) < SALIENT_MENTIONS and all(
        start >= lead and not strong for (_, start, _), strong in mentions
    )


def find_countries(spans, dateline=None, lead=None):
    """{code: [(surface, start, end), ...]} from the article's entity spans.

    dateline: the (surface, start, end, Place) of split_dateline, if any; it is
    also evidence for reading the ambiguous names. lead: the character offset
    where the lead ends (`lead_end`); a country named only in passing
    (`_in_passing`) is left out unless it is the only one.
    """
    places = [(span, place) for span in spans if (place := _place(span))]
    listed = _enumerated([span for span, _ in places])
    found = [((span.text, span.start_char, span.end_char), place,
              _is_strong(span, place) and span not in listed) for span, place in places]
    if dateline:
        *mention, place = dateline
        found.insert(0, (tuple(mention), place, True))
    tiers = [CITY if dateline and number == 0 else place.tier for number, (_, place, _) in enumerate(found)]
    codes = _in_named_states(tiers, _resolve([place for _, place, _ in found]))
    mentions: dict[str, list[tuple[tuple[str, int, int], bool]]] = {}
    for (mention, _, strong), code in zip(found, codes):
        mentions.setdefault(code, []).append((mention, strong))
    if lead is not None:
        salient = {code: found for code, found in mentions.items() if not _in_passing(found, lead)}
        mentions = salient or mentions
    return {code: [mention for mention, _ in found] for code, found in mentions.items()}


def _in_named_states(tiers, codes):
    """The codes, with the dateline, cities and institutions of an article that names a
    state which dissolved into several (the Soviet Union, Yugoslavia, Czechoslovakia) read
    as in that state when their country is one of its successors: the article was written
    in its time ("MOSCOW - ... the Soviet Union said", "the Kremlin"). The successors' own
    names ("Russia") keep their country."""
    states = {code for code in codes if len(successors(code)) > 1}
    if not states:
        return codes
    return [
        next((s for s in predecessors(code) if s in states), code) if tier != COUNTRY else code
        for tier, code in zip(tiers, codes)
    ]
