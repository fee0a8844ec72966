"""Text keys: the same name written differently (case, accents, titles) gets one key."""
import re
import unicodedata
from functools import lru_cache

from cleanco import basename
from spacy.tokens import Span

# Words that come before a name without being part of it ("President Xi").
TITLES = frozenset(
    """
    president vice prime minister premier chancellor secretary state councilor
    foreign finance defence defense trade senator sen representative rep
    congressman congresswoman governor gov mayor king queen prince princess
    pope sheikh emir general gen colonel col lieutenant lt captain capt
    admiral adm sergeant sgt dr doctor mr mrs ms miss mister sir dame
    lord lady judge justice chairman chairwoman chief leader ambassador treasurer
    """.split()
)

# Legal-form words that mark a name in running text as a company's ("Samuel
# Montagu and Co Ltd"); keys drop every legal form cleanco knows (`organization_words`).
LEGAL_SUFFIXES = frozenset(
    "inc incorporated corp corporation co cos company ltd limited llc lp plc sa ag nv bv "
    "gmbh spa pty bros na ab asa oy oyj kk bhd berhad pte srl sarl cie".split()
)

NUMBER_WORDS = {
    word: str(number)
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_POSSESSIVE = re.compile(r"'s?$")
_NON_WORD = re.compile(r"[^\w' &]+")
# "Group of 20", "G-20", "G 20" and "G20" are one organization.
_GROUP_OF = re.compile(r"^group of (\w+)$")
_G_NUMBER = re.compile(r"^g (\d+)$")


@lru_cache(maxsize=100_000)  # the rules fold the same words many times per article
def fold(text):
    """Lower-case, accent-free, dot-free form of a name, words separated by one space."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace(".", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


def strip_possessive(words):
    """Drop a trailing "'s" or "'": "China's" and "China" are the same name."""
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    return [word for word in words if word and word != "'"]


def _strip_leading(words, droppable):
    while len(words) > 1 and words[0] in droppable:
        words = words[1:]
    return words


def person_words(name):
    """The words of a person's name without titles and possessive."""
    words = strip_possessive(fold(name).split())
    return _strip_leading(words, TITLES | {"the"})


def _without_legal_form(words):
    """Drop legal forms from the end, as often as cleanco finds one ("ABC Co Ltd"),
    keeping at least one word ("The Limited")."""
    while len(words) > 1:
        shorter = basename(" ".join(words)).split()
        if not shorter or shorter == words:
            return words
        words = shorter
    return words


@lru_cache(maxsize=100_000)
def organization_words(name):
    """The words of an organization name, as a tuple, without "the",
    possessive, legal form (cleanco's terms) or punctuation; "&" reads "and".
    Cached: an article names an organization many times."""
    words = [word.replace("&", "and") for word in fold(name).split()]
    words = _strip_leading(strip_possessive(words), {"the"})
    return tuple(_without_legal_form(words))


def _contains_words(longer, shorter):
    """Whether the word tuple `shorter` occurs contiguously in `longer`."""
    size = len(shorter)
    return any(longer[i:i + size] == shorter for i in range(len(longer) - size + 1))


def _full_name(words, position, first_seen, part_of):
    """The longest name these words are part of, the nearest one before `position`."""
    while True:
        longer = [key for key in first_seen if len(key) > len(words) and part_of(key, words)]
        if not longer:
            return words
        before = [key for key in longer if first_seen[key] <= position]
        words = max(before, key=first_seen.get) if before else min(longer, key=first_seen.get)


def group_names(names, part_of=_contains_words):
    """{full name: [spans]} from (word tuple, span) pairs in text order: a
    partial name ("Putin") joins the longest name it is part of (`part_of`),
    the nearest one written before it."""
    first_seen: dict[tuple[str, ...], int] = {}
    for words, span in names:
        first_seen.setdefault(words, span.start_char)
    groups: dict[tuple[str, ...], list[Span]] = {}
    for words, span in names:
        groups.setdefault(_full_name(words, span.start_char, first_seen, part_of), []).append(span)
    return groups


def _group_key(key):
    """"group of twenty" -> "g20", "g 20" -> "g20"."""
    key = re.sub(r"^g(\d+)$", r"g \1", key)
    match = _GROUP_OF.match(key) or _G_NUMBER.match(key)
    if not match:
        return key
    number = NUMBER_WORDS.get(match.group(1), match.group(1))
    return f"g{number}" if number.isdigit() else key


def trim_span(span, leading=frozenset(), trailing=frozenset(), numbers=False):
    """The part of a spaCy span between droppable leading and trailing words.

    Punctuation and a possessive "'s" always go, numbers when asked ("Colin
    Montgomerie 442,201" in a results table); words compare in folded form.
    """
    doc, start, end = span.doc, span.start, span.end
    trailing = trailing | {"'s", "'", ""}

    def droppable(token, words):
        return fold(token.text) in words or (numbers and any(ch.isdigit() for ch in token.text))

    while end - start > 1 and droppable(doc[end - 1], trailing):
        end -= 1
    while end - start > 1 and droppable(doc[start], leading | {""}):
        start += 1
    return doc[start:end]


# A line at least this long that stops mid-sentence was wrapped by the wire
# ("... board chairman John" / "Tower, a longtime ..."): a name runs on.
WRAPPED_LINE_LENGTH = 40
_SENTENCE_ENDS = tuple(".!?:;\"'")


def doc_text(doc):
    """The doc's text, made once per doc: spaCy's `Doc.text` joins every token at each call,
    and the rules ask for it per span."""
    text = doc.user_data.get("newsarchive.text")
    if text is None:
        text = doc.user_data["newsarchive.text"] = doc.text
    return text


def is_wrap(token):
    """A newline token that only wraps a line: a single newline with no indent
    after it, ending a long line that stops mid-sentence (not a headline)."""
    if token.text != "\n":
        return False
    text = doc_text(token.doc)
    line = text[text.rfind("\n", 0, token.idx) + 1:token.idx].strip()
    return (
        len(line) >= WRAPPED_LINE_LENGTH
        and not line.endswith(_SENTENCE_ENDS)
        and not line.isupper()
    )


def in_capitals_line(span):
    """Whether the span's line has no lower-case letter (a headline, a table
    heading), where NER reads words as names it would not in running text."""
    text = doc_text(span.doc)
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    return not any(map(str.islower, text[line_start:line_end if line_end >= 0 else len(text)]))


def normalise_key(kind, name):
    """The archive-wide key of a person or organization name.

    Countries are keyed by ISO code; see `articles.entities.country_code`.
    """
    if kind == "person":
        return " ".join(person_words(name))
    if kind == "organization":
        return _group_key(" ".join(organization_words(name)))
    raise ValueError(f"no name key for kind {kind!r}")
