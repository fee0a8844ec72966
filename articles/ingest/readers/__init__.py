"""Turn uploaded files into article records, reporting what cannot be read instead of failing.

Every reader yields `Record`s and `Problem`s: one bad line, member or file never stops an import.
Formats are told apart by content and extension: plain text (title on the first line), JSON,
JSON Lines, CSV, HTML pages, and ZIP archives of any of these (read in memory, never extracted).
"""
from articles.ingest.readers.files import read_path, read_stream
from articles.ingest.readers.records import DEFAULT_LIMITS, Limits, Problem, Record, decode_text

__all__ = ["DEFAULT_LIMITS", "Limits", "Problem", "Record", "decode_text", "read_path", "read_stream"]
