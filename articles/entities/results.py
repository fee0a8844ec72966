"""Sports results: the teams and people they list, however NER reads them.

A results table names teams by their town ("CHICAGO 8 Florida 3", "Puchon 1
1 0 1 0 4"), which NER tags as places or people or not at all. A line that
holds only names and scores is such a row; a text with several is a table,
and every mention of its team names is the team. Results name people by
their nationality ("Pete Sampras ( U.S. )") or the minute of their goal
("( Debbah 39th )").
"""
import re

from spacy.tokens import Span, Token

from articles.entities.gazetteer import COUNTRY, PLACE_NAMES, lookup
from articles.entities.lexicon import is_common_word
from articles.entities.name_shapes import MONTHS, is_capitalised_word, is_name_shaped, written_words
from articles.entities.normalise import TITLES, doc_text, fold

# Score rows a text needs before its lines count as a table, not a stray line.
MIN_ROWS = 2
# A team's name is this many words at most ("Queen 's Park Rangers").
MAX_NAME_WORDS = 5
# A standings row gives at least this many figures (played, won, lost ...).
MIN_FIGURES = 3
# Between the two teams of a fixture: "Manchester United v Blackburn", "OAKLAND AT BOSTON".
FIXTURE_WORDS = frozenset({"v", "vs", "at"})
_OPEN, _CLOSE = "(", ")"
# The minute of a goal: "39th", "82nd".
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_ORDINAL_IN_TEXT = re.compile(r"\d(?:st|nd|rd|th)\b")
# Tokens a written name runs to at most ("Luciano della Noce", "Heinz - Harald Frentzen").
MAX_NAME_TOKENS = 5


def _lines(doc):
    """The tokens of each line, without spaces or a lead-in up to a colon
    ("In Tirana : Flamurtari Vlore ( Albania ) 0 ...", "At Leicester : ...")."""
    line: list[Token] = []
    for token in doc:
        if "\n" in token.text:
            yield line
            line = []
        elif token.text == ":":
            line = []
        elif not token.is_space:
            line.append(token)
    yield line


def _is_number(token):
    return token.like_num and any(ch.isdigit() for ch in token.text)


def _is_score(token):
    """A small whole number: goals, runs, games won."""
    return token.text.isdigit() and len(token.text) <= 3


def _is_name_word(token, inner):
    """Capitalised; inside a name also a short lower-case particle, "'s" or a
    hyphen within a word ("Vasco da Gama", "Queen 's Park Rangers",
    "Heinz-Harald"), not a letter ("b" for bowled)."""
    if token.text[:1].isupper():
        return True
    if not inner:
        return False
    if token.text == "-":
        return not token.whitespace_ and token.i > 0 and not token.doc[token.i - 1].whitespace_
    particle = token.is_alpha and token.is_lower and 2 <= len(token) <= 4
    return particle or token.text in {"'s", "\u2019s"}


def _capitalised_ends(tokens):
    """The tokens less any that do not begin with a capital at either end."""
    start, end = 0, len(tokens)
    while start < end and not tokens[start].text[:1].isupper():
        start += 1
    while end > start and not tokens[end - 1].text[:1].isupper():
        end -= 1
    return tokens[start:end]


def _name_end(tokens, start):
    """Where a team name starting at `start` ends; `start` if none starts there."""
    end = start
    while end < len(tokens) and end - start < MAX_NAME_WORDS and _is_name_word(tokens[end], end > start):
        end += 1
    return start + len(_capitalised_ends(tokens[start:end])) if tokens[start:end] else start


def _past_bracket(tokens, i):
    """Past a bracket at i: a team's country or a match's scorers ("Valletta (
    Malta ) 1", "Nice 1 ( Debbah 39th )"), to the line's end if left open."""
    if i < len(tokens) and tokens[i].text == _OPEN:
        closes = [j for j in range(i, len(tokens)) if tokens[j].text == _CLOSE]
        return (closes[0] if closes else len(tokens) - 1) + 1
    return i


def _is_end(tokens, i):
    """Nothing but a full stop or a bracket left on the line."""
    if i >= len(tokens):
        return True
    return tokens[i].text == _OPEN or tokens[i].text == "." and i == len(tokens) - 1


def _result_names(tokens):
    """The two names of "Bahia 2 Atletico Paranaense 0" or "Nice 1 ( Debbah 39th )
    Bastia 1 ( Drobnjak 82nd ) .", or ()."""
    names, i = [], 0
    for _ in range(2):
        end = _name_end(tokens, i)
        score = _past_bracket(tokens, end)
        if end == i or score >= len(tokens) or not _is_score(tokens[score]):
            return ()
        names.append(tokens[i:end])
        i = _past_bracket(tokens, score + 1)
    return names if _is_end(tokens, i) else ()


def _standing_names(tokens):
    """The name of "Puchon 1 1 0 1 0 4" or "NEW YORK 72 53 .576 -", or ()."""
    end = _name_end(tokens, 0)
    figures = tokens[end:]
    if end == 0 or len(figures) < MIN_FIGURES or not all(map(_is_score, figures[:2])):
        return ()
    return [tokens[:end]] if all(_is_number(t) or not t.is_alpha for t in figures) else ()


