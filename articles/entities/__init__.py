"""Entity extraction: people, countries and organizations from article text.

The one entry point used by the enrichment task, `manage.py extract_entities`
and the quality script, so all three measure and run the same code.
"""
from dataclasses import dataclass, field

from .countries import find_countries, with_datelines
from .gazetteer import country_name, lookup
from .normalise import normalise_key
from .organizations import find_organizations, repair_splits
from .persons import find_persons

__all__ = ["FoundEntity", "country_code", "extract_entities", "normalise_key"]


@dataclass
class FoundEntity:
    kind: str  # "person", "country" or "organization"
    key: str  # normalised key; the ISO 3166-1 alpha-2 code for countries
    name: str  # canonical display name
    # (surface text, start, end) character offsets into the text that was analysed.
    mentions: list = field(default_factory=list)


def country_code(name):
    """The ISO 3166-1 alpha-2 code a country name, demonym or capital stands for."""
    place = lookup(name)
    return place.code if place else None


def recase_headlines(text):
    """Lower-case ALL-CAPS lines (headlines) word by word, keeping every offset.

    The small model reads capitals as names; "Title Case" keeps the entities
    recognisable. Only lines whose recased form has the same length are touched.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.isupper() and sum(ch.isalpha() for ch in line) > 3:
            recased = line.title()
            if len(recased) == len(line):
                lines[index] = recased
    return "\n".join(lines)


def _mentions(text, spans):
    return [(text[span.start_char:span.end_char], span.start_char, span.end_char) for span in spans]


def entities_of(doc, text):
    """The entities of one analysed text; `doc` may be a recased copy of `text`."""
    spans = with_datelines(repair_splits(list(doc.ents)), doc, text)
    people, misread_places = find_persons(spans)
    found = [
        FoundEntity("person", normalise_key("person", name), name, _mentions(text, members))
        for _, name, members in people
    ]
    countries = find_countries(spans + misread_places, text)
    found += [
        FoundEntity("country", code, country_name(code), mentions)
        for code, mentions in countries.items()
    ]
    found += [
        FoundEntity("organization", key, name, _mentions(text, members))
        for key, name, members in find_organizations(spans)
    ]
    return found


def extract_entities(texts, batch_size=64, n_process=1, nlp=None):
    """Yield one list of FoundEntity per text, in order.

    texts: iterable of "title\\n\\nbody" strings. nlp defaults to the pipeline
    named by settings.SPACY_MODEL; passing one keeps callers free of Django.
    """
    if nlp is None:
        from articles.nlp import get_nlp

        nlp = get_nlp()
    pairs = ((recase_headlines(text), text) for text in texts)
    for doc, text in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield entities_of(doc, text)
