"""People an article mentions, partial names resolved to the full name used there."""
import calendar
from collections import Counter

from gender_guesser.detector import Detector
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span

from .gazetteer import COUNTRY_WORDS, PLACE_NAMES, REGION, REGION_ABBREVIATIONS, lookup
from .lexicon import is_common_word
from .normalise import LEGAL_SUFFIXES, TITLES, fold, is_wrap, trim_span

# Given names of many countries (gender-guesser's dictionary): a capitalised
# "Given Surname" pair is a person even where NER missed it.
GIVEN_NAMES = frozenset(fold(name) for name in Detector().names)
# Labels NER gives to people it mistakes for something else ("Ivan Lendl" ORG).
MISTAKABLE_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
# A city this large is a place before it is a surname when NER calls it a person.
MAJOR_CITY_POPULATION = 500_000
# Month names and abbreviations ("Mar 48.0" in a crop table, "May 2").
MONTHS = frozenset(
    fold(name) for name in calendar.month_name[1:] + calendar.month_abbr[1:]
) | {"sept"}
_VOWELS = frozenset("aeiouy")
# Generation suffixes after a surname ("T. Boone Pickens III", "Frank Bennack Jr").
GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


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
    """The longest written form, preferring one not in headline capitals, on one line."""
    best = max(spans, key=lambda span: (not span.text.isupper(), len(span.text)))
    text = " ".join(best.text.split())
    return text if not text.isupper() else text.title()


def is_abbreviation(word):
    """Three or more letters and no vowel: "Dlrs", "Mln", "Qtr", not a name."""
    letters = [ch for ch in fold(word) if ch.isalpha()]
    return len(letters) >= 3 and not _VOWELS.intersection(letters)


def _is_initial(word):
    """"H.", "H.K.", "J": initials stand beside a name, they are not one."""
    return sum(ch.isalpha() for ch in word) <= 2 and (len(word) == 1 or "." in word)


