"""Which capitalised words are ordinary English words, from spaCy's own word statistics.

spaCy's `Lexeme.prob` comes from the `lexeme_prob` table of the
spacy-lookups-data package (the small model ships without it): smoothed log
probabilities of about a million case-sensitive word forms. A word whose
lower-case form is clearly more frequent than its capitalised form ("revs",
"avg", "partners", "heifers") is a common word that a line start, a table row
or a company name capitalised; a surname keeps most of its uses capitalised
("Baker", "Reagan", "Smith"). The table is read once per process, at the
first question, and only the derived word set is kept.
"""
import gzip
import json
import logging
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

# How much more frequent (natural log) the lower-case form must be than the
# capitalised one: 0.7 is about twice as frequent. "brown" (1.4 times "Brown")
# and "tower" stay possible surnames; "glass", "rice", "partners" do not.
COMMON_WORD_MARGIN = 0.7


def _probabilities():
    """{word: log probability} from spacy-lookups-data, or {} without it."""
    try:
        import spacy_lookups_data
    except ImportError:
        logger.warning("spacy-lookups-data is not installed: no common-word rule for names")
        return {}
    path = Path(str(spacy_lookups_data.en["lexeme_prob"]))
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    with gzip.open(path.with_name(path.name + ".gz"), "rt", encoding="utf-8") as table:
        return json.load(table)  # the package ships the table compressed


@cache
def common_words():
    """Lower-case words seldom written with a capital."""
    probabilities = _probabilities()
    floor = min(probabilities.values(), default=0.0)
    return frozenset(
        word for word, probability in probabilities.items()
        if word.isalpha() and word.islower()
        and probability - probabilities.get(word.capitalize(), floor) > COMMON_WORD_MARGIN
    )


def is_common_word(word):
    """Whether a word ("Revs", "PARTNERS") is mostly written in lower case."""
    return word.lower() in common_words()


@cache
def _name_like_words():
    """Lower-case forms of words written capitalised more often than not."""
    probabilities = _probabilities()
    return frozenset(
        word.lower() for word, probability in probabilities.items()
        if word.isalpha() and word.istitle() and probability > probabilities.get(word.lower(), float("-inf"))
    )


def is_name_like(word):
    """Whether a word ("Hardwick", "Satoshi") is mostly written capitalised: a name's word,
    however rare."""
    return word.lower() in _name_like_words()

