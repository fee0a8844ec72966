"""Organizations an article mentions, under one canonical name each."""
from collections import Counter

from spacy.tokens import Span

from .gazetteer import INSTITUTION, lookup
from .normalise import LEGAL_SUFFIXES, TITLES, fold, is_wrap, normalise_key, trim_span
from .persons import looks_like_name

# An ORG that ends in one of these was cut short by NER ("Group of" + "20").
_OPEN_ENDINGS = frozenset({"of", "for", "on"})


def _is_break(token):
    """A line break (not a wrap), or a dash between spaces as in "Romania - Cosmin Contra"."""
    if token.is_space:
        return "\n" in token.text and not is_wrap(token)
    spaced = token.whitespace_ and token.i > 0 and token.doc[token.i - 1].whitespace_
    return bool(spaced) and token.text in {"-", "\u2013", "\u2014"}


def split_lines(ents):
    """Cut entities at line breaks and spaced dashes: a name never runs across them."""
    spans = []
    for ent in ents:
        start = ent.start
        for token in ent:
            if _is_break(token):
                if token.i > start:
                    spans.append(Span(ent.doc, start, token.i, label=ent.label))
                start = token.i + 1
        if ent.end > start:
            spans.append(Span(ent.doc, start, ent.end, label=ent.label))
    return spans


def repair_splits(ents):
    """The entity spans cut at breaks, and an ORG ending in "of"/"for"/"on"
    joined with the entity right after it ("Group of" + "20")."""
    spans = []
    for ent in split_lines(ents):
        previous = spans[-1] if spans else None
        if (
            previous is not None
            and previous.label_ == "ORG"
            and previous[-1].lower_ in _OPEN_ENDINGS
            and previous.end == ent.start
        ):
            spans[-1] = Span(ent.doc, previous.start, ent.end, label="ORG")
        else:
            spans.append(ent)
    return spans


def _is_organization_name(span):
    """Not a country name ("U.S." tagged ORG), nor a bare title ("State" of "State Councilor")."""
    place = lookup(span.text)
    return (
        looks_like_name(span)
        and not (place and place.tier < INSTITUTION)
        and not set(fold(span.text).split()) <= TITLES
    )


def find_organizations(spans):
    """Organizations as (key, display name, spans); country names are left to countries."""
    groups = {}
    for span in spans:
        if span.label_ != "ORG":
            continue
        name = trim_span(span, leading={"the"}, trailing=LEGAL_SUFFIXES)
        if _is_organization_name(name):
            groups.setdefault(normalise_key("organization", name.text), []).append(name)
    organizations = []
    for key, members in groups.items():
        if key:
            names = Counter(" ".join(span.text.split()) for span in members)
            display = max(names, key=lambda text: (names[text], len(text)))
            organizations.append((key, display, members))
    return organizations
