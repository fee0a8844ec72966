"""The export formats (articles/web/exports.py): CSV and JSON Lines rows from export rows, sent
in chunks (no service needed)."""
import csv
import io
import json

from articles.web.exports import CHUNK, chunked, csv_lines, json_lines, with_site_urls

ROW = {"id": 7, "title": "=SUM(A1)", "source": "Reuters", "published_at": None, "url": "/articles/7",
       "persons": [{"id": "p1", "label": "Xi Jinping"}], "countries": [{"id": "CN", "label": "China"},
                                                                     {"id": "US", "label": "United States"}],
       "organizations": [], "story": "s3"}


def test_csv_has_the_header_then_a_row_per_article_with_formulas_defused():
    text = b"".join(csv_lines(with_site_urls([ROW], "http://example.org/"))).decode()

    assert list(csv.reader(io.StringIO(text))) == [
        ["id", "title", "source", "published_at", "persons", "countries", "organizations", "story", "url"],
        ["7", "'=SUM(A1)", "Reuters", "", "Xi Jinping", "China; United States", "", "s3",
         "http://example.org/articles/7"],
    ]


def test_json_lines_keep_the_values_typed_and_the_text_as_it_is():
    (line,) = b"".join(json_lines(with_site_urls([ROW], "http://example.org/"))).splitlines()

    assert json.loads(line) == {**ROW, "url": "http://example.org/articles/7"}


def test_lines_are_sent_in_chunks_of_at_least_chunk_bytes_and_none_is_lost():
    per_chunk = -(-CHUNK // 1001)  # lines of 1,001 bytes until a chunk has CHUNK bytes
    lines = [b"x" * 1000 + b"\n"] * (3 * per_chunk + 2)

    chunks = list(chunked(lines))

    assert [len(chunk) for chunk in chunks] == [per_chunk * 1001] * 3 + [2 * 1001]
    assert b"".join(chunks) == b"".join(lines)
