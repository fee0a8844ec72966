"""Turn uploaded files into article records, reporting what cannot be read instead of failing.

Every reader yields `Record`s and `Problem`s: one bad line, member or file never stops an import.
Formats are told apart by content and extension: plain text (title on the first line), JSON,
JSON Lines, CSV, HTML pages, and ZIP archives of any of these (read in memory, never extracted).
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import lzma
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterable, Iterator

import htmldate
import trafilatura
from dateutil import parser as dateparser
from trafilatura.settings import Document, set_date_params

MB = 1024 * 1024


@dataclass
class Record:
    """One article as read, before cleaning."""

    title: str
    body: str
    published_at: datetime | None = None  # timezone-aware UTC when known; None means unknown
    source: str = ""
    url: str = ""
    author: str = ""
    language: str = ""
    external_id: str = ""
    metadata: dict = field(default_factory=dict)  # source metadata, e.g. Reuters editors' tags
    where: str = ""  # "file.zip:folder/a.txt" or "train.jsonl:123", for reports


@dataclass
class Problem:
    """Something that was skipped, and why, in words an uploader can act on."""

    where: str
    reason: str


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile or accidental upload from exhausting memory, disk or time."""

    max_article_chars: int = 1_000_000
    max_file_bytes: int = 100 * MB  # any one file or zip member read whole; also one JSON line
    max_zip_entries: int = 20_000  # across an upload, nested zips included
    max_zip_total_bytes: int = 500 * MB  # uncompressed, across an upload
    max_zip_ratio: float = 100.0  # uncompressed:compressed per member; more smells of a zip bomb
    max_nested_zips: int = 1  # zips inside zips are read this many levels deep


DEFAULT_LIMITS = Limits()

_SNIFF_BYTES = 64 * 1024
_JUNK_NAMES = {"__MACOSX", "Thumbs.db", "desktop.ini"}
_KINDS_BY_EXTENSION = {
    ".zip": "zip",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_WIDE_BOMS = _UTF32_BOMS + (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_HTML_MARKERS = re.compile(rb"<!doctype html|<html|<head|<body")
_JSON_START = re.compile(rb"\{|\[\s*\{")
_TAG_FIELDS = ("places", "people", "orgs", "topics", "exchanges")
_DATE_FIELDS = ("published_at", "date", "date_raw")
_NO_YEAR = datetime(1, 1, 1)  # dateutil fills missing parts from this; year 1 means "no year given"
_HTML_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_INVISIBLE = "//script|//style|//noscript|//template|//head|//svg|//iframe|//object|//embed"
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article",
               "section", "blockquote", "pre", "header", "footer", "table")
# What zipfile and its decompressors raise for damaged or unsupported data.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError,
               NotImplementedError, ValueError)


@dataclass
class _Budget:
    """What one upload has used so far, so that zips inside zips share the caps."""

    entries: int = 0
    bytes: int = 0


