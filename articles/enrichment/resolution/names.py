"""How two names of the archive can be one entity's: pure functions over names and counts,
no database, so each rule is tested on its own.

Names arrive as the entities' keys (folded words: lower case, no accents, titles or legal
forms; see articles.entities.normalise) and display names (for the letters of acronyms).
"""
import re
from collections import Counter

from spacy.lang.en.stop_words import STOP_WORDS

from articles.entities.gazetteer import COUNTRY, lookup
from articles.entities.lexicon import is_common_word
from articles.entities.name_shapes import GIVEN_NAMES
from articles.entities.normalise import fold, organization_words, strip_possessive
from articles.entities.organizations import MINOR_WORDS

# A name joins another only when that one has at least this many articles, and at least
# DOMINANCE times as many as any other name it could join: a surname or a short form that
# several entities share ("Baker" of James and Howard, "General" of General Motors and
# General Electric) stays apart unless the archive all but always means one of them.
MIN_ARTICLES = 2
DOMINANCE = 3.0
# A surname, acronym or short form joins a full name only when the two appear beside the
# same entities at least this much (cosine similarity of their neighbours' article counts).
CONTEXT_SIMILARITY = 0.2
# Nouns that head the name of a public body, which English puts either last ("Agriculture
# Department") or first with "of" ("Department of Agriculture").
HEAD_NOUNS = frozenset(
    "department ministry bureau office agency commission service board council committee "
    "authority administration institute".split()
)
# Particles that begin a surname in many languages ("De Clercq", "von Weizsaecker").
NAME_PARTICLES = frozenset("de da del della di du van von der den ter le la al el bin ben dos das".split())
# A clipped first word ("Fed" of "Federal") has at most this many letters, and the word it
# clips at least CLIPPED_LETTERS more ("Lowe" is not "Lower").
CLIPPING_LETTERS = 4
CLIPPED_LETTERS = 3
# Letters an acronym takes from one word of its long form at most ("CC" of "Cocoa" in "ICCO").
WORD_LETTERS = 2
# Acronyms are two to six capitals ("EC", "USDA", "NYSE"), dots allowed ("U.S.D.A.").
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$")


def dominant(articles_by_candidate, minimum=MIN_ARTICLES):
    """The candidate the evidence points to: the one with the most articles, if it has
    `minimum` and DOMINANCE times the runner-up's; else None."""
    ranked = sorted(articles_by_candidate.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < minimum:
        return None
    if len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]:
        return None
    return ranked[0][0]


def is_acronym(name):
    """Two to six capitals, dots allowed: "IMF", "U.S.D.A."."""
    return bool(_ACRONYM.match(name.strip()))


def acronym_of_word(key, name):
    """The letters of a one-word name that may be an acronym ("IMF", "U.S.D.A.", "Opec"),
    else None."""
    if is_acronym(name):
        return name.replace(".", "").upper()
    if " " not in key and " " not in name.strip() and 2 <= len(key) <= 6 and key.isalpha():
        return key.upper()
    return None


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


def acronym_key(key):
    """The letters of a one-word key the extraction may have given an acronym's entity
    ("ec", whatever its display name), else None."""
    return key.upper() if " " not in key and 2 <= len(key) <= 6 and key.isalpha() else None


def spells(acronym, name):
    """Whether an acronym can be read off a long name's words in order: each word that
    carries meaning gives its initial and perhaps one more of its letters ("ICCO" of
    "International Cocoa Organization", "USDA" of "US Department of Agriculture"), a minor
    word its initial or nothing ("BIS" of "Bank for International Settlements"). More
    letters of a word would read most short words into some name ("Sony" in "Scotland
    Yard")."""
    letters, words = acronym.replace(".", "").lower(), organization_words(name)
    if len(words) < 2 or letters in words:  # "World Bank and IMF" holds the acronym, not its letters
        return False

    def reads(at, word_index):
        if word_index == len(words):
            return at == len(letters)
        word = words[word_index]
        if word in MINOR_WORDS and reads(at, word_index + 1):
            return True
        if at == len(letters) or letters[at] != word[0]:
            return False
        end, rest = at + 1, iter(word[1:])
        while True:
            if reads(end, word_index + 1):
                return True
            if end - at == WORD_LETTERS or end == len(letters) or letters[end] not in rest:  # `in` walks on
                return False
            end += 1

    return reads(0, 0)


