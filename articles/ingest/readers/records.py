"""What the readers yield: a Record per article, a Problem per thing that could not be read, and the
limits that bound one upload."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import datetime

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


# ---- decoding and sizes, for files and the formats inside them ----------------------------


_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


_WIDE_BOMS = _UTF32_BOMS + (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


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


def decode_text(data: bytes) -> str | None:
    """An uploaded text file's text, as the readers decode it (UTF-16 or UTF-32 with a byte order
    mark, UTF-8 with or without one, else Windows-1252 or Latin-1); None for binary data (a NUL
    character, which no text file holds)."""
    if data.startswith(_WIDE_BOMS):
        data = _utf8_from_wide(data)
    return None if b"\0" in data else _decode(data)


def _size(count: int) -> str:
    """A byte count as people read it: "12.3 MB", "5 MB", "900 bytes"."""
    for unit, scale in (("MB", MB), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"


def _too_large(limit: int, size: int | None = None) -> str:
    shown = f"{_size(size)} > " if size is not None else "over the "
    return f"file too large ({shown}{_size(limit)} limit)"


def _utf8_from_wide(data: bytes) -> bytes:
    """UTF-16 or UTF-32 text with a byte order mark as UTF-8, so it is sniffed and read like any other."""
    # UTF-32 is checked first because its LE mark starts with the UTF-16 LE one.
    encoding = "utf-32" if data.startswith(_UTF32_BOMS) else "utf-16"
    return data.decode(encoding, errors="replace").encode("utf-8")
