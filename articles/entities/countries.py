"""Countries an article mentions: names, demonyms, capitals, cities and datelines."""
import re
from collections import Counter

from .gazetteer import INSTITUTION, lookup

# Entity labels whose text may name a place; ORG and FAC only through the
# strongest readings (country names, institutions such as "Kremlin").
PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})
INSTITUTION_LABELS = frozenset({"ORG", "FAC"})

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


def dateline_spans(text):
    """(start, end) of the dateline's place and region, if a line near the top has one."""
    for line in re.finditer(r"[^\n]+", text):
        if line.start() > 0 and text.count("\n", 0, line.start()) >= DATELINE_LINES:
            break
        match = DATELINE.match(text, line.start() + len(line.group()) - len(line.group().lstrip()))
        if match:
            return [match.span(group) for group in ("place", "region") if match.group(group)]
    return []


def with_datelines(spans, doc, text):
    """The entity spans with the dateline places as GPE, replacing what NER made of them.

    The dateline is read from the original text: a recased doc hides its capitals.
    """
    places = [doc.char_span(start, end, label="GPE", alignment_mode="expand")
              for start, end in dateline_spans(text)]
    places = [place for place in places if place is not None]
    kept = [span for span in spans
            if not any(span.start < place.end and place.start < span.end for place in places)]
    return sorted(kept + places, key=lambda span: span.start)


def _place(span, text):
    """The Place a span names, if its label allows that reading."""
    place = lookup(text[span.start_char:span.end_char])
    if place is None:
        return None
    if span.label_ in PLACE_LABELS:
        return place
    if span.label_ in INSTITUTION_LABELS and place.tier <= INSTITUTION:
        return place
    return None


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


def find_countries(spans, text):
    """{code: [(surface, start, end), ...]} from the article's entity spans.

    spans: spaCy Spans over a doc of text (same offsets), datelines included.
    """
    found = [(span, place) for span in spans if (place := _place(span, text))]
    mentions = {}
    for (span, _), code in zip(found, _resolve([place for _, place in found])):
        start, end = span.start_char, span.end_char
        mentions.setdefault(code, []).append((text[start:end], start, end))
    return mentions