def initials_within(acronym):
    """The initials a long name read as `acronym` (`spells`) may have: the acronym's first
    letter and some of the others, in order ("ICCO" -> "ICO", "IC", ...)."""
    first, rest = acronym[0], acronym[1:]
    found = {""}
    for letter in rest:
        found |= {letters + letter for letters in found}
    return {first + letters for letters in found if letters}


def expansion(letters, surfaces):
    """The long form an acronym's own mentions are written as ("European Community" for
    "EC", whose articles wrote "European Community (EC)"), when one has DOMINANCE times the
    articles of any other; `surfaces` is {written form: articles}. Returns (the long form
    or None, whether any long form was written)."""
    forms, written = Counter(), {}
    for surface, articles in surfaces.items():
        if " " in surface.strip() and spells(letters, surface):
            form = same_name_form(surface)
            forms[form] += articles
            written.setdefault(form, Counter())[surface] += articles
    pick = dominant(forms, minimum=1)
    return (written[pick].most_common(1)[0][0] if pick else None), bool(forms)


def written_out_in(letters, mentions):
    """{long form (its `same_name_form`): {article ids}} of the articles that write an
    acronym out one way only, from its (article id, written form) mentions: "AFRICAN
    DEVELOPMENT BANK ... ADB" in one article, "Asian Development Bank (ADB)" in others.
    A long form some article writes beside another is left out: the two are related names
    ("European Community" and its "European Commission"), not two bodies sharing letters."""
    forms = {}
    for article, surface in mentions:
        if " " in surface.strip() and spells(letters, surface):
            forms.setdefault(article, set()).add(same_name_form(surface))
    beside = {form for written in forms.values() if len(written) > 1 for form in written}
    by_form = {}
    for article, written in forms.items():
        if len(written) == 1 and not written & beside:
            by_form.setdefault(written.pop(), set()).add(article)
    return by_form


def acronyms_of(name):
    """The acronyms a long name may go by: its letters, and for a body named "<field>
    <head>", after a country or not, those of "<head> of <field>" ("US Agriculture
    Department" is also "US Department of Agriculture", "USDA")."""
    letters = acronym_letters(name)
    words = name.split()
    field = words[1:-1] if len(words) == 3 and _is_country(words[0]) else words[:-1]
    if len(field) == 1 and words[-1].lower() in HEAD_NOUNS and len(letters) >= 2:  # not "ON BOARD"
        return {letters, letters[:-2] + letters[-1] + letters[-2]}
    return {letters}


def other_body_of_its_letters(name, other):
    """Two long names that one acronym stands for ("European Commission", "European
    Community": both "EC"): an article writing one as the acronym's mention says nothing
    of the other."""
    return (" " in name and " " in other and same_name_form(name) != same_name_form(other)
            and bool(acronyms_of(name) & acronyms_of(other)))


def _is_country(word):
    place = lookup(word)
    return place is not None and place.tier == COUNTRY


def is_ordinary_word(key):
    """A one-word name that is an ordinary English word ("labour", "premiership")."""
    return " " not in key and is_common_word(key)


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
    short_words = short.split()
    long_words = [bare for word in long.split() for bare in strip_possessive([word])]
    if len(short_words) >= len(long_words):
        return False
    if long_words[:len(short_words)] == short_words:
        return True
    first = long_words[0]
    return (len(short_words) == 1 and 3 <= len(short) <= CLIPPING_LETTERS
            and first.startswith(short) and len(first) >= len(short) + CLIPPED_LETTERS)


def shorter_keys(key):
    """The keys `is_short_form` may accept as short forms of `key`: its first words and
    the clippings of its first word."""
    words = key.split()
    if len(words) < 2:
        return set()
    first = words[0]
    return ({" ".join(words[:n]) for n in range(1, len(words))}
            | {first[:n] for n in range(3, min(CLIPPING_LETTERS, len(first) - CLIPPED_LETTERS) + 1)})


def can_stand_for_another(key, name):
    """Whether a one-word name may be a short form of a longer name at all: not an
    ordinary word ("bank", "national") and not a place ("Texas", "European")."""
    return " " in key or not (is_ordinary_word(key) or lookup(name))


def qualified_by_country(key, name):
    """The rest of an organization name that starts with a country's name or demonym, when
    that rest names one body wherever it is written: an acronym or a one-word name
    ("Guatemalan ICO" -> "ico", "German Bundesbank" -> "bundesbank"). Longer rests
    ("Foreign Ministry", "Central Bank") name a different body in each country."""
    words, written = key.split(), name.split()
    if len(words) != 2 or len(written) != 2 or is_common_word(words[1]):
        return None
    return words[1] if _is_country(written[0]) else None


