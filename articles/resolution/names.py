"""How two names of the archive can be one entity's: pure functions over names and counts,
no database, so each rule is tested on its own.

Names arrive as the entities' keys (folded words: lower case, no accents, titles or legal
forms; see articles.entities.normalise) and display names (for the letters of acronyms).
"""
import re

from articles.entities.gazetteer import lookup
from articles.entities.lexicon import is_common_word
from articles.entities.organizations import MINOR_WORDS

# A name joins another only when that one has at least this many articles, and at least
# DOMINANCE times as many as any other name it could join: a surname or a short form that
# several entities share ("Baker" of James and Howard, "General" of General Motors and
# General Electric) stays apart unless the archive all but always means one of them.
MIN_ARTICLES = 2
DOMINANCE = 3.0
# Acronyms are two to six capitals ("EC", "USDA", "NYSE"), dots allowed ("U.S.D.A.").
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$")


def dominant(articles_by_candidate):
    """The candidate the evidence points to: the one with the most articles, if it has
    MIN_ARTICLES and DOMINANCE times the runner-up's; else None."""
    ranked = sorted(articles_by_candidate.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < MIN_ARTICLES:
        return None
    if len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]:
        return None
    return ranked[0][0]


def is_acronym(name):
    return bool(_ACRONYM.match(name.strip()))


def acronym_letters(name):
    """The letters an acronym of `name` would have: each word's initial, all the letters
    of a word in capitals ("US", "U.S."), minor words ("of", "and") left out:
    "U.S. Department of Agriculture" -> "USDA"."""
    letters = []
    for word in re.findall(r"[\w.&']+", name):
        bare = word.replace(".", "")
        if not bare or bare.lower() in MINOR_WORDS or bare == "&":
            continue
        letters.append(bare.upper() if bare.isupper() and len(bare) <= 3 else bare[0].upper())
    return "".join(letters)


def significant_words(key):
    """The words of a key that carry meaning, in order: "department of agriculture" ->
    ("department", "agriculture")."""
    return tuple(word for word in key.split() if word not in MINOR_WORDS)


def same_words_reordered(key, other):
    """"us agriculture department" and "us department of agriculture": the same words in
    another order, minor words aside."""
    mine, theirs = significant_words(key), significant_words(other)
    return key != other and len(mine) > 1 and sorted(mine) == sorted(theirs)


def is_short_form(short, long):
    """Whether the key `short` is a shortened form of the key `long`: its first words
    ("moody" of "moody s investors service", "federal reserve" of "federal reserve
    board") or a clipping of its first word ("fed" of "federal reserve")."""
    short_words, long_words = short.split(), long.split()
    if len(short_words) >= len(long_words):
        return False
    if long_words[:len(short_words)] == short_words:
        return True
    first = long_words[0]
    return len(short_words) == 1 and len(short) >= 3 and first.startswith(short) and first != short


def can_stand_for_another(key, name):
    """Whether a one-word name may be a short form of a longer name at all: not an
    ordinary word ("bank", "national") and not a place ("Texas", "European")."""
    return " " in key or not (is_common_word(key) or lookup(name))


def qualified_by_place(key, name):
    """The rest of an organization name that starts with a place or demonym
    ("Guatemalan ICO" -> "ico"), else None."""
    words = key.split()
    if len(words) < 2:
        return None
    first = name.split()[0] if name.split() else ""
    return " ".join(words[1:]) if lookup(first) else None


def surname(key):
    """The last word of a person's key: the surname a full name is known by."""
    return key.rsplit(" ", 1)[-1]


def headline_fragment_rest(key):
    """A person's key whose first word is an ordinary word run into the name from a
    headline ("energy subroto" -> "subroto"), else None."""
    first, _, rest = key.partition(" ")
    return rest if rest and is_common_word(first) else None


def cosine(first, second):
    """Cosine similarity of two {item: weight} counts (0 when either is empty)."""
    dot = sum(weight * second.get(item, 0) for item, weight in first.items())
    norm = (sum(w * w for w in first.values()) * sum(w * w for w in second.values())) ** 0.5
    return dot / norm if norm else 0.0
