"""A search's whole result set as a streamed download: CSV or JSON Lines.

The rows come from `search.Export` (a point in time read page by page), are written a line
each and sent in chunks of about CHUNK bytes, so the response holds one chunk and the
export one page, whatever the count. `X-Total-Count` says how many rows the body will have:
a client can tell a complete download from one cut off (a connection lost, Elasticsearch
failing mid-stream after the 200 was sent).
"""
import csv
import io

import orjson
from django.http import StreamingHttpResponse

from articles import search
from articles.search.facets import CSV_COLUMNS

CHUNK = 64 * 1024  # bytes per write to the client; a write per row was a system call per row
CSV_TYPE = "text/csv; charset=utf-8"
JSON_LINES_TYPE = "application/jsonl"
TOTAL_HEADER = "X-Total-Count"


def export_response(request, lines, content_type, extension):
    """The search of `request` exported with `lines` (`csv_lines` or `json_lines`).

    The export's first page runs here, inside the view, so a bad query or an unavailable
    Elasticsearch is the view's error answer, not a broken download."""
    export = search.Export(search.parse_search_params(search.query_params(request)))
    rows = with_site_urls(export, request.build_absolute_uri("/"))
    response = StreamingHttpResponse(_Body(chunked(lines(rows)), export), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="newsarchive-search.{extension}"'
    response[TOTAL_HEADER] = str(export.total)
    return response


def with_site_urls(rows, site_url):
    """Rows whose `url` is absolute: an export is read away from the site."""
    site = site_url.rstrip("/")
    for row in rows:
        yield {**row, "url": site + row["url"]}


def csv_lines(rows):
    """CSV lines (bytes): a header, then one per article, cells made safe by `csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield _taken(buffer)
    for row in rows:
        writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
        yield _taken(buffer)


def _taken(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()


def json_lines(rows):
    """JSON Lines (bytes): one object per article, the CSV's fields with their JSON types
    (entities as lists of {id, label}, a missing date as null)."""
    for row in rows:
        yield orjson.dumps({column: row[column] for column in CSV_COLUMNS}) + b"\n"


def csv_cell(value):
    """Lists joined with "; " (entities by their labels), and text that a spreadsheet would
    run as a formula defused."""
    if isinstance(value, list):
        value = "; ".join(item["label"] if isinstance(item, dict) else item for item in value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def chunked(lines):
    """Byte lines joined into chunks of at least CHUNK bytes (the last one shorter)."""
    chunk, size = [], 0
    for line in lines:
        chunk.append(line)
        size += len(line)
        if size >= CHUNK:
            yield b"".join(chunk)
            chunk, size = [], 0
    if chunk:
        yield b"".join(chunk)


class _Body:
    """A streamed body that releases its export when the server closes the response.

    WSGI servers close a response when it was sent, when the client went away mid-stream
    and after a HEAD that never read it; Django's StreamingHttpResponse passes that close
    on to its content's `close`.
    """

    def __init__(self, chunks, export):
        self._chunks, self._export = chunks, export

    def __iter__(self):
        return self._chunks

    def close(self):
        self._chunks.close()
        self._export.close()