_NEGATED = re.compile(r"^non[-\s]+(\S.*)$", re.IGNORECASE)
_JOINED = re.compile(r"\s*/\s*|\s+and\s+")


def fragment_parts(name):
    """The names an organization's name may be made of: names joined by "and" or "/"
    ("World Bank and IMF", "European Community/OAPEC"), or the one a "non-" form negates
    ("Non-OPEC"); [] for other names ("&" joins the names of one firm: "Pratt & Whitney").
    Whether each part is an organization of its own (and so the name a fragment) is for
    the archive to say."""
    negated = _NEGATED.match(name.strip())
    if negated:
        return [negated.group(1)]
    parts = _JOINED.split(name.strip())
    if len(parts) < 2 or not all(parts):
        return []
    for words in re.findall(r"(\S+)\s+and\s+(\S+)", name):
        # Ordinary words on both sides of "and" are joined inside one name: "Progressive
        # Savings and Loan Association", "Ministry of Trade and Industry".
        if not any(map(is_acronym, words)) and all(map(is_common_word, words)):
            return []
    return parts


def has_given_name_first(key):
    """A name shaped like a person's: two words or more, the first a given name."""
    first, _, rest = key.partition(" ")
    return bool(rest) and first in GIVEN_NAMES


def surname(key):
    """The last word of a person's key: the surname a full name is known by."""
    return key.rsplit(" ", 1)[-1]


def surnames(key):
    """The ends of a full name a person may be called by: the last word, and the last two
    when the first of them is a particle ("clercq", "de clercq" of "willy de clercq")."""
    words = key.split()
    ends = [words[-1]] if len(words) > 1 else []
    if len(words) > 2 and words[-2] in NAME_PARTICLES:
        ends.append(" ".join(words[-2:]))
    return ends


def is_surname_only(key):
    """A one-word name, or a particle and a word ("de clercq")."""
    words = key.split()
    return len(words) == 1 or (len(words) == 2 and words[0] in NAME_PARTICLES)


def _is_filler(word, is_stray):
    """A word a headline or a description runs into a name: an ordinary or function word,
    a country, or a word `is_stray` says is none of the archive's name words, but not a
    given name ("Reagan Signs Gnma", "Rapper Jay-Z", "... Japan", "Athough Reagan")."""
    if word in GIVEN_NAMES:
        return False
    return (word in STOP_WORDS or (len(word) > 2 and is_common_word(word)) or _is_country(word)
            or is_stray(word))


def is_name_shaped(key):
    """Two words or more, none of them filler: a full name, not a headline fragment."""
    words = key.split()
    return len(words) > 1 and not any(_is_filler(word, lambda _: False) for word in words)


def name_within(key, is_known, is_stray=lambda word: False):
    """The longest run of a person's key's words that `is_known` names, when every other
    word is filler ("reagan hopes to lift japan" -> "reagan"); None if there is none."""
    words = key.split()
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            rest = words[:start] + words[start + size:]
            inner = " ".join(words[start:start + size])
            if all(_is_filler(word, is_stray) for word in rest) and is_known(inner):
                return inner
    return None


def names_another_thing(key, inner):
    """A one-word name with one word after it ("ross stores", "harris bank", "greenspan
    put"): a firm or a thing named for it, not words a headline ran into it."""
    return " " not in inner and key.split() == [inner, key.split()[-1]]


def without_initials(key):
    """A person's key without middle initials ("ivan f boesky" -> "ivan boesky")."""
    words = key.split()
    return " ".join([words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]]) if len(words) > 2 else key


def same_name_form(name):
    """A name's spelling-insensitive form: case, accents, hyphens, spaces and British
    "-isation" set aside ("Association of South-East Asian Nations" and "...Southeast...")."""
    return re.sub(r"isation\b", "ization", fold(name)).replace(" ", "").replace("-", "")


def cosine(first, second):
    """Cosine similarity of two {item: weight} counts (0 when either is empty)."""
    dot = sum(weight * second.get(item, 0) for item, weight in first.items())
    norm = (sum(w * w for w in first.values()) * sum(w * w for w in second.values())) ** 0.5
    return dot / norm if norm else 0.0
