"""Entity extraction: people, countries and organizations from article text.

The one entry point used by the enrichment task, `manage.py extract_entities`
and the quality script, so all three measure and run the same code.
"""
from dataclasses import dataclass, field
from itertools import groupby

from articles.entities.countries import TITLE_BREAK, find_countries, lead_end, split_dateline
from articles.entities.gazetteer import country_name, lookup
from articles.entities.normalise import doc_text, normalise_key
from articles.entities.organizations import find_organizations, repair_splits, without_signoff
from articles.entities.persons import find_persons, with_missed_people
from articles.entities.results import find_teams, listed_people, with_teams

__all__ = [
    "BATCH_SIZE", "FoundEntity", "article_text", "country_code", "extract_entities", "normalise_key", "warm_up",
]

BATCH_SIZE = 64  # texts per nlp.pipe batch; the enrichment task takes one batch per message

# Longer texts are analysed in pieces: spaCy refuses texts over nlp.max_length
# (1,000,000 characters), and the parser's and NER's temporary memory grows with
# the characters in a batch (about 3 GB per million with en_core_web_sm), so a
# batch of pieces stays within batch_size * MAX_PIECE_CHARS characters.
MAX_PIECE_CHARS = 20_000
# Where to cut a long text, best first: paragraph, line, sentence, word.
_BREAKS = ("\n\n", "\n", ". ", " ")


@dataclass
class FoundEntity:
    kind: str  # "person", "country" or "organization"
    key: str  # normalised key; for countries the ISO 3166-1 alpha-2 code, or a historical state's (SUHH)
    name: str  # canonical display name
    # (surface text, start, end) character offsets into the text that was analysed.
    mentions: list = field(default_factory=list)


def article_text(title, body):
    """The one text form entities are extracted from: title, a blank line, the body.

    The blank line is how the rules tell the title from the body (see countries.lead_end);
    mention offsets past the title fall in the body.
    """
    return f"{title or ''}{TITLE_BREAK}{body or ''}"


def country_code(name):
    """The code of the country a name, demonym or capital stands for: ISO 3166-1 alpha-2, or a
    historical state's ("Soviet Union" -> "SUHH", gazetteer.HISTORICAL_STATES)."""
    place = lookup(name)
    return place.code if place else None


def _mentions(spans):
    return [(span.text, span.start_char, span.end_char) for span in spans]


def entities_of(doc):
    """The entities of one analysed text."""
    spans, dateline = split_dateline(repair_splits(list(doc.ents)), doc_text(doc))
    teams = find_teams(doc)
    spans = with_missed_people(without_signoff(spans, doc_text(doc)), doc, listed_people(doc))
    spans = with_teams(spans, teams)
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
        for key, name, members in find_organizations(
            spans, [words for words, _, _ in people], teams)
    ]
    return found


def split_text(text, limit):
    """(start, piece) pairs that cover text in order, each at most limit characters.

    Each cut is at the last paragraph break in the second half of the window, else
    line break, sentence end or space, so no name is cut in two; a hard cut only
    when there is none. A text within the limit is one piece, analysed as before.
    """
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        for mark in _BREAKS:
            cut = window.rfind(mark, limit // 2)
            if cut != -1:
                cut += len(mark)
                break
        else:
            cut = limit
        yield start, window[:cut]
        start += cut
    yield start, text[start:]


def _merge(pieces):
    """One list for a whole text from its (start, entities) pieces.

    The same (kind, key) in several pieces is one entity, named as in its first
    piece, with mentions shifted to offsets into the whole text.
    """
    if len(pieces) == 1:
        return pieces[0][1]  # a text in one piece: entities_of's result unchanged
    merged: dict[tuple[str, str], FoundEntity] = {}
    for start, found in pieces:
        for entity in found:
            kept = merged.setdefault(
                (entity.kind, entity.key), FoundEntity(entity.kind, entity.key, entity.name)
            )
            kept.mentions += [(surface, start + s, start + e) for surface, s, e in entity.mentions]
    return list(merged.values())


def extract_entities(texts, nlp, batch_size=BATCH_SIZE, n_process=1):
    """Yield one list of FoundEntity per text, in order, lazily.

    texts: iterable of `article_text` strings; nlp: a loaded spaCy pipeline (the app's is
    articles.enrichment.nlp.get_nlp(), named by a setting: this package knows nothing of Django).
    Long texts go through the same nlp.pipe stream in pieces (see split_text).
    """
    pieces = (
        (piece, (number, start))
        for number, text in enumerate(texts)
        for start, piece in split_text(text, MAX_PIECE_CHARS)
    )
    docs = nlp.pipe(pieces, as_tuples=True, batch_size=batch_size, n_process=n_process)
    for _, text_docs in groupby(docs, key=lambda doc_context: doc_context[1][0]):
        yield _merge([(start, entities_of(doc)) for doc, (_, start) in text_docs])


def warm_up(nlp):
    """Load the model and every table the rules read at their first question (the
    common-word list takes a noticeable time to read; docs/performance.md, "Enrichment"),
    so that a worker's first article does not wait for them."""
    list(extract_entities([article_text("Warm-up", "John Smith of Acme Corp flew from Paris to Tokyo.")], nlp=nlp))
