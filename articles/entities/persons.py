"""People an article mentions, partial names resolved to the full name used there."""
from collections import Counter, namedtuple

from spacy.attrs import IS_TITLE, LENGTH, POS
from spacy.symbols import PROPN
from spacy.tokens import Span

from articles.entities.gazetteer import COUNTRY_WORDS, PLACE_NAMES, REGION, REGION_ABBREVIATIONS, lookup
from articles.entities.lexicon import is_common_word
from articles.entities.name_shapes import (
    GENERATIONS,
    GIVEN_NAMES,
    INITIAL,
    display_name,
    has_mixed_case_word,
    heading_words,
    is_abbreviation,
    is_capitalised_word,
    is_date,
    is_given_name,
    is_initial,
    is_name_shaped,
    is_name_word,
    looks_like_name,
    written_words,
)
from articles.entities.normalise import (
    LEGAL_SUFFIXES,
    TITLES,
    doc_text,
    fold,
    group_names,
    in_capitals_line,
    is_wrap,
    trim_span,
)

# Labels NER gives to people it mistakes for something else ("Ivan Lendl" ORG).
MISTAKABLE_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
# A city this large is a place before it is a surname when NER calls it a person.
MAJOR_CITY_POPULATION = 500_000
# Words after a one-word name that make it a company's ("Yukos shares") ...
CORPORATE_AFTER = frozenset(
    "shares stock stake subsidiary subsidiaries unit units shareholders stockholders profit "
    "profits earnings revenue revenues sales plant plants output".split()
)
# ... or before it ("oil company Yukos", "state oil firm Petrobras").
CORPORATE_BEFORE = frozenset(
    "company firm group giant maker producer carrier airline insurer retailer bank "
    "conglomerate monopoly utility exporter manufacturer refiner brokerage".split()
)
# Words that make "X and ..." a firm's name ("Alex. Brown and Sons Inc", "Smith & Partners").
FIRM_PARTNERS = frozenset("sons son partners associates brothers".split())
# A word's roles in a parse where it describes another ("Oscar nominee", "Oscar-winning").
MODIFIER_DEPENDENCIES = frozenset({"compound", "npadvmod", "amod", "nmod"})
# What the article's other entities say about a name (see `_evidence`).
Evidence = namedtuple("Evidence", "other_labels other_words companies firm_words shouting")


def _looks_like_person(span):
    """Capitalised words and particles only: no digits, "at", "v", pronoun or company form."""
    words = span.text.split()
    return (
        looks_like_name(span)
        and (any(token.pos_ == "PROPN" for token in span) or INITIAL.fullmatch(span[0].text))
        and not any(token.pos_ in {"PRON", "DET"} for token in span)
        and not any(ch.isdigit() for ch in span.text)
        and all(is_name_word(word, 0 < i < len(words) - 1) for i, word in enumerate(words))
        and fold(span[-1].text) not in LEGAL_SUFFIXES
    )


def is_major_place(span):
    """Countries, demonyms, capitals, regions and big cities: never people."""
    place = lookup(span.text)
    return bool(place) and (place.tier <= REGION or place.population >= MAJOR_CITY_POPULATION)


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
        and not all(is_abbreviation(word) or is_initial(word) for word in words)
        and not is_date(span)
        and not _is_abbreviated_region(span)
    )


def _before_legal_form(span):
    """Followed by a company form: "Samuel Montagu and Co Ltd", "Dean Witter Reynolds Inc",
    "Alex. Brown and Sons"."""
    following = [token for token in span.doc[span.end:span.end + 6] if not token.is_space]
    return _is_legal_form(following) or _is_partners_form(following)


def _is_legal_form(tokens):
    """A legal form next, perhaps after "and" ("and Co Ltd"), not "Co-chairman"."""
    while tokens and fold(tokens[0].text) in {"", "and", "&"}:
        tokens = tokens[1:]
    if not tokens or fold(tokens[0].text) not in LEGAL_SUFFIXES:
        return False
    doc, after = tokens[0].doc, tokens[0].i + 1
    return after == len(doc) or doc[after].text != "-"


def _is_partners_form(tokens):
    """ "and Sons", "& Partners" next, or after more of the firm's capitalised names (NER
    may read "Alex. Brown and Sons" as two people, "Alex" and "Brown")."""
    for skip in range(4):
        rest = tokens[skip:]
        if (len(rest) > 1 and fold(rest[0].text) in {"and", "&"}
                and fold(rest[1].text) in FIRM_PARTNERS and rest[1].is_title):
            return all(token.text == "." or token.is_title for token in tokens[:skip])
    return False


def company_prefixes(spans):
    """Word tuples that begin a company name in the article ("fairchild" of
    "Fairchild Semiconductor Corp"): ORG spans ending in a legal form."""
    prefixes: set[tuple[str, ...]] = set()
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


