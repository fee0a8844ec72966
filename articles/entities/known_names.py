"""Names the archive already knows, found where the model missed them.

The statistical model misses organizations it reads well elsewhere: "The World Bank is
launching..." right after a dateline, "International Cocoa Organization, ICCO, council..."
at the start of a story. Once the archive has read a name as one organization in many
articles, the name written the same way in another article is that organization too (one
sense per name, as in corpus-level label consistency).

Only names whose shape carries that confidence are looked for: several capitalised words
("World Bank", "General Agreement on Tariffs and Trade") or an acronym in capitals
("GATT"), matched case for case and word for word, never inside a longer capitalised
name, and a name in capitals never in a line written all in capitals (a headline or a
table row, where every word looks like one).
"""
import re

from spacy.lang.en.stop_words import STOP_WORDS

from articles.entities.gazetteer import CURRENCY_WORDS
from articles.entities.lexicon import is_common_word
from articles.entities.name_shapes import MONTHS
from articles.entities.normalise import TITLES, fold

# A word as names are written: letters and digits, joined by . & ' - ("U.S.", "AT&T", "Moody's").
_WORD = re.compile(r"[^\W_]+(?:[.&'\u2019-][^\W_]+)*\.?")
_ACRONYM = re.compile(r"[A-Z]{2,6}")
# Lower-case words a name may hold between its capitalised ones ("Bank for International Settlements").
CONNECTING_WORDS = frozenset("of and for on the de du des la le del der van von".split())


def is_recallable(name):
    """Whether a name's shape makes it safe to look for as written: two or more words, the
    first and last capitalised and any other capitalised or a connecting word; or one
    acronym of 2 to 6 capitals that is not an ordinary English word; no word a month
    ("APRIL" and "DEC" head the rows of commodity tables), and no currency's name last."""
    words = name.split()
    if any(fold(word) in MONTHS for word in words) or fold(words[-1]) in CURRENCY_WORDS:
        return False  # "U.S. Dollar", which the model reads as an organization, is a currency
    if len(words) == 1:
        return bool(_ACRONYM.fullmatch(name)) and not is_common_word(name.lower())
    if not all(_WORD.fullmatch(word) for word in words):
        return False
    inner_ok = all(word[0].isupper() or word in CONNECTING_WORDS for word in words[1:-1])
    return words[0][0].isupper() and words[-1][0].isupper() and inner_ok


class KnownNames:
    """Finds the known names (`{name as written: value}`, each `is_recallable`) in a text."""

    def __init__(self, names):
        self._by_first: dict[str, list[tuple[tuple[str, ...], str, object]]] = {}
        for name, value in names.items():
            words = tuple(word.rstrip(".") for word in name.split())  # as `find` reads words: "U.S" of "U.S."
            self._by_first.setdefault(words[0], []).append((words, name, value))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda candidate: -len(candidate[0]))  # the longest name first

    def __bool__(self):
        return bool(self._by_first)

    def find(self, text):
        """(start, end, name, value) of each known name written in `text`, not overlapping,
        the longest at each place."""
        words = [(m.group().rstrip("."), m.start(), m.end()) for m in _WORD.finditer(text)]
        found, place = [], 0
        while place < len(words):
            match = self._match(text, words, place)
            if match:
                length, name, value = match
                start = words[place][1]
                found.append((start, start + len(name), name, value))
                place += length
            else:
                place += 1
        return found

    def _match(self, text, words, place):
        for names_words, name, value in self._by_first.get(words[place][0], ()):
            end = place + len(names_words)
            if end > len(words) or tuple(word[0] for word in words[place:end]) != names_words:
                continue
            start = words[place][1]
            if text[start:start + len(name)] != name:  # the words run on without the name's spaces
                continue
            if _extends(text, words, place, end) or (name.isupper() and _in_capitals_line(text, start)):
                continue
            return len(names_words), name, value
        return None


def _extends(text, words, place, end):
    """Whether the name runs on into a capitalised word beside it, with only spaces between,
    or through a connecting word: "World Bank Group" is not "World Bank", "Asian Development
    Bank" not "Development Bank", "Central Bank of Brazil" not "Central Bank", "Department of
    Trade and Industry" not "Trade and Industry". Words that start sentences or stand before
    names ("The", "In"; "President") do not extend."""
    def joined(first):  # words[first] runs on into words[first + 1]
        return 0 <= first and first + 1 < len(words) and _joined(text, words[first][2], words[first + 1][1])

    def capitalised(index, outside=frozenset()):
        word = words[index][0]
        return word[:1].isupper() and word.lower() not in outside

    def connecting(index):
        return words[index][0] in CONNECTING_WORDS

    before, after = place - 1, end
    return bool(
        (joined(before) and capitalised(before, STOP_WORDS))
        or (joined(before) and joined(before - 1) and connecting(before) and capitalised(before - 1))
        or (joined(end - 1) and capitalised(after, TITLES | STOP_WORDS))
        or (joined(end - 1) and joined(after) and connecting(after) and capitalised(after + 1))
    )


def _joined(text, end, start):
    """Whether the word ending at `end` runs on into the one at `start`: spaces alone between,
    on one line, and no full stop closing the first ("U.S. Federal Reserve", "... GATT. Asian")."""
    gap = text[end:start]
    return gap.isspace() and "\n" not in gap and text[end - 1] != "."


def _in_capitals_line(text, position):
    """Whether the line holding `position` has no lower-case letter (a headline)."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start:end if end != -1 else len(text)]
    return not any(ch.islower() for ch in line)
