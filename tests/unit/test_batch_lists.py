"""Reading a reader's batch list: plain text and CSV, the encodings readers' files come in, and
hostile files refused whole or line by line (batches/lists.py; no service needed)."""
import pytest

from batches.lists import MAX_LINES, ListRefused, read_list


def queries(read):
    return [(line.number, line.query, line.error) for line in read.lines]


def test_a_text_file_is_one_search_per_line_and_a_bad_line_is_refused_alone():
    read = read_list("names.txt", b'Vladimir Putin\n\n  person:xi OPEC  \n' + b"x" * 501 + b'\n"oil prices"\n\n\n')
    assert [(number, query) for number, query, _ in queries(read)] == [
        (1, "Vladimir Putin"), (2, ""), (3, "person:xi OPEC"), (4, "x" * 501), (5, '"oil prices"')]
    errors = {number: error for number, _, error in queries(read) if error}
    assert errors == {2: "Empty line: nothing to search.",
                      4: "Longer than 500 characters (501): a line is one search; shorten it."}


def test_a_csv_header_names_the_query_and_filter_columns():
    text = "Query,Date_from,date_to,source,country,notes\nOil,1987-01-01,1987-12-31,Reuters,SA; US,x\n,,,,,\n"
    read = read_list("list.csv", text.encode())
    oil, empty = read.lines
    assert (oil.number, oil.search_data()) == (2, {
        "q": ["Oil"], "date_from": ["1987-01-01"], "date_to": ["1987-12-31"], "source": ["Reuters"],
        "country": ["SA", "US"]})
    assert (empty.number, empty.error) == (3, "Empty line: nothing to search.")
    assert read.notes == ["Columns not read: notes (the columns read are query, date_from, date_to, source, country)."]


def test_a_csv_row_with_filters_and_no_query_is_refused():
    (line,) = read_list("list.csv", b"query;country\n;RU\n").lines
    assert line.error == "No query in this row: filters alone are not a search here."


def test_without_a_header_the_first_column_is_the_search_and_the_rest_is_said_to_be_unread():
    read = read_list("list.csv", b'Gazprom,RU\n"Acme, Inc."\n')
    assert [(line.number, line.query) for line in read.lines] == [(1, "Gazprom"), (2, "Acme, Inc.")]
    assert read.notes and read.notes[0].startswith("Only the first column was read")


@pytest.mark.parametrize("data", [
    "\ufeffZürich\nSão Paulo".encode("utf-8"),
    "Zürich\r\nSão Paulo\r\n".encode("latin-1"),
    "Zürich\nSão Paulo".encode("utf-16"),
], ids=["utf-8 with BOM", "latin-1 with CRLF", "utf-16 with BOM"])
def test_readers_files_are_decoded_whatever_their_encoding(data):
    assert [line.query for line in read_list("places.txt", data).lines] == ["Zürich", "São Paulo"]


def test_formula_like_lines_are_searches_like_any_other():
    """Searched as words (the exports defuse them); "-" and "+" are the query language's own."""
    read = read_list("list.txt", b'=HYPERLINK("http://evil.example","x")\n+oil -gold\n@SUM(A1)\n')
    assert [(line.query, line.error) for line in read.lines] == [
        ('=HYPERLINK("http://evil.example","x")', ""), ("+oil -gold", ""), ("@SUM(A1)", "")]


@pytest.mark.parametrize("name, data, message", [
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This file is not text (it holds binary data)."),
    ("list.txt", "Gazprom\x00".encode("utf-16"), "This file is not text (it holds binary data)."),
    ("list.txt", b"\n \n\t\n", "The file is empty: there is nothing to search."),
    ("list.txt", b"name\n" * (MAX_LINES + 1), "The file has 10,001 lines; a list holds at most 10,000."),
    ("list.csv", b"query\n" + b"name\n" * (MAX_LINES + 1), "The file has 10,001 lines; a list holds at most 10,000."),
    ("list.txt", b"x" * (10 * 1024 * 1024 + 1), "The file is larger than 10 MB"),
])
def test_a_file_that_cannot_be_a_list_is_refused_whole_with_the_reason(name, data, message):
    with pytest.raises(ListRefused) as refused:
        read_list(name, data)
    assert str(refused.value).startswith(message)


def test_ten_thousand_lines_are_read():
    assert len(read_list("list.txt", b"name\n" * MAX_LINES).lines) == MAX_LINES


def test_a_very_long_cell_is_kept_cut_with_its_reason():
    (line,) = read_list("list.csv", b"query,source\nOPEC," + b"s" * 5000 + b"\n").lines
    assert line.error == "source is longer than 300 characters."
    assert len(line.source) == 1000 and line.source.endswith("…")