class _Reader(io.RawIOBase):
    """Adapts anything with read() (Django uploads, zip members, stdin) for buffered peek and readline."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# ---- entry points -------------------------------------------------------------------------


def read_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Record | Problem]:
    """Read a file, a zip, or a folder (recursively, in sorted order) from the local disk.

    Links to files outside the folder are reported, not read: an uploaded folder must not expose
    the server's own files (a link to /etc/passwd, say).
    """
    path = Path(path)
    if path.is_dir():
        inside = Path(os.path.realpath(path))
        for file in _files_under(path):
            where = file.relative_to(path.parent).as_posix()
            # realpath, unlike Path.resolve before Python 3.13, never raises on link loops; opening reports them.
            if Path(os.path.realpath(file)).is_relative_to(inside):
                yield from _read_file(file, where, limits)
            else:
                yield Problem(where, "symbolic link to a file outside the folder: skipped")
    elif path.is_file():
        yield from _read_file(path, path.name, limits)
    else:
        yield Problem(str(path), "no such file or folder")


def read_stream(name: str, stream: BinaryIO, limits: Limits = DEFAULT_LIMITS) -> Iterator[Record | Problem]:
    """Read an uploaded file object; name "-" means JSON Lines from standard input."""
    yield from _read_stream(name, stream, limits, _Budget(), depth=0)


def _files_under(folder: Path) -> Iterator[Path]:
    """Files below folder in sorted order, without OS junk.

    Linked folders are never descended into (os.walk's default), so only a file's own name can be a
    link; read_path checks where those lead.
    """
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_junk(d))
        for name in sorted(files):
            if not _is_junk(name):
                yield Path(root) / name


def _read_file(path: Path, where: str, limits: Limits) -> Iterator[Record | Problem]:
    try:
        with path.open("rb") as stream:
            yield from _read_stream(where, stream, limits, _Budget(), depth=0)
    except OSError as err:
        yield Problem(where, f"cannot read file ({err.strerror or err})")


def _read_stream(where: str, stream: BinaryIO, limits: Limits, budget: _Budget, depth: int):
    """Sniff the format from the first bytes, then hand over to the reader for it."""
    buffered = io.BufferedReader(_Reader(stream), buffer_size=_SNIFF_BYTES)
    head = buffered.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    if not head:
        yield Problem(where, "empty file")
        return
    kind = _sniff(where, head)
    if kind == "binary":
        yield Problem(where, "binary file, not text")
    elif kind == "zip":
        yield from _read_zip(where, stream, buffered, limits, budget, depth)
    elif kind == "jsonl":
        yield from _read_json_lines(where, _decoded_lines(buffered, limits.max_file_bytes), limits)
    else:
        data = buffered.read(limits.max_file_bytes + 1)
        if len(data) > limits.max_file_bytes:
            yield Problem(where, _too_large(limits.max_file_bytes))
        elif kind == "wide":
            yield from _read_stream(where, io.BytesIO(_utf8_from_wide(data)), limits, budget, depth)
        elif not data.strip():
            yield Problem(where, "empty file")
        else:
            yield from _TEXT_READERS[kind](where, _decode(data), limits)


def _sniff(where: str, head: bytes) -> str:
    """Which reader fits: explicit data extensions win, otherwise the content decides."""
    suffix = PurePosixPath(where).suffix.lower()
    if suffix == ".zip" or (head.startswith((b"PK\x03\x04", b"PK\x05\x06")) and not suffix):
        return "zip"
    if head.startswith(_WIDE_BOMS):
        return "wide"  # UTF-16 or UTF-32 text: its NUL bytes do not make it binary
    if b"\0" in head:
        return "binary"
    if where == "-":
        return "jsonl"
    if suffix in _KINDS_BY_EXTENSION:
        return _KINDS_BY_EXTENSION[suffix]
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _JSON_START.match(start):
        return "json"
    if start.startswith(b"<") and _HTML_MARKERS.search(start[:1024].lower()):
        return "html"
    if _csv_delimiter(_decode(start.split(b"\n", 1)[0])):
        return "csv"
    return "text"


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) when valid, else Windows-1252, the usual legacy news encoding.

    Latin-1 covers the five bytes Windows-1252 leaves unassigned. Newlines become "\\n".
    """
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf8_from_wide(data: bytes) -> bytes:
    """UTF-16 or UTF-32 text with a byte order mark as UTF-8, so it is sniffed and read like any other."""
    # UTF-32 is checked first because its LE mark starts with the UTF-16 LE one.
    encoding = "utf-32" if data.startswith(_UTF32_BOMS) else "utf-16"
    return data.decode(encoding, errors="replace").encode("utf-8")


def _too_large(limit: int, size: int | None = None) -> str:
    shown = f"{_size(size)} > " if size is not None else "over the "
    return f"file too large ({shown}{_size(limit)} limit)"


def _size(count: int) -> str:
    """A byte count as people read it: "12.3 MB", "5 MB", "900 bytes"."""
    for unit, scale in (("MB", MB), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


# ---- zip archives --------------------------------------------------------------------------


def _read_zip(where, stream, buffered, limits, budget, depth):
    """Read members straight from the archive; member names are never used as disk paths."""
    if depth > limits.max_nested_zips:
        yield Problem(where, f"zip nested too deep (only {limits.max_nested_zips} level of zips in zips is read)")
        return
    try:
        archive = zipfile.ZipFile(_seekable(stream, buffered, limits, depth))
    except _ZIP_ERRORS as err:
        yield Problem(where, f"corrupt zip: {err}")
        return
    with archive:
        if not archive.infolist():
            yield Problem(where, "empty zip")
        for info in archive.infolist():
            budget.entries += 1
            if budget.entries > limits.max_zip_entries:
                yield Problem(where, f"too many zip entries (over {limits.max_zip_entries:,}); the rest were skipped")
                return
            yield from _read_member(where, archive, info, limits, budget, depth)


def _seekable(stream, buffered, limits, depth):
    """A seekable view of the archive: the upload itself, or (for stdin and zips in zips) a copy in memory.

    Zips in zips are copied because seeking backwards in a zip member re-decompresses it from the start.
    """
    if depth == 0 and stream.seekable():
        stream.seek(0)
        return stream
    data = buffered.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise zipfile.BadZipFile(_too_large(limits.max_file_bytes))
    return io.BytesIO(data)


def _read_member(where, archive, info, limits, budget, depth):
    member = f"{where}:{info.filename}"
    if _is_unsafe(info.filename):
        yield Problem(member, "unsafe path (absolute or with '..'), skipped")
        return
    if info.is_dir() or _is_junk(info.filename):
        return
    reason = _member_refusal(info, limits, budget)
    if reason:
        yield Problem(member, reason)
        return
    budget.bytes += info.file_size
    try:
        with archive.open(info) as stream:
            yield from _read_stream(member, stream, limits, budget, depth + 1)
    except _ZIP_ERRORS as err:
        yield Problem(member, f"corrupt zip member: {err}")


def _member_refusal(info: zipfile.ZipInfo, limits: Limits, budget: _Budget) -> str:
    """Why a member must not be read, judged from the archive directory before decompressing."""
    ratio = info.file_size / max(info.compress_size, 1)
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "symbolic link, not a file"
    if info.flag_bits & 0x1:
        return "encrypted, cannot be read"
    if info.file_size > limits.max_file_bytes:
        return _too_large(limits.max_file_bytes, info.file_size)
    if budget.bytes + info.file_size > limits.max_zip_total_bytes:
        return f"archive too large (over {_size(limits.max_zip_total_bytes)} uncompressed in total)"
    if ratio > limits.max_zip_ratio:
        return f"suspicious compression ratio ({ratio:,.0f}:1 > {limits.max_zip_ratio:g}:1 limit, possible zip bomb)"
    return ""


def _is_unsafe(name: str) -> bool:
    """Absolute or parent-relative member names: harmless here, but a sign of a malicious archive."""
    posix = name.replace("\\", "/")
    return posix.startswith("/") or bool(re.match(r"[A-Za-z]:", posix)) or ".." in posix.split("/")


def _is_junk(name: str) -> bool:
    """OS and tool droppings (macOS resource forks, dotfiles, Explorer thumbnails) no one means to import."""
    parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".")]
    return any(part in _JUNK_NAMES or part.startswith(".") for part in parts)


