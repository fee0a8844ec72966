"""Files, folders, streams and ZIP archives: what kind each is (by content and extension), how it
decodes, and which of its members are read (never extracted; bounded by the limits)."""
from __future__ import annotations

import io
import lzma
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from articles.ingest.readers.formats import _JSON_START, TEXT_READERS, _csv_delimiter, _decoded_lines, _read_json_lines
from articles.ingest.readers.records import (
    _WIDE_BOMS,
    DEFAULT_LIMITS,
    Limits,
    Problem,
    Record,
    _decode,
    _size,
    _too_large,
    _utf8_from_wide,
)

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


_HTML_MARKERS = re.compile(rb"<!doctype html|<html|<head|<body")


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
            yield from TEXT_READERS[kind](where, _decode(data), limits)


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