def _is_date(span):
    """A month name followed by a number: "Mar 48.0", "May 2"."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return len(span) == 1 and fold(span.text) in MONTHS and after is not None and after.like_num


def _is_abbreviated_region(span):
    """One word abbreviating a region, with its period or after a town and a
    comma: "Okla.", "Madill, Okla," (not "Mary." or "..., Ryan said")."""
    doc, word = span.doc, fold(span.text)
    if len(span) != 1 or word not in REGION_ABBREVIATIONS or word in GIVEN_NAMES:
        return False
    after = doc[span.end] if span.end < len(doc) else None
    before = doc[span.start - 1] if span.start > 0 else None
    return (after is not None and after.text == "." and not span[0].whitespace_) or (
        before is not None and before.text == ","
    )


def _is_plausible_name(span):
    """Not only titles ("Vice President"), abbreviations and initials ("H.K. Dlrs",
    "Okla."), or a date."""
    words = span.text.split()
    return (
        not set(fold(span.text).split()) <= TITLES
        and not all(is_abbreviation(word) or _is_initial(word) for word in words)
        and not _is_date(span)
        and not _is_abbreviated_region(span)
    )


def _has_mixed_case_word(span):
    """Some word of two or more letters not in capitals: "Xi", not "CHL" or "GEN DYNAMICS"."""
    return any(
        token.is_alpha and len(token.text) >= 2 and not token.is_upper for token in span
    )


def _before_legal_form(span):
    """Followed by a company form: "Samuel Montagu and Co Ltd", "Dean Witter Reynolds Inc"."""
    doc = span.doc
    following = [token for token in doc[span.end:span.end + 4] if not token.is_space]
    while following and fold(following[0].text) in {"", "and", "&"}:
        following = following[1:]
    if not following or fold(following[0].text) not in LEGAL_SUFFIXES:
        return False
    after = following[0].i + 1
    return after == len(doc) or doc[after].text != "-"  # "Co-chairman"


def company_prefixes(spans):
    """Word tuples that begin a company name in the article ("fairchild" of
    "Fairchild Semiconductor Corp"): ORG spans ending in a legal form."""
    prefixes = set()
    for span in spans:
        if span.label_ != "ORG":
            continue
        words = fold(span.text).split()
        after = span.doc[span.end] if span.end < len(span.doc) else None
        if not (words and words[-1] in LEGAL_SUFFIXES
                or after is not None and fold(after.text) in LEGAL_SUFFIXES):
            continue
        while words and words[-1] in LEGAL_SUFFIXES | {"and", "&"}:
            words.pop()
        prefixes.update(tuple(words[:size]) for size in range(1, len(words) + 1))
    return prefixes


def _is_common_word_group(word):
    """A word, or each part of a hyphenated one ("Pre-Paid"), is a common word."""
    parts = fold(word).split()
    return bool(parts) and all(map(is_common_word, parts))


def _is_common_name(name):
    """Common lower-case words ("Revs", "Heifers", "Lawn Boy"), or one last
    after a word that is no given name ("Hilton Hotels", "Daewoo Shipbuilding").

    Initials and generation suffixes ("III", "Jr") aside; a hyphenated or
    short last word ("Sung-sang", "Wee") is a surname there. "Mark Butcher"
    and "John Major" keep their given name first.
    """
    words = [word for word in name.split() if sum(ch.isalpha() for ch in word) > 1]
    while len(words) > 1 and fold(words[-1]) in GENERATIONS:
        words.pop()
    if not words or (len(words) > 1 and fold(words[0]) in GIVEN_NAMES):
        return False
    if all(map(_is_common_word_group, words)):
        return True
    last = words[-1].rstrip(".,'\u2019")
    return len(words) > 1 and len(last) > 3 and last.isalpha() and is_common_word(last)


def _is_person(words, name, members, companies, shouting):
    """Whole-name checks on a person's mentions.

    A name of common lower-case words ("Revs", "Partners") is a table label or
    part of a firm's name; a person needs a mention with a word not in
    capitals unless the whole text is in capitals (`shouting`); a name
    followed by a company form, or that begins a company's name in the
    article, is the company.
    """
    return (
        not _is_common_name(name)
        and (shouting or any(_has_mixed_case_word(span) for span in members))
        and not any(_before_legal_form(span) for span in members)
        and words not in companies
    )


def _other_labels(spans):
    """How often each folded text is tagged as something other than a person."""
    return Counter(fold(span.text) for span in spans if span.label_ != "PERSON")


def _is_name_shaped(tokens):
    """Two or three capitalised words: a given name first, a surname last.

    Not a title first ("General Motors"), nor a common word last when another
    word is common too ("Loan Association", "Major Market Index").
    """
    tokens = [token for token in tokens if not token.is_space]
    words = [fold(token.text) for token in tokens]
    return (
        2 <= len(words) <= 3
        and all(token.is_title and token.is_alpha for token in tokens)
        and words[0] in GIVEN_NAMES
        and words[-1] not in GIVEN_NAMES
        and words[0] not in TITLES
        and not (is_common_word(words[-1]) and any(map(is_common_word, words[:-1])))
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


def _completed(span, covered):
    """A one-word PERSON and the untagged capitalised word after it, perhaps on
    the next line, when the two are name-shaped ("Jaime" + "Ongpin")."""
    doc, end = span.doc, span.end
    if len(span) != 1 or span.label_ != "PERSON":
        return span
    if end < len(doc) and is_wrap(doc[end]):
        end += 1
    if end < len(doc) and end not in covered and doc[end].pos_ == "PROPN" and doc[end].is_title:
        if _is_name_shaped([span[0], doc[end]]):
            return Span(doc, span.start, end + 1, label="PERSON")
    return span


def with_missed_people(spans, doc):
    """The spans with name-shaped ones relabelled PERSON, one-word names
    completed and untagged names added."""
    covered = {i for span in spans for i in range(span.start, span.end)}
    result = [
        Span(doc, span.start, span.end, label="PERSON")
        if span.label_ in MISTAKABLE_LABELS and _is_name_shaped(span) else _completed(span, covered)
        for span in spans
    ]
    covered = {i for span in result for i in range(span.start, span.end)}
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
            if _looks_like_person(name) and _is_plausible_name(name):
                names.append((tuple(fold(name.text).split()), name))
    first_seen = {}
    for words, name in names:
        first_seen.setdefault(words, name.start_char)
    groups = {}
    for words, name in names:
        groups.setdefault(_full_name(words, name.start_char, first_seen), []).append(name)
    other_labels = _other_labels(spans)
    companies = company_prefixes(spans)
    shouting = bool(spans) and not any(ch.islower() for ch in spans[0].doc.text)
    people, places = [], []
    for words, members in groups.items():
        full = [span for span in members if tuple(fold(span.text).split()) == words]
        key = " ".join(words)
        if is_major_place(full[0]):
            places += [Span(span.doc, span.start, span.end, label="GPE") for span in members]
        elif (key not in PLACE_NAMES and other_labels[key] <= len(members)
              and _is_person(words, (display := _display_name(full)), members, companies,
                             shouting)):
            people.append((words, display, members))
    return people, places
