"""Organizations an article mentions, under one canonical name and key each."""
from collections import Counter, namedtuple

from spacy.tokens import Span

from articles.entities.gazetteer import INSTITUTION, REGION, is_government_body, is_seat_of_government, lookup
from articles.entities.lexicon import is_common_word
from articles.entities.name_shapes import looks_like_name
from articles.entities.normalise import (
    LEGAL_SUFFIXES,
    TITLES,
    doc_text,
    fold,
    group_names,
    in_capitals_line,
    is_wrap,
    normalise_key,
    organization_words,
    trim_span,
)

# An ORG that ends in one of these was cut short by NER ("Group of" + "20").
_OPEN_ENDINGS = frozenset({"of", "for", "on"})
# Words an acronym skips: "OSCE" is the Organisation for Security and Cooperation in Europe.
MINOR_WORDS = frozenset({"of", "for", "and", "in", "on", "the", "de"})
_BRACKETS = ("(", ")")
_SPACED_BREAKS = frozenset({"-", "/", "\u2013", "\u2014"})
# Last words that make a name an event, not an organization ("Davis Cup",
# "Belgian Grand Prix", "PGA Tour", "Democratic National Convention").
EVENT_WORDS = frozenset(
    "cup prix open championship championships series tour rally olympics games trophy "
    "tournament convention festival award awards marathon".split()
)
# What the article says elsewhere that tells an organization from other names.
Evidence = namedtuple("Evidence", "people teams shouting")


def _is_score(token):
    """A number inside an ORG span ("DETROIT 7 Chicago 4"), not the "20" of "Group of 20"."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    return (
        token.like_num and any(ch.isdigit() for ch in token.text)
        and not (before is not None and before.lower_ in _OPEN_ENDINGS)
    )


def _is_break(token, label):
    """A line break (not a wrap), a bracket ("Des Smyth ( Ireland"), a dash or
    slash between spaces as in "Romania - Cosmin Contra", or a number inside
    an organization name (a results line)."""
    if token.is_space:
        return "\n" in token.text and not is_wrap(token)
    spaced = token.whitespace_ and token.i > 0 and token.doc[token.i - 1].whitespace_
    return (
        token.text in _BRACKETS
        or bool(spaced) and token.text in _SPACED_BREAKS
        or label == "ORG" and _is_score(token)
    )


def split_lines(ents):
    """Cut entities at line breaks, spaced dashes and scores: a name never runs across them."""
    spans = []
    for ent in ents:
        start = ent.start
        for token in ent:
            if _is_break(token, ent.label_):
                if token.i > start:
                    spans.append(Span(ent.doc, start, token.i, label=ent.label))
                start = token.i + 1
        if ent.end > start:
            spans.append(Span(ent.doc, start, ent.end, label=ent.label))
    return spans


def repair_splits(ents):
    """The entity spans cut at breaks, and an ORG ending in "of"/"for"/"on"
    joined with the entity right after it ("Group of" + "20")."""
    spans: list[Span] = []
    for ent in split_lines(ents):
        previous = spans[-1] if spans else None
        if (
            previous is not None
            and previous.label_ == "ORG"
            and previous[-1].lower_ in _OPEN_ENDINGS
            and previous.end == ent.start
        ):
            spans[-1] = Span(ent.doc, previous.start, ent.end, label="ORG")
        else:
            spans.append(ent)
    return spans


def without_signoff(spans, text):
    """The spans less a wire's sign-off: a name alone at the very end of the
    text, after a line break or a sentence end (" Reuter", "REUTER")."""
    if not spans or text[spans[-1].end_char:].strip():
        return spans
    before = text[:spans[-1].start_char].rstrip(" \t")
    return spans[:-1] if not before or before.endswith(("\n", ".", ")")) else spans


def _is_organization_name(span, teams):
    """Not a country, capital, region ("U.S.", "Dhaka" tagged ORG) unless a
    results table makes it a team, nor a seat of government ("Kremlin"), a
    bare title ("State" of "State Councilor") or legal forms alone ("Co")."""
    place = lookup(span.text)
    words = set(fold(span.text).split())
    return (
        looks_like_name(span)
        and not (place and place.tier <= REGION and place.tier != INSTITUTION
                 and organization_words(span.text) not in teams)
        and not is_seat_of_government(span.text)
        and not words <= TITLES
        and not words <= LEGAL_SUFFIXES
    )


def _name_in(span):
    """The name in an ORG span: without "the", legal form, or the lower-case words
    around it ("their European Champions Cup", "Xinhua news agency")."""
    span = trim_span(span, leading={"the"}, trailing=LEGAL_SUFFIXES)
    start, end = span.start, span.end
    while end - start > 1 and span.doc[end - 1].is_lower:
        end -= 1
    while end - start > 1 and span.doc[start].is_lower:
        start += 1
    return span.doc[start:end]


def initials(words):
    """"opec" of ("organization", "of", "petroleum", "exporting", "countries")."""
    return "".join(word[0] for word in words if word not in MINOR_WORDS)


def _bracketed_acronyms(doc, names):
    """(acronym words, long words, span) for "Kurdistan Democratic Party ( KDP )":
    a word in capitals in brackets right after a name, its letters in order
    among the initials of the name's words (the "N" and "F" of "Welsh National
    Farmers' Union ( NFU )")."""
    found = []
    for words, span in names:
        inner = doc[span.end + 1] if span.end + 2 < len(doc) else None
        if inner is None or (doc[span.end].text, doc[span.end + 2].text) != _BRACKETS:
            continue
        letters = iter("".join(word[0] for word in words))
        acronym = fold(inner.text)
        if inner.is_upper and len(acronym) >= 2 and all(ch in letters for ch in acronym):
            found.append(((acronym,), words, doc[inner.i:inner.i + 1]))
    return found


