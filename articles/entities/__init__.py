"""Entity extraction: people, countries and organizations from article text.

The one entry point used by the enrichment task, `manage.py extract_entities`
and the quality script, so all three measure and run the same code.
"""
from dataclasses import dataclass, field

from .countries import find_countries, lead_end, split_dateline
from .gazetteer import country_name, lookup
from .normalise import normalise_key
from .organizations import find_organizations, repair_splits
from .persons import find_persons, with_missed_people

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


def _mentions(spans):
    return [(span.text, span.start_char, span.end_char) for span in spans]


def entities_of(doc):
    """The entities of one analysed text."""
    spans, dateline = split_dateline(repair_splits(list(doc.ents)), doc.text)
    spans = with_missed_people(spans, doc)
    people, misread_places = find_persons(spans)
    found = [
        FoundEntity("person", normalise_key("person", name), name, _mentions(members))
        for _, name, members in people
    ]
    countries = find_countries(spans + misread_places, dateline, lead_end(doc))
    found += [
        FoundEntity("country", code, country_name(code), mentions)
        for code, mentions in countries.items()
    ]
    found += [
        FoundEntity("organization", key, name, _mentions(members))
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
    docs = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
    for doc in docs:
        yield entities_of(doc)
