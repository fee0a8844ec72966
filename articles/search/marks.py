"""Where a search's words are in an article's title and body, as (start, end) offsets in their text.

Elasticsearch marks them (`query.words_search`: the search's own query, so the same
stemming, phrases and prefixes) with two private-use characters instead of tags, and the
offsets are read back from where those characters stand. The page then escapes the text
and adds its own <mark> elements, so no markup from the index is ever shown.
"""
import re

from articles.search import client, query

START, END = "\ue000", "\ue001"  # Unicode private-use characters: no article text needs them
_MARK = re.compile(f"([{START}{END}])")


def mark_spans(marked, text):
    """The (start, end) offsets in `text` of the stretches `marked` holds between START and
    END; none when `marked` is not `text` with marks added (the index's copy is older than
    the article) or when `text` itself holds either character."""
    if START in text or END in text:
        return []
    spans, plain, position, opened = [], [], 0, None
    for piece in _MARK.split(marked):
        if piece == START:
            opened = position
        elif piece == END:
            if opened is not None and opened < position:
                spans.append((opened, position))
            opened = None
        else:
            plain.append(piece)
            position += len(piece)
    return spans if "".join(plain) == text else []


def word_spans(article_id, texts, q):
    """{field: the offsets of the words of query `q` in its text} for `texts`, {field name
    ("title", "body"): that text of article `article_id`}, with one request; none in a
    field where no word is."""
    search = query.words_search(article_id, q, list(texts), START, END)
    hits = client.execute_raw(search)["hits"]["hits"] if search else []
    marked = hits[0].get("highlight", {}) if hits else {}
    return {field: mark_spans(marked[field][0], text) if field in marked else [] for field, text in texts.items()}
