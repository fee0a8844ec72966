"""The word-level difference between two versions of a story, in plain functions (no Django).

Texts are compared as sequences of words (difflib's SequenceMatcher, without its "junk"
heuristic, which would stop common words such as "the" from anchoring a match); each word keeps
the spaces and line breaks that follow it, so the difference reads as the text does. Comparing
costs time that grows faster than the length: past MAX_WORDS words in either text the two are
not compared, and the difference says so (`Difference.compared`).
"""
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

MAX_WORDS = 5_000  # a news article rarely has 2,000; what comparing costs: docs/performance.md, "Stories"
MIN_SAME = 3  # words alike that stay apart from the changes around them
EQUAL, INSERTED, DELETED = "equal", "inserted", "deleted"
_WORD = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class Difference:
    """How `new` differs from `old`: (kind, text) segments in reading order, EQUAL and INSERTED
    text from `new`, DELETED text from `old`; none when the texts were too long to compare."""

    segments: tuple[tuple[str, str], ...]
    compared: bool = True

    @property
    def inserted(self) -> int:
        return self._words(INSERTED)

    @property
    def deleted(self) -> int:
        return self._words(DELETED)

    @property
    def same(self) -> bool:
        return self.compared and self.inserted == self.deleted == 0

    def _words(self, kind: str) -> int:
        return sum(len(text.split()) for segment_kind, text in self.segments if segment_kind == kind)


def _words(text: str) -> list[str]:
    """The text's words, each with the whitespace after it (leading whitespace dropped)."""
    return _WORD.findall(text.lstrip())


def word_difference(old: str, new: str, max_words: int = MAX_WORDS) -> Difference:
    """The difference of `new` from `old`, word by word (what was added, what was dropped).

    Words are compared without the whitespace around them, so a line broken elsewhere is no
    change. Texts of more than `max_words` words are not compared (`compared` is False)."""
    old_words, new_words = _words(old), _words(new)
    if len(old_words) > max_words or len(new_words) > max_words:
        return Difference((), compared=False)
    matcher = SequenceMatcher(None, [w.rstrip() for w in old_words], [w.rstrip() for w in new_words], autojunk=False)
    segments: list[tuple[str, str]] = []
    for same, old_start, old_end, new_start, new_end in _regions(matcher.get_opcodes()):
        if same:
            segments.append((EQUAL, "".join(new_words[new_start:new_end])))
            continue
        if old_end > old_start:
            dropped = "".join(old_words[old_start:old_end])
            # A space before the words added, where the text dropped ended it (at the end of `old`).
            segments.append((DELETED, dropped if new_end == new_start or dropped[-1].isspace() else dropped + " "))
        if new_end > new_start:
            segments.append((INSERTED, "".join(new_words[new_start:new_end])))
    return Difference(tuple(segments))


def _regions(opcodes):
    """(same, old start, old end, new start, new end) of the texts' runs, alike or changed. A run
    of fewer than MIN_SAME words alike between two changes is part of one change: a lead
    rewritten around a shared "the" reads as one rewrite, not as words cut into pieces."""
    regions: list[list] = []
    for position, (tag, old_start, old_end, new_start, new_end) in enumerate(opcodes):
        inside = 0 < position < len(opcodes) - 1
        same = tag == "equal" and not (inside and old_end - old_start < MIN_SAME)
        if regions and not same and not regions[-1][0]:
            regions[-1][2], regions[-1][4] = old_end, new_end
        else:
            regions.append([same, old_start, old_end, new_start, new_end])
    return regions
