"""The formats inside a file: plain text (title on the first line), JSON, JSON Lines, CSV and HTML
pages, each item made a Record or a Problem."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from typing import Iterable, Iterator

import htmldate
import trafilatura
from dateutil import parser as dateparser
from trafilatura.settings import Document, set_date_params

from articles.ingest.readers.records import MB, Limits, Problem, Record, _decode, _record, _title_from, _too_large

_JSON_START = re.compile(rb"\{|\[\s*\{")


_TAG_FIELDS = ("places", "people", "orgs", "topics", "exchanges")


_DATE_FIELDS = ("published_at", "date", "date_raw")


_NO_YEAR = datetime(1, 1, 1)  # dateutil fills missing parts from this; year 1 means "no year given"


_HTML_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


_INVISIBLE = "//script|//style|//noscript|//template|//head|//svg|//iframe|//object|//embed"


_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article",
               "section", "blockquote", "pre", "header", "footer", "table")


def _read_json(where: str, text: str, limits: Limits) -> Iterator[Record | Problem]:
    """One object or a list of objects; several values one per line are read as JSON Lines."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data":
            yield from _read_json_lines(where, enumerate(text.split("\n"), 1), limits)
        else:
            yield Problem(where, f"line {err.lineno}: {_json_error(err)}")
        return
    except (ValueError, RecursionError) as err:
        yield Problem(where, f"line 1: {_json_error(err)}")
        return
    if isinstance(data, dict):
        yield _record_from_item(data, where, limits)
    elif not isinstance(data, list):
        yield Problem(where, "JSON is neither an object nor a list of objects")
    elif not data:
        yield Problem(where, "no articles found")
    else:
        for number, item in enumerate(data, 1):
            yield _record_from_item(item, f"{where}#{number}", limits)


def _read_json_lines(where: str, lines: Iterable[tuple[int, str | None]], limits: Limits):
    """One object per line; a bad line is reported with its number and reading goes on."""
    empty = True
    for number, line in lines:
        if line is None or line.strip():
            empty = False
            yield _read_json_line(f"{where}:{number}", number, line, limits)
    if empty:
        yield Problem(where, "empty file")


def _read_json_line(where: str, number: int, line: str | None, limits: Limits) -> Record | Problem:
    if line is None:
        return Problem(where, f"line {number}: {_too_large(limits.max_file_bytes)}")
    try:
        item = json.loads(line)
    except (ValueError, RecursionError) as err:
        return Problem(where, f"line {number}: {_json_error(err)}")
    return _record_from_item(item, where, limits)


def _decoded_lines(stream: io.BufferedReader, max_bytes: int) -> Iterator[tuple[int, str | None]]:
    """Numbered lines read one at a time, so a large JSON Lines file never sits in memory.

    A line longer than max_bytes is skipped to its end and given as None.
    """
    number = 0
    while line := stream.readline(max_bytes + 1):
        number += 1
        if len(line) > max_bytes:
            while line and not line.endswith(b"\n"):
                line = stream.readline(MB)
            yield number, None
        else:
            yield number, _decode(line)


def _json_error(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"invalid JSON ({err.msg} at column {err.colno})"
    if isinstance(err, RecursionError):
        return "invalid JSON (nested too deeply)"
    return f"invalid JSON ({err})"


def _read_csv(where: str, text: str, limits: Limits) -> Iterator[Record | Problem]:
    """A header row naming the same fields as JSON, then one article per row."""
    delimiter = _csv_delimiter(text.split("\n", 1)[0])
    if not delimiter:
        yield Problem(where, "CSV header needs a title column and a body or text column")
        return
    # The default field limit (128 KiB) is below a long article; the setting is process-wide.
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_article_chars + 1))
    rows = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in rows:
            item = {key.strip().lower(): value for key, value in row.items() if key}
            yield _record_from_item(item, f"{where}:{rows.line_num}", limits)
    except csv.Error as err:
        yield Problem(f"{where}:{rows.line_num}", f"line {rows.line_num}: invalid CSV ({err}), rest of file skipped")


def _csv_delimiter(header: str) -> str | None:
    """The delimiter that splits header into a title column and a body or text column, if any."""
    for delimiter in ",;\t|":
        names = {name.strip().strip('"').lower() for name in header.split(delimiter)}
        if "title" in names and names & {"body", "text"}:
            return delimiter
    return None


def _record_from_item(item, where: str, limits: Limits) -> Record | Problem:
    """Map the shared field names (title, body/text, date, id, Reuters dateline and tags) to a Record."""
    if not isinstance(item, dict):
        return Problem(where, "not a JSON object")
    text = _text(item.get("body") or item.get("text"))
    dateline = _text(item.get("dateline"))
    return _record(
        where,
        limits,
        title=_text(item.get("title")) or _title_from(text),
        # Entity extraction reads datelines ("SALVADOR, Feb 26 -") at the start of the body.
        body=f"{dateline} {text}" if dateline and text else text,
        published_at=_first_date(item),
        source=_text(item.get("source")),
        url=_text(item.get("url")),
        author=_text(item.get("author")),
        language=_text(item.get("language")),
        external_id=_text(item.get("id")),
        metadata={key: item[key] for key in _TAG_FIELDS if key in item},
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return str(value).strip()


def _first_date(item: dict) -> datetime | None:
    """The first field that holds a valid date: Reuters keeps a parsed `date` and the raw `date_raw`."""
    for name in _DATE_FIELDS:
        parsed = _parse_date(item.get(name))
        if parsed:
            return parsed
    return None


def _parse_date(value) -> datetime | None:
    """ISO or any common written date as aware UTC; None when missing, invalid or without a year."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            parsed = dateparser.parse(value, default=_NO_YEAR)
        except (ValueError, OverflowError):
            return None
    if parsed.year == _NO_YEAR.year:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:
        return None


def _read_text(where: str, text: str, limits: Limits) -> Iterator[Record | Problem]:
    """Title on the first non-empty line, body after it."""
    title, _, body = text.strip().partition("\n")
    yield _record(where, limits, title=title.strip(), body=body.strip("\n"))


def _read_html(where: str, text: str, limits: Limits) -> Iterator[Record | Problem]:
    """Main text and metadata via trafilatura, the date via htmldate; only plain text reaches the body."""
    tree = trafilatura.load_html(text)
    if tree is None:
        yield Problem(where, "not readable as HTML")
        return
    # A parsed tree, never a string: htmldate downloads strings that look like URLs.
    found_date = htmldate.find_date(tree, extensive_search=False, original_date=True,
                                    outputformat=_HTML_DATE_FORMAT)
    page_title = (tree.findtext(".//title") or "").strip()
    page = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                       date_extraction_params=set_date_params(False)) or Document()
    body = page.text or _visible_text(tree)
    yield _record(
        where,
        limits,
        title=page.title or page_title or _title_from(body),
        body=body,
        published_at=_parse_date(found_date),
        source=page.sitename or "",
        url=page.url or "",
        author=page.author or "",
        language=page.language or tree.get("lang", ""),
    )


def _visible_text(tree) -> str:
    """What a reader would see, for pages where trafilatura finds no main text: never scripts or styles."""
    for element in tree.xpath(_INVISIBLE):
        element.drop_tree()
    for element in tree.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return tree.text_content()


TEXT_READERS = {"text": _read_text, "html": _read_html, "json": _read_json, "csv": _read_csv}