def _innings_names(tokens):
    """The name of "Durham 326 ( D. Cox 95 )" or "Essex 72-0 .": one side's
    score, as cricket reports give it, or ()."""
    end = _name_end(tokens, 0)
    if end == 0 or end >= len(tokens) or not _is_score(tokens[end]):
        return ()
    after = end + 1
    if after + 1 < len(tokens) and tokens[after].text == "-" and _is_score(tokens[after + 1]):
        after += 2
    return [tokens[:end]] if _is_end(tokens, after) else ()


def _fixture_names(tokens):
    """The two names of "Manchester United v Blackburn", or ()."""
    end = _name_end(tokens, 0)
    if end == 0 or end >= len(tokens) or fold(tokens[end].text) not in FIXTURE_WORDS:
        return ()
    second = _name_end(tokens, end + 1)
    if second == end + 1 or not _is_end(tokens, second):
        return ()
    return [tokens[:end], tokens[end + 1:second]]


def _is_team_name(tokens):
    """Not a person ("Nick Faldo"), a country (national sides are their
    country), common words that name no place ("Net", "Attendance"; "Nice"
    and "Reading" do) or a date ("Record March")."""
    words = fold(" ".join(token.text for token in tokens)).split()
    place = lookup(" ".join(token.text for token in tokens))
    return (
        not is_name_shaped(tokens)
        and not MONTHS.intersection(words)
        and not (place and place.tier == COUNTRY)
        and (" ".join(words) in PLACE_NAMES or not all(map(is_common_word, words)))
    )


def find_teams(doc):
    """ORG spans of the team names in the text's results, standings and
    fixtures, if it has MIN_ROWS rows of scores or more."""
    lines = list(_lines(doc))
    scored = [names for line in lines
              if (names := _result_names(line) or _standing_names(line) or _innings_names(line))]
    if len(scored) < MIN_ROWS:
        return []
    rows = scored + [names for line in lines if (names := _fixture_names(line))]
    return [Span(doc, name[0].i, name[-1].i + 1, label="ORG")
            for names in rows for name in names if _is_team_name(name)]


def with_teams(spans, teams):
    """The spans with the `teams` added (they replace what NER made of those
    words) and every other mention of a team's name labelled ORG."""
    if not teams:
        return spans
    names = {tuple(fold(team.text).split()) for team in teams}
    covered = {i for team in teams for i in range(team.start, team.end)}
    result = [
        Span(span.doc, span.start, span.end, label="ORG")
        if tuple(fold(span.text).split()) in names else span
        for span in spans if not covered.intersection(range(span.start, span.end))
    ]
    return sorted(result + teams, key=lambda span: span.start)


def _name_before(doc, end):
    """The span of the name written right before token `end`, or None."""
    start = end
    while start > 0 and end - start < MAX_NAME_TOKENS and _is_name_word(doc[start - 1], True):
        start -= 1
    name = _capitalised_ends(doc[start:end])
    return name if len(name) else None


def listed_people(doc):
    """PERSON spans of the competitors and scorers results list."""
    return [*_competitors(doc), *_scorers(doc)]


def _competitors(doc):
    """Names followed by a country in brackets, a competitor's nationality in
    sports results: "Pete Sampras ( U.S. ) beat ...", "Linford Christie (Britain) 10.04"."""
    if "(" not in doc_text(doc):  # most texts: no need to look at every token
        return
    for token in (token for token in doc if token.text == _OPEN):
        close = next((t.i for t in doc[token.i + 1:token.i + 5] if t.text == _CLOSE), None)
        if close is None:
            continue
        place = lookup(doc[token.i + 1:close].text)
        name = _name_before(doc, token.i)
        if place and place.tier == COUNTRY and name is not None and _is_competitor_name(name):
            yield Span(doc, name.start, name.end, label="PERSON")


def _scorers(doc):
    """Names beside the minute of a goal in results: "( Debbah 39th )",
    "( Driller 15th , Trulsen 54th )"."""
    if not _ORDINAL_IN_TEXT.search(doc_text(doc)):
        return
    for token in doc:
        name = _name_before(doc, token.i) if _ORDINAL.fullmatch(token.text) else None
        opener = doc[name.start - 1].text if name is not None and name.start > 0 else ""
        if name is not None and opener in {"(", ","} and _is_scorer_name(name):
            yield Span(doc, name.start, name.end, label="PERSON")


def _is_scorer_name(span):
    """One to three capitalised words, not a month ("August 22nd") or common words."""
    written = written_words(span)
    words = fold(span.text).split()
    return (
        len(written) <= 3 and all(map(is_capitalised_word, written))
        and not MONTHS.intersection(words)
        and not all(map(is_common_word, words))
    )


def _is_competitor_name(span):
    """Two or three capitalised words, not a place or a title first."""
    written = written_words(span)
    words = [fold(word) for word in written]
    return (
        2 <= len(written) <= 3
        and is_capitalised_word(written[0]) and is_capitalised_word(written[-1])
        and words[0] not in TITLES
        and " ".join(words) not in PLACE_NAMES
    )