def _is_named_for_a_place(words):
    """A club or firm named for its town ("Legia Warsaw", "Manchester United"):
    two words or more, one a place, none a given name or an initial."""
    return (
        len(words) > 1
        and not any(len(word) == 1 or is_given_name(word) for word in words)
        and any(word in PLACE_NAMES for word in words)
    )


def _in_company_context(span):
    """A one-word name used as a company's: "Yukos shares", "Petrobras's
    profit", "oil company Yukos"."""
    doc = span.doc
    after = [token for token in doc[span.end:span.end + 2] if token.text not in {"'s", "'"}]
    before = doc[span.start - 1] if span.start > 0 else None
    return (
        bool(after) and after[0].lower_ in CORPORATE_AFTER
        or before is not None and before.lower_ in CORPORATE_BEFORE
    )


def _partner_of_a_firm(span, firm_words):
    """One word joined by "and" to a one-word organization ("Wagner and Brown", NER reading
    "Wagner" as the firm and "Brown" as a person), with no title before it ("Mr")."""
    doc = span.doc
    before = fold(doc[span.start - 1].text) if span.start > 0 else ""
    if before in TITLES:
        return False
    if span.end + 1 < len(doc) and fold(doc[span.end].text) in {"and", "&"} and span.end + 1 in firm_words:
        return True
    return before in {"and", "&"} and span.start - 2 in firm_words


def _as_a_common_noun(span):
    """A one-word name written as a thing's: with an article, possessive or number of its
    own ("an Oscar", "his second Oscar") or before "-winning", "-nominated"."""
    token, doc = span[0], span.doc
    if token.tag_ != "NNPS" and any(child.dep_ in {"det", "poss", "nummod"} and child.i < token.i
                                    for child in token.children):
        return True  # not a family ("the Clintons") nor a scorecard's number ("Pelham 10-1")
    return (span.end + 1 < len(doc) and doc[span.end].text == "-" and not doc[span.end].whitespace_
            and doc[span.end + 1].lower_.endswith(("ing", "ed")))


def _as_a_name(span):
    """A one-word name written as someone's: standing alone, not as a thing
    (`_as_a_common_noun`) nor as a word describing another ("Oscar ceremony")."""
    return not _as_a_common_noun(span) and span[0].dep_ not in MODIFIER_DEPENDENCIES


def _is_named_otherwise(words, members, evidence):
    """The article names it as something else: tagged otherwise more often than
    as a person, or, for a one-word name, as often in longer names of other
    entities outside headlines ("Lake Baikal", "Yukos Oil Co", "Al Jazeera"),
    in company context, always as a firm's partner (`_partner_of_a_firm`), or as a thing
    and never as someone (`_as_a_common_noun`, `_as_a_name`: "an Oscar")."""
    named_otherwise = evidence.other_labels[" ".join(words)] > len(members)
    if len(words) > 1:
        return named_otherwise
    return (
        named_otherwise
        or evidence.other_words[words[0]] >= len(members)
        or any(map(_in_company_context, members))
        or all(_partner_of_a_firm(span, evidence.firm_words) for span in members)
        or any(map(_as_a_common_noun, members)) and not any(map(_as_a_name, members))
    )


def _is_person(words, name, members, evidence):
    """Whole-name checks on a person's mentions.

    A name of common lower-case words ("Revs", "Partners") is a table label or
    part of a firm's name; a person needs a mention with a word not in
    capitals unless the whole text is in capitals; a name followed by a
    company form, that begins a company's name in the article, or that the
    article names otherwise (`_is_named_otherwise`) is not a person, nor is a
    place or a name made of one (`_is_named_for_a_place`).
    """
    return (
        " ".join(words) not in PLACE_NAMES
        and not _is_named_for_a_place(words)
        and not _is_common_name(name)
        and (evidence.shouting or any(has_mixed_case_word(span) for span in members))
        and not any(_before_legal_form(span) for span in members)
        and words not in evidence.companies
        and not _is_named_otherwise(words, members, evidence)
    )


def _evidence(spans):
    """What the article's other entities say about its names (see `_is_person`)."""
    others = [span for span in spans if span.label_ != "PERSON"]
    longer = [fold(span.text) for span in others if len(span) > 1 and not in_capitals_line(span)]
    return Evidence(
        other_labels=Counter(fold(span.text) for span in others),
        other_words=Counter(word for text in longer for word in heading_words(text)),
        companies=company_prefixes(spans),
        firm_words=frozenset(span.start for span in others if span.label_ == "ORG" and len(span) == 1),
        shouting=bool(spans) and not any(ch.islower() for ch in doc_text(spans[0].doc)),
    )


