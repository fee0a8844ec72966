"""The shape of a name, before any reading of its context: capitalised words, initials, given
names, dates and months, and the words as they were written. The person and result rules ask these."""
import calendar
import re

from gender_guesser.detector import Detector
from spacy.lang.en.stop_words import STOP_WORDS

from articles.entities.gazetteer import PLACE_NAMES
from articles.entities.lexicon import is_common_word
from articles.entities.normalise import (
    TITLES,
    fold,
)

# Given names of many countries (gender-guesser's dictionary): a capitalised
# "Given Surname" pair is a person even where NER missed it. Less English
# stop words, which the dictionary also lists ("The", "May").
GIVEN_NAMES = frozenset(fold(name) for name in Detector().names) - STOP_WORDS


# Month names and abbreviations ("Mar 48.0" in a crop table, "May 2").
MONTHS = frozenset(
    fold(name) for name in calendar.month_name[1:] + calendar.month_abbr[1:]
) | {"sept"}


_VOWELS = frozenset("aeiouy")


# An initial before a surname: "M. Lathwell" (two, as in "H.J. Heinz", more
# often begin a company's name).
INITIAL = re.compile(r"[A-Z]\.")


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


def is_name_word(word, inner):
    """Capitalised; inside the name also quotes or a particle ("de", "van", "al")."""
    if word[:1].isupper():
        return True
    particle = 2 <= len(word) <= 3 and word.isalpha() and word not in STOP_WORDS
    return inner and (particle or not any(ch.isalnum() for ch in word))


def display_name(spans):
    """The longest written form, preferring one not in headline capitals, on one line."""
    best = max(spans, key=lambda span: (not span.text.isupper(), len(span.text)))
    text = " ".join(best.text.split())
    return text if not text.isupper() else text.title()


def is_abbreviation(word):
    """Three or more letters and no vowel: "Dlrs", "Mln", "Qtr", not a name."""
    letters = [ch for ch in fold(word) if ch.isalpha()]
    return len(letters) >= 3 and not _VOWELS.intersection(letters)


def is_initial(word):
    """"H.", "H.K.", "J": initials stand beside a name, they are not one."""
    return sum(ch.isalpha() for ch in word) <= 2 and (len(word) == 1 or "." in word)


def is_date(span):
    """A month name followed by a number: "Mar 48.0", "May 2"."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return len(span) == 1 and fold(span.text) in MONTHS and after is not None and after.like_num


def has_mixed_case_word(span):
    """Some word of two or more letters not in capitals: "Xi", not "CHL" or "GEN DYNAMICS"."""
    return any(
        token.is_alpha and len(token.text) >= 2 and not token.is_upper for token in span
    )


def heading_words(text):
    """The words of another entity's name that could be a one-word name used
    there ("yukos" of "Yukos Oil", "baikal" of "Lake Baikal"): not a surname
    after a given name ("Mulder" of "Centre Japie Mulder")."""
    words = text.split()
    return {word for i, word in enumerate(words) if i == 0 or words[i - 1] not in GIVEN_NAMES}


def written_words(tokens):
    """The words as written: tokens that touch are one word ("Heinz-Harald"
    is three tokens)."""
    words: list[str] = []
    end = None
    for token in tokens:
        if token.is_space:
            continue
        if token.idx == end:
            words[-1] += token.text
        else:
            words.append(token.text)
        end = token.idx + len(token.text)
    return words


def is_capitalised_word(word):
    """"Ongpin", "Heinz-Harald", "O'Leary"; not "McLaren", "Jr.", "A1"."""
    return word.istitle() and all(ch.isalpha() or ch in "-'" for ch in word)


def is_given_name(word):
    """Each part a given name of gender-guesser's dictionary ("heinz harald")."""
    return all(part in GIVEN_NAMES for part in word.split())


def is_name_shaped(tokens):
    """Two or three capitalised words: a given name or an initial first, a
    surname last (which may be a given name too: "Adrian Warner").

    Not a title first ("General Motors"), nor a common word last when another
    word is common too ("Loan Association", "Major Market Index") or after an
    initial ("U.S. Steel"), nor a stop word or a place among the words.
    """
    written = written_words(tokens)
    if not 2 <= len(written) <= 3 or not all(map(is_capitalised_word, written[1:])):
        return False
    words = [fold(word) for word in written]
    if INITIAL.fullmatch(written[0]):
        words = words[1:]
        if is_common_word(words[-1]):
            return False
    elif not (is_capitalised_word(written[0]) and is_given_name(words[0])):
        return False
    return (
        words[0] not in TITLES
        and not (is_common_word(words[-1]) and any(map(is_common_word, words[:-1])))
        and not any(word in STOP_WORDS for word in words)
        and not any(" ".join(words[i:j]) in PLACE_NAMES
                    for i in range(len(words)) for j in range(i + 1, len(words) + 1))
    )
