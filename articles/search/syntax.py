"""The query language's field prefixes, read out of the words a reader typed.

`person:`, `country:`, `org:` and `source:` select facet values, as a click on the facet
would (`person:putin` is the person facet's Putin); `title:` and `author:` limit their words
to titles and bylines. A
value is one word or a "quoted phrase". Any other `word:` is an ordinary word, so a pasted
URL or a "note: ..." never turns into an error or a filter.

Nothing typed is an error: an unclosed quotation mark leaves its words as words, and an
operator with nothing to join is left out; `notes` says so, for the page to show.
"""
import re

FACET_PREFIXES = ("person", "country", "org", "source")
FIELD_PREFIXES = ("title", "author")
BINARY_OPERATORS = ("AND", "OR")
_TOKEN = re.compile(r'"[^"]*"(?:~\d+)?|"[^"]*$|\S+')  # a phrase keeps its ~N (words N apart)
_BARE_PREFIX = re.compile(r"(?<!\S)([A-Za-z]+):(?!\S)")
_FIELDED = re.compile(r'(?<!\S)(?P<name>[A-Za-z]+):(?P<value>"[^"]*"(?:~\d+)?|"[^"]*$|\S+)')


def split_facets(q):
    """(the words left, {facet name: [values]}) of the facet prefixes in `q`."""
    words, fielded = _split(q, FACET_PREFIXES)
    found: dict[str, list[str]] = {}
    for name, value in fielded:
        if value.strip('"').strip():
            found.setdefault(name, []).append(value.strip('"').strip())
    return words, found


def split_fields(q):
    """(the words left, [(field, the word or phrase to find in that field only)]) of the
    `title:` and `author:` prefixes."""
    return _split(q, FIELD_PREFIXES)


def _split(q, names):
    """(the words left, [(name, value as written)]) of the prefixes `names` in `q`."""
    found = []

    def take(match):
        name = match["name"].lower()
        if name not in names:
            return match[0]
        found.append((name, match["value"]))
        return ""

    return " ".join(_FIELDED.sub(take, q).split()), found


def tokens(q):
    """The words, "phrases" and operators (AND, OR, NOT) of `q` as they are searched."""
    return _read(q)[0]


def notes(q):
    """What `tokens` read otherwise than written, in words for the reader."""
    found = _read(q)[1]
    found += [f"\u201c{name}:\u201d needs a word or \"phrase\" after it (as in {name}:{_EXAMPLES[name]}); "
              f"it was searched as the word \u201c{name}\u201d."
              for name in dict.fromkeys(match.lower() for match in _BARE_PREFIX.findall(q))
              if name in _EXAMPLES]
    return found


_EXAMPLES = {"person": "putin", "country": '"soviet union"', "org": "opec", "source": "reuters",
             "title": "opec", "author": "smith"}


def _read(q):
    """(tokens, notes) of `q`."""
    read, notes = [], []
    for token in _TOKEN.findall(q):
        if token.startswith('"') and token.count('"') == 1:
            notes.append("A quotation mark was not closed, so the words after it were searched one by one.")
            read.extend(token[1:].split())
        else:
            read.append(token)
    kept: list[str] = []
    for position, token in enumerate(read):
        following = read[position + 1] if position + 1 < len(read) else None
        joins_nothing = (
            token in BINARY_OPERATORS and (not kept or kept[-1] in (*BINARY_OPERATORS, "NOT")
                                           or following in (None, *BINARY_OPERATORS))
            or token == "NOT" and following in (None, *BINARY_OPERATORS, "NOT"))
        if joins_nothing:
            notes.append(f"\u201c{token}\u201d had nothing to join, so it was left out.")
        else:
            kept.append(token)
    if read and not kept:  # operators alone ("OR"): words, as a reader of Oregon news means them
        return [token.lower() for token in read], ["AND, OR and NOT join words; alone, they were searched as words."]
    return kept, list(dict.fromkeys(notes))