def _untagged_runs(doc, covered):
    """Maximal runs of capitalised proper nouns outside every entity.

    Read from the doc's attribute array: making a Token object per word costs more
    than all of this rule."""
    start = None
    for i, (pos, title) in enumerate(doc.to_array([POS, IS_TITLE]).tolist()):
        if i not in covered and pos == PROPN and title:
            if start is None:
                start = i
            continue
        if start is not None:
            yield doc[start:i]
        start = None
    if start is not None:
        yield doc[start:len(doc)]


def _completed(span, covered):
    """A one-word PERSON and the untagged capitalised word after it, perhaps on
    the next line, when the two are name-shaped ("Jaime" + "Ongpin")."""
    doc, end = span.doc, span.end
    if len(span) != 1 or span.label_ != "PERSON":
        return span
    if end < len(doc) and is_wrap(doc[end]):
        end += 1
    if end < len(doc) and end not in covered and doc[end].pos_ == "PROPN" and doc[end].is_title:
        if is_name_shaped([span[0], doc[end]]):
            return Span(doc, span.start, end + 1, label="PERSON")
    return span


def _with_initials(spans, doc):
    """The spans with an initial and the capitalised word after it made a
    name when the two are name-shaped ("D. Cox", "D." + "Fulton"), whatever
    NER made of either."""
    two_letters = (i for i, length in enumerate(doc.to_array(LENGTH)[:-1].tolist()) if length == 2)
    found = [doc[i:i + 2] for i in two_letters
             if INITIAL.fullmatch(doc[i].text) and is_name_shaped(doc[i:i + 2])]
    kept = [span for span in spans
            if not any(name.start <= span.start and span.end <= name.end for name in found)]
    names = [Span(doc, name.start, name.end, label="PERSON") for name in found
             if not any(span.start < name.end and name.start < span.end for span in kept)]
    return sorted(kept + names, key=lambda span: span.start)


def _is_misread_person(span):
    """A name-shaped span NER tagged as something else, when its last word is
    no given name too ("Morgan Stanley", "Fannie Mae", "San Ramon")."""
    return (
        span.label_ in MISTAKABLE_LABELS and is_name_shaped(span)
        and fold(span[-1].text) not in GIVEN_NAMES
    )


def _is_descriptor(token):
    """A word that describes the person named after it: a title or a demonym
    ("General", "American")."""
    word = fold(token.text)
    return word in TITLES or word in COUNTRY_WORDS


def _reread(span, covered):
    """A misread person (`_is_misread_person`) as PERSON, also after a word
    that describes them ("American Dennis Mitchell", "General Anatoly Shkirko");
    other spans `_completed`."""
    starts = [span.start, span.start + 1] if _is_descriptor(span[0]) else [span.start]
    for start in starts:
        name = Span(span.doc, start, span.end, label=span.label)
        if len(name) and _is_misread_person(name):
            return Span(span.doc, start, span.end, label="PERSON")
    return _completed(span, covered)


def with_missed_people(spans, doc, listed=()):
    """The spans with name-shaped ones relabelled PERSON, names completed
    (`_with_initials`, `_completed`), and the `listed` people (PERSON spans
    that replace what NER made of their words) and untagged names added."""
    covered = {i for span in listed for i in range(span.start, span.end)}
    spans = [span for span in _with_initials(spans, doc)
             if not covered.intersection(range(span.start, span.end))]
    covered |= {i for span in spans for i in range(span.start, span.end)}
    result = list(listed) + [_reread(span, covered) for span in spans]
    covered = {i for span in result for i in range(span.start, span.end)}
    result += [
        Span(doc, run.start, run.end, label="PERSON")
        for run in _untagged_runs(doc, covered) if is_name_shaped(run)
    ]
    return sorted(_with_full_names(result), key=lambda span: span.start)


def _with_full_names(spans):
    """The spans with a person's full name that NER tagged otherwise relabelled
    PERSON: two or three capitalised words, none common, ending in a surname
    the article gives alone as a person ("Phillips Idowu" ORG, "Idowu" PERSON)."""
    surnames = {span.text for span in spans if span.label_ == "PERSON" and len(span) == 1}
    return [
        Span(span.doc, span.start, span.end, label="PERSON")
        if span.label_ in MISTAKABLE_LABELS and span[-1].text in surnames
        and 2 <= len(written := written_words(span)) <= 3
        and all(map(is_capitalised_word, written))
        and not any(is_common_word(word) for word in fold(span.text).split())
        else span
        for span in spans
    ]


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
    groups = group_names(names)
    evidence = _evidence(spans)
    people, places = [], []
    for words, members in groups.items():
        full = [span for span in members if tuple(fold(span.text).split()) == words]
        if is_major_place(full[0]):
            places += [Span(span.doc, span.start, span.end, label="GPE") for span in members]
        elif _is_person(words, (display := display_name(full)), members, evidence):
            people.append((words, display, members))
    return people, places
