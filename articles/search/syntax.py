"""The query language's field prefixes, read out of the words a reader typed.

`person:`, `country:`, `org:` and `source:` select facet values, as a click on the facet
would (`person:putin` is the person facet's Putin); `title:` limits its words to titles. A
value is one word or a "quoted phrase". Any other `word:` is an ordinary word, so a pasted
URL or a "note: ..." never turns into an error or a filter.
"""
import re

FACET_PREFIXES = ("person", "country", "org", "source")
_FIELDED = re.compile(r'(?<!\S)(?P<name>[A-Za-z]+):(?P<value>"[^"]*"(?:~\d+)?|"[^"]*$|\S+)')


def split_facets(q):
    """(the words left, {facet name: [values]}) of the facet prefixes in `q`."""
    words, fielded = _split(q, FACET_PREFIXES)
    found = {}
    for name, value in fielded:
        if value.strip('"').strip():
            found.setdefault(name, []).append(value.strip('"').strip())
    return words, found


def split_titles(q):
    """(the words left, [the words or phrases to find in titles only]) of the `title:` prefixes."""
    words, fielded = _split(q, ("title",))
    return words, [value for _, value in fielded]


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
