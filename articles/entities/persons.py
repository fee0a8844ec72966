"""People an article mentions, partial names resolved to the full name used there."""
from collections import Counter

from gender_guesser.detector import Detector
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span

from .gazetteer import COUNTRY_WORDS, PLACE_NAMES, REGION, lookup
from .normalise import LEGAL_SUFFIXES, TITLES, fold, trim_span

# Given names of many countries (gender-guesser's dictionary): a capitalised
# "Given Surname" pair is a person even where NER missed it.
GIVEN_NAMES = frozenset(fold(name) for name in Detector().names)
# Labels NER gives to people it mistakes for something else ("Ivan Lendl" ORG).
MISTAKABLE_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
# A city this large is a place before it is a surname when NER calls it a person.
MAJOR_CITY_POPULATION = 500_000


def looks_like_name(span):
    """Drop pronouns, initials-only strings and lower-case text."""
    text = span.text
    return (
        any(ch.isupper() for ch in text)
        and any(sum(ch.isalpha() for ch in word) >= 2 for word in text.split())
        and not all(token.pos_ == "PRON" for token in span)
    )


def _is_name_word(word, inner):
    """Capitalised; inside the name also quotes or a particle ("de", "van", "al")."""
    if word[:1].isupper():
        return True
    particle = 2 <= len(word) <= 3 and word.isalpha() and word not in STOP_WORDS
    return inner and (particle or not any(ch.isalnum() for ch in word))


def _looks_like_person(span):
    """Capitalised words and particles only: no digits, "at", "v", pronoun or company form."""
    words = span.text.split()
    return (
        looks_like_name(span)
        and any(token.pos_ == "PROPN" for token in span)
        and not any(token.pos_ in {"PRON", "DET"} for token in span)
        and not any(ch.isdigit() for ch in span.text)
        and all(_is_name_word(word, 0 < i < len(words) - 1) for i, word in enumerate(words))
        and fold(span[-1].text) not in LEGAL_SUFFIXES
    )


def is_major_place(span):
    """Countries, demonyms, capitals, regions and big cities: never people."""
    place = lookup(span.text)
    return bool(place) and (place.tier <= REGION or place.population >= MAJOR_CITY_POPULATION)


def _contains(longer, shorter):
    """Whether the word tuple `shorter` occurs contiguously in `longer`."""
    size = len(shorter)
    return any(longer[i:i + size] == shorter for i in range(len(longer) - size + 1))


def _full_name(words, position, first_seen):
    """The longest name containing these words, the nearest one before `position`."""
    while True:
        longer = [key for key in first_seen if len(key) > len(words) and _contains(key, words)]
        if not longer:
            return words
        before = [key for key in longer if first_seen[key] <= position]
        words = max(before, key=first_seen.get) if before else min(longer, key=first_seen.get)


def _display_name(spans):
    """The longest written form, preferring one not in headline capitals."""
    best = max(spans, key=lambda span: (not span.text.isupper(), len(span.text)))
    return best.text if not best.text.isupper() else best.text.title()


def _other_labels(spans):
    """How often each folded text is tagged as something other than a person."""
    return Counter(fold(span.text) for span in spans if span.label_ != "PERSON")


def _is_name_shaped(tokens):
    """Two or three capitalised words: a given name first, a surname last."""
    words = [fold(token.text) for token in tokens]
    return (
        2 <= len(words) <= 3
        and all(token.is_title and token.is_alpha for token in tokens)
        and words[0] in GIVEN_NAMES
        and words[-1] not in GIVEN_NAMES
        and not any(word in STOP_WORDS for word in words)
        and not any(" ".join(words[i:j]) in PLACE_NAMES
                    for i in range(len(words)) for j in range(i + 1, len(words) + 1))
    )


def _untagged_runs(doc, covered):
    """Maximal runs of capitalised proper nouns outside every entity."""
    run = []
    for token in doc:
        if token.i not in covered and token.pos_ == "PROPN" and token.is_title:
            run.append(token)
            continue
        if run:
            yield doc[run[0].i:run[-1].i + 1]
        run = []
    if run:
        yield doc[run[0].i:run[-1].i + 1]


def with_missed_people(spans, doc):
    """The spans with name-shaped ones relabelled PERSON and untagged names added."""
    result = [
        Span(doc, span.start, span.end, label="PERSON")
        if span.label_ in MISTAKABLE_LABELS and _is_name_shaped(span) else span
        for span in spans
    ]
    covered = {i for span in spans for i in range(span.start, span.end)}
    result += [
        Span(doc, run.start, run.end, label="PERSON")
        for run in _untagged_runs(doc, covered) if _is_name_shaped(run)
    ]
    return sorted(result, key=lambda span: span.start)


def find_persons(spans):
    """People as (key words, display name, spans), and PERSON spans that are places.

    The places come back relabelled GPE so that the country pass counts them
    ("Kyiv" tagged PERSON by the small model).
    """
    names = []
    for span in spans:
        if span.label_ == "PERSON":
            name = trim_span(span, leading=TITLES | COUNTRY_WORDS, numbers=True)
            if _looks_like_person(name):
                names.append((tuple(fold(name.text).split()), name))
    first_seen = {}
    for words, name in names:
        first_seen.setdefault(words, name.start_char)
    groups = {}
    for words, name in names:
        groups.setdefault(_full_name(words, name.start_char, first_seen), []).append(name)
    other_labels = _other_labels(spans)
    people, places = [], []
    for words, members in groups.items():
        full = [span for span in members if tuple(fold(span.text).split()) == words]
        key = " ".join(words)
        if is_major_place(full[0]):
            places += [Span(span.doc, span.start, span.end, label="GPE") for span in members]
        elif key not in PLACE_NAMES and other_labels[key] <= len(members):
            people.append((words, _display_name(full), members))
    return people, places