def _with_s_forms(names):
    """The (words, span) names with a name read as the article's same name with
    a final "s" when it has one ("Reuter correspondents" beside "Reuters")."""
    written = {words for words, _ in names}
    return [
        (longer if (longer := words[:-1] + (words[-1] + "s",)) in written else words, span)
        for words, span in names
    ]


def _part_of(aliases):
    """How a name is part of a longer one: its last words ("Cooperation Council"
    of "Gulf Cooperation Council"), its initials ("OPEC") or a bracketed acronym."""

    def part_of(longer, shorter):
        return (
            longer[len(longer) - len(shorter):] == shorter
            or len(shorter) == 1 and len(shorter[0]) >= 2 and shorter[0] == initials(longer)
            or aliases.get(shorter) == longer
        )

    return part_of


def _is_headline(members):
    """Named only in lines without a lower-case letter (headlines such as
    "ENGLAND V PAKISTAN", table headings), never in the story itself."""
    return all(map(in_capitals_line, members))


def _is_common_word(words, members):
    """One word written in lower case most of the time ("Neutral", "Press"),
    not an acronym in capitals ("EU")."""
    return (
        len(words) == 1 and is_common_word(words[0])
        and not all(span.text.isupper() for span in members)
    )


def _is_unit(members):
    """An acronym that only ever follows a number: "1400 GMT", "3 RBI"."""
    return all(
        span.text.isupper() and span.start > 0 and span.doc[span.start - 1].like_num
        for span in members
    )


def _is_organization(words, members, evidence):
    """Whole-group checks: not a person of the article (a full name or a
    surname: "Becker", "Wright-Phillips"), an event, a unit, a common word or a headline's words
    (unless the whole text is in capitals); a table's teams and the
    gazetteer's government bodies ("Fed") always are."""
    if words in evidence.teams or is_government_body(members[0].text):
        return True
    return not (
        words in evidence.people
        or words[-1] in EVENT_WORDS
        or _is_unit(members)
        or _is_common_word(words, members)
        or not evidence.shouting and _is_headline(members)
    )


def _display_name(members, words):
    """The written form used most for the full name, then the longest."""
    full = [span for span in members if organization_words(span.text) == words] or members
    names = Counter(" ".join(span.text.split()) for span in full)
    return max(names, key=lambda text: (names[text], not text.isupper(), len(text)))


def _key(members, words):
    """The archive-wide key: the acronym when the article gives one, so that
    "OPEC" alone elsewhere is the same organization; else the full name's."""
    acronyms = [span for span in members
                if len(words) > 1 and len(found := organization_words(span.text)) == 1
                and found[0] != words[-1]]
    return normalise_key("organization", acronyms[0].text if acronyms else " ".join(words))


def find_organizations(spans, people=(), teams=()):
    """Organizations as (key, display name, spans).

    Country names are left to countries, and a name that is one of the
    article's `people` (their word tuples), or their surname, to persons; `teams` are the spans
    of teams named in results tables (`teams.find_teams`).
    """
    team_words = {organization_words(team.text) for team in teams}
    candidates = [_name_in(span) for span in spans if span.label_ == "ORG"]
    names = _with_s_forms([(organization_words(span.text), span)
                           for span in candidates if _is_organization_name(span, team_words)])
    if not names:
        return []
    doc = names[0][1].doc
    acronyms = _bracketed_acronyms(doc, names)
    names = sorted(names + [(short, span) for short, _, span in acronyms
                            if span.start not in {s.start for _, s in names}],
                   key=lambda name: name[1].start)
    groups = group_names(names, _part_of({short: long for short, long, _ in acronyms}))
    surnames = {words[i:] for words in people for i in range(len(words))}
    evidence = Evidence(surnames, team_words, not any(ch.islower() for ch in doc_text(doc)))
    return [
        (_key(members, words), _display_name(members, words), members)
        for words, members in groups.items() if _is_organization(words, members, evidence)
    ]
