"""The query clauses a search's requests are made of: its words, its story thread, its
dates, a facet's articles without a value, and the chosen stories.

Each is an elasticsearch.dsl Q; `query` builds the page's request from them, `aggregations`
its facets' counts, `summaries` the overview and summary requests, and trends/ its series.
"""
import re
from datetime import date, timedelta

from elasticsearch.dsl import Q

from articles import datewindow
from articles.indexing.documents import LABEL_SEPARATOR
from articles.search.facets import for_kind
from articles.search.syntax import split_fields, tokens

TEXT_FIELDS = ["title^3", "body"]
STORY_FIELD = "story"  # the index field of the story an article is a version of

_WORD = re.compile(r"([+-]?)([^\W\d_]+)")
_OPERATOR_WORDS = {"OR": "|", "AND": "+"}


def simple_query(q):
    """The user's query in simple_query_string syntax.

    OR/AND/NOT written as words become the operators |, + and -. A bare word also
    matches its possessive, because hunspell only strips "'s" from dictionary
    words: "Putin" must find "Putin's".
    """
    out, negate = [], False
    for token in tokens(q):
        if token in _OPERATOR_WORDS:
            out.append(_OPERATOR_WORDS[token])
            continue
        if token == "NOT":
            negate = True
            continue
        if negate:
            token, negate = f"-{token}", False
        word = _WORD.fullmatch(token)
        if word:
            sign, text = word.groups()
            token = f"{sign}({text} | {text}'s | {text}\u2019s)"
        out.append(token)
    return " ".join(out)


def text_query(q):
    """Lenient full-text query, title boosted over body, and `title:` and `author:` words in
    that field only; None when there is nothing to match."""
    words, fielded = split_fields(q)
    parts = [(simple_query(words), TEXT_FIELDS), *((simple_query(value), [field]) for field, value in fielded)]
    clauses = [_simple(query, fields) for query, fields in parts if query]
    if len(clauses) < 2:
        return clauses[0] if clauses else None
    return Q("bool", must=clauses)


def words_query(params):
    """What `params` finds besides its filters: its words (`text_query`) and its story thread
    (`thread_query`), both when both are given; None when neither is."""
    parts = [part for part in (text_query(params.q), thread_query(params.thread)) if part]
    return Q("bool", must=parts) if len(parts) > 1 else (parts[0] if parts else None)


# A story thread's versions score above its related coverage, and the related coverage holds at
# least half of the canonical title's words (all of one or two words) besides one of its entities.
THREAD_VERSIONS_BOOST = 100.0
THREAD_TITLE_WORDS = "2<-50%"


def thread_query(thread):
    """The articles of a story thread (a `stories.Thread`, `params.thread`): the story's versions,
    and its related coverage, the articles holding most of its canonical version's title words (in
    their title or body, as the search reads words) and mentioning one of its main entities (when
    it has any); None without a thread."""
    if not thread:
        return None
    versions = Q("term", story={"value": str(thread), "boost": THREAD_VERSIONS_BOOST})
    if not thread.title.strip():
        return versions
    words = Q("multi_match", query=thread.title, fields=TEXT_FIELDS, type="cross_fields",
              minimum_should_match=THREAD_TITLE_WORDS)
    entities = [Q("term", **{for_kind(kind).field: ref}) for kind, ref in thread.entities]
    related = Q("bool", must=[words], filter=[Q("bool", should=entities, minimum_should_match=1)] if entities else [])
    return Q("bool", should=[versions, related], minimum_should_match=1)


def _simple(query, fields):
    return Q("simple_query_string", query=query, fields=fields, default_operator="and", lenient=True,
             analyze_wildcard=True)


def date_range_query(date_from, date_to):
    """Articles published within the days [date_from, date_to], cut to the accepted dates:
    undated articles never match, nor any whose date lies outside `datewindow` (one that
    reached the index anyway would stretch every histogram over millennia)."""
    first = max(date_from or date.min, datewindow.earliest())
    last = min(date_to or date.max, datewindow.latest())
    bounds = {"format": "strict_date", "gte": first.isoformat(), "lt": (last + timedelta(days=1)).isoformat()}
    return Q("range", published_at=bounds)


def undated_query():
    """Articles without a date, or with one outside the accepted dates."""
    return ~date_range_query(None, None)


def unknown_query(facet):
    """Articles with no value of `facet` (none indexed, or an empty one)."""
    return ~Q("exists", field=facet.field) | Q("term", **{facet.field: ""})


def labelled_pattern(refs):
    """The regular expression (Lucene's syntax) of the "ref|label" values of `refs`."""
    def literal(text):
        return "".join(ch if ch.isalnum() else f"\\{ch}" for ch in text)
    return "|".join(f"{literal(str(ref) + LABEL_SEPARATOR)}.*" for ref in refs)


def scoped_query(found, params):
    """The query `found` (its words and thread, or None) within the stories `params` chooses (`story`)."""
    if not params.story:
        return found
    return Q("bool", must=[found] if found else [], filter=[Q("terms", **{STORY_FIELD: list(params.story)})])