# ---- JSON, JSON Lines and CSV ----------------------------------------------------------------


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


# ---- plain text and HTML -------------------------------------------------------------------


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


_TEXT_READERS = {"text": _read_text, "html": _read_html, "json": _read_json, "csv": _read_csv}


# ---- records -------------------------------------------------------------------------------


def _record(where: str, limits: Limits, *, title: str, body: str, **fields) -> Record | Problem:
    """A Record, or the Problem that keeps it out: no body, or too large to be one article."""
    if not body.strip():
        return Problem(where, "no body text")
    size = len(title) + len(body)
    if size > limits.max_article_chars:
        return Problem(where, f"article too large ({size:,} characters > {limits.max_article_chars:,} limit)")
    return Record(title=title, body=body, where=where, **fields)


def _title_from(body: str) -> str:
    """A stand-in title for items without one: the opening sentence, cut to about 120 characters."""
    opening = " ".join(re.split(r"\n\s*\n|\n(?=\s)", body.strip()[:1000], maxsplit=1)[0].split())
    sentence = re.match(r"(.{30,}?[.!?])\s+[\"“A-Z]", opening)
    title = sentence.group(1) if sentence else opening
    if len(title) <= 120:
        return title
    return title[:120].rsplit(" ", 1)[0] + "…"
