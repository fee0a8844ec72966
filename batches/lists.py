"""A reader's list, as uploaded, read into the lines to search.

A plain-text file is one search per line. A CSV file (named .csv, or .tsv for tabs) has a
header row naming its columns: `query` and, optionally, the filters `date_from`, `date_to`
(YYYY-MM-DD), `source` and `country` (several values separated by ";"); without such a
header, the first cell of each row is its search. Text is decoded as the importer decodes
uploads: UTF-8 with or without a byte order mark, UTF-16 with one, else Windows-1252/Latin-1.

A file that cannot be a list (binary, too large, too many lines, empty) is refused whole
(`ListRefused`); a line that cannot be a search (empty, too long) is kept with its reason and
the others run. What the search itself refuses (a date that is no date) is found when the
line is searched. Nothing here touches the database.
"""
import csv
import io
from dataclasses import dataclass, field

from articles.ingest import decode_text
from articles.search import MAX_QUERY_LENGTH, MAX_VALUE_LENGTH

MAX_LINES = 10_000
MAX_BYTES = 10 * 1024 * 1024
QUERY = "query"
FILTERS = ("date_from", "date_to", "source", "country")
SEPARATOR = ";"  # between values of one filter cell
HEADER_NAMES = {"query": QUERY, "q": QUERY, **{name: name for name in FILTERS}}
STORED_LENGTH = 1000  # the longest cell kept, as written, for the results to show


class ListRefused(ValueError):
    """The file as a whole cannot be read as a list; the message says why, for the reader."""


@dataclass(frozen=True)
class ListLine:
    number: int  # the line (for CSV, the row's last line) in the file
    query: str
    date_from: str = ""
    date_to: str = ""
    source: str = ""
    country: str = ""
    error: str = ""  # why it cannot be searched; empty when it can

    def search_data(self):
        """The line as the search form's parameters: {name: [values]}."""
        data = {"q": [self.query]}
        for name in FILTERS:
            values = [value.strip() for value in getattr(self, name).split(SEPARATOR)]
            if any(values):
                data[name] = [value for value in values if value]
        return data


@dataclass
class ReadList:
    lines: list[ListLine]
    notes: list[str] = field(default_factory=list)  # about the file as a whole, not fatal


def read_list(name, data):
    """The lines of the uploaded file `name` holding `data` (bytes); raises ListRefused."""
    if len(data) > MAX_BYTES:
        raise ListRefused(f"The file is larger than {MAX_BYTES // 2**20} MB; a list of {MAX_LINES:,} searches "
                          "fits in far less. Split it into smaller lists.")
    text = decode_text(data)
    if text is None:
        raise ListRefused("This file is not text (it holds binary data). Upload a plain-text or CSV file, "
                          "one search per line.")
    text = text.rstrip()  # blank lines at the end are no lines
    if not text:
        raise ListRefused("The file is empty: there is nothing to search.")
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    return _read_csv(text, "\t" if suffix == "tsv" else None) if suffix in ("csv", "tsv") else _read_text(text)


def _too_many(count):
    return ListRefused(f"The file has {count:,} lines; a list holds at most {MAX_LINES:,}. "
                       "Split it into smaller lists.")


def _read_text(text):
    count = text.count("\n") + 1
    if count > MAX_LINES:
        raise _too_many(count)
    return ReadList([_line(number, {QUERY: line}) for number, line in enumerate(text.split("\n"), 1)])


def _read_csv(text, delimiter):
    first = text.split("\n", 1)[0]
    delimiter = delimiter or max(",;\t", key=first.count)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))  # the default (128 KiB) is below one long line
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows)
        names = [HEADER_NAMES.get(cell.strip().lower()) for cell in header]
        notes = []
        if QUERY in names:
            unread = [cell for cell, column in zip(header, names) if column is None and cell.strip()]
            if unread:
                notes.append(f"Columns not read: {', '.join(unread)} (the columns read are {QUERY}, "
                             f"{', '.join(FILTERS)}).")
            records = _numbered(rows)
            lines = [_line(number, dict(zip(names, row))) for number, row in records]
        else:
            records = [(1, header), *_numbered(rows, already=1)]
            if any(len([cell for cell in row if cell.strip()]) > 1 for _, row in records):
                notes.append(f"Only the first column was read: name the columns in a header row ({QUERY}, "
                             f"{', '.join(FILTERS)}) to filter each search.")
            lines = [_line(number, {QUERY: row[0] if row else ""}) for number, row in records]
    except csv.Error as error:
        raise ListRefused(f"Line {rows.line_num} is not valid CSV ({error}); nothing was read.") from None
    return ReadList(lines, notes)


def _numbered(rows, already=0):
    """(line number, row) of the rows left; refuses a file of more than MAX_LINES lines in all
    (`already` read before these)."""
    records = []
    for row in rows:
        records.append((rows.line_num, row))
        if already + len(records) > MAX_LINES:
            raise _too_many(already + len(records) + sum(1 for _ in rows))
    return records


def _line(number, cells):
    """A ListLine from `cells` ({column: text}), with the reason it cannot be searched, if any."""
    cells = {name: (cells.get(name) or "").strip() for name in (QUERY, *FILTERS)}
    error = ""
    if not any(cells.values()):
        error = "Empty line: nothing to search."
    elif not cells[QUERY]:
        error = "No query in this row: filters alone are not a search here."
    elif len(cells[QUERY]) > MAX_QUERY_LENGTH:
        error = (f"Longer than {MAX_QUERY_LENGTH} characters ({len(cells[QUERY]):,}): a line is one search; "
                 "shorten it.")
    else:
        error = next((f"{name} is longer than {MAX_VALUE_LENGTH} characters." for name in FILTERS
                      if len(cells[name]) > MAX_VALUE_LENGTH), "")
    return ListLine(number, **{name: _kept(value) for name, value in cells.items()}, error=error)


def _kept(text):
    return text if len(text) <= STORED_LENGTH else text[: STORED_LENGTH - 1] + "…"
