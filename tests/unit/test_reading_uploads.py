"""Reading uploads into records: real corpora from ../shared/data and small hostile inputs."""
import io
import json
import zipfile
from datetime import datetime, timezone

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.ingest.readers import DEFAULT_LIMITS, Limits, Problem, Record, read_path, read_stream

from ..conftest import FIXTURES, SHARED_DATA

REUTERS = SHARED_DATA / "reuters21578" / "train.jsonl"
BBC_CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")


def records(results):
    return [item for item in results if isinstance(item, Record)]


def problems(results):
    return [item for item in results if isinstance(item, Problem)]


def write_zip(path, members, compression=zipfile.ZIP_DEFLATED):
    """members: {name: bytes}; names are written as given, hostile ones included."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def zip_bytes(members):
    buffer = io.BytesIO()
    write_zip(buffer, members)
    return buffer.getvalue()


class Unseekable(io.RawIOBase):
    """Stands in for standard input: readable once, no seeking."""

    def __init__(self, data):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def read(self, size=-1):
        return self._data.read(size)


@pytest.fixture(scope="module")
def reuters():
    """(raw items, read results) for the whole Reuters training file, read once."""
    raw = [json.loads(line) for line in REUTERS.read_text(encoding="utf-8").splitlines()]
    return raw, list(read_path(REUTERS))


# ---- plain text ----------------------------------------------------------------------------


def test_plain_text_title_is_the_first_line_and_body_the_rest():
    (record,) = read_path(SHARED_DATA / "seed" / "000_864237390d45e851.txt")
    assert record.title.startswith("Chinese President Xi Jinping may visit Moscow")
    assert record.body.startswith("(Bloomberg) — Chinese President")
    assert record.where == "000_864237390d45e851.txt"


def test_every_bbc_file_reads_as_exactly_one_record_with_title_and_body():
    for category in BBC_CATEGORIES:
        for path in sorted((SHARED_DATA / "bbc" / category).glob("*.txt")):
            results = list(read_path(path))
            assert len(results) == 1 and isinstance(results[0], Record), (path, results)
            assert results[0].title.strip() and results[0].body.strip(), path
    assert sum(len(list((SHARED_DATA / "bbc" / c).glob("*.txt"))) for c in BBC_CATEGORIES) == 2225


def test_latin1_bbc_file_decodes_its_pound_sign():
    (record,) = read_path(SHARED_DATA / "bbc" / "sport" / "199.txt")
    assert record.title == "Chelsea sack Mutu"
    assert "a £15.8m signing from Parma" in record.body


def test_windows_1252_smart_quotes_decode_to_the_right_characters():
    (record,) = read_path(FIXTURES / "windows1252.txt")
    assert record.title == "Minister’s “bold” plan for cafés"
    assert "– described as “bold” by supporters –" in record.body
    assert "£12m" in record.body and "naïve" in record.body and "…" in record.body


def test_utf8_byte_order_mark_does_not_reach_the_title(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHeadline\n\nBody text.".encode("utf-8"))
    (record,) = read_path(path)
    assert record.title == "Headline"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_files_with_a_byte_order_mark_are_read_not_refused_as_binary(tmp_path, encoding):
    (tmp_path / "wide.txt").write_bytes("\ufeffTitle\r\n\r\nBody with ünïcode €".encode(encoding))
    (record,) = read_path(tmp_path / "wide.txt")
    assert (record.title, record.body) == ("Title", "Body with ünïcode €")


def test_utf16_file_over_the_byte_limit_is_refused_like_any_other(tmp_path):
    (tmp_path / "big.txt").write_bytes(("Title\n" + "word " * 100).encode("utf-16"))
    (problem,) = read_path(tmp_path / "big.txt", Limits(max_file_bytes=100))
    assert problem.reason == "file too large (over the 100 bytes limit)"


def test_empty_file_is_a_problem(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert list(read_path(tmp_path / "empty.txt")) == [Problem("empty.txt", "empty file")]


def test_whitespace_only_file_is_an_empty_file(tmp_path):
    (tmp_path / "blank.txt").write_bytes(b" \r\n\t\n")
    assert list(read_path(tmp_path / "blank.txt")) == [Problem("blank.txt", "empty file")]


def test_binary_file_named_txt_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert list(read_path(tmp_path / "photo.txt")) == [Problem("photo.txt", "binary file, not text")]


def test_text_file_with_only_a_title_line_has_no_body(tmp_path):
    (tmp_path / "title.txt").write_text("Just a headline\n")
    assert list(read_path(tmp_path / "title.txt")) == [Problem("title.txt", "no body text")]


def test_article_over_the_character_limit_is_a_problem(tmp_path):
    (tmp_path / "huge.txt").write_text("Title\n" + "x" * DEFAULT_LIMITS.max_article_chars)
    (problem,) = read_path(tmp_path / "huge.txt")
    assert problem.reason == "article too large (1,000,005 characters > 1,000,000 limit)"


def test_file_over_the_byte_limit_is_refused_before_decoding(tmp_path):
    (tmp_path / "big.txt").write_text("Title\n" + "word " * 100)
    (problem,) = read_path(tmp_path / "big.txt", Limits(max_file_bytes=100))
    assert problem.reason.startswith("file too large (over the")


# ---- Reuters JSON Lines --------------------------------------------------------------------


def test_reuters_yields_one_result_per_line_with_problems_only_for_missing_body(reuters):
    raw, results = reuters
    assert len(results) == len(raw) == 15390
    assert {problem.reason for problem in problems(results)} == {"no body text"}
    assert len(problems(results)) == sum(1 for item in raw if not item.get("text"))


def test_reuters_records_carry_the_date_of_every_item_with_a_valid_date(reuters):
    raw, results = reuters
    by_where = {record.where: record for record in records(results)}
    checked = 0
    for number, item in enumerate(raw, 1):
        record = by_where.get(f"train.jsonl:{number}")
        if record and item["date"]:
            expected = datetime.fromisoformat(item["date"]).replace(tzinfo=timezone.utc)
            assert record.published_at == expected, number
            checked += 1
    assert checked == len(by_where) - 1  # the one malformed date is below


def test_reuters_malformed_date_is_unknown_not_now(reuters):
    raw, results = reuters
    number = next(n for n, item in enumerate(raw, 1) if item["date_raw"] == "31-MAR-1987 605:12:19.12")
    (record,) = [r for r in records(results) if r.where == f"train.jsonl:{number}"]
    assert record.published_at is None


def test_reuters_dateline_is_prepended_to_the_body(reuters):
    _, results = reuters
    first = records(results)[0]
    assert first.body.startswith("SALVADOR, Feb 26 - Showers continued throughout the week")


def test_reuters_editors_tags_are_kept_as_metadata_with_the_external_id(reuters):
    _, results = reuters
    first = records(results)[0]
    assert first.metadata["places"] == ["el-salvador", "usa", "uruguay"]
    assert first.metadata["topics"] == ["cocoa"]
    assert first.external_id == "1" and first.title == "BAHIA COCOA REVIEW"


def test_item_without_title_is_titled_by_its_opening_line(reuters):
    _, results = reuters
    (record,) = [r for r in records(results) if r.where == "train.jsonl:99"]
    assert record.title == "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26"


def test_derived_title_is_the_first_sentence_cut_to_about_120_characters():
    body = "word " * 60 + "end. Second sentence."
    (record,) = read_stream("x.json", io.BytesIO(json.dumps({"body": body}).encode()))
    assert len(record.title) <= 121 and record.title.endswith("…")
    assert not record.title.startswith(" ")


def test_invalid_json_lines_are_reported_with_line_numbers_and_reading_continues():
    results = list(read_path(FIXTURES / "bad_lines.jsonl"))
    assert [r.title for r in records(results)] == ["First", "Fourth"]
    reasons = {p.where: p.reason for p in problems(results)}
    assert reasons["bad_lines.jsonl:2"].startswith("line 2: invalid JSON (Expecting ',' delimiter")
    assert reasons["bad_lines.jsonl:4"].startswith("line 4: invalid JSON (Expecting value")
    assert reasons["bad_lines.jsonl:6"] == "not a JSON object"
    assert reasons["bad_lines.jsonl:7"] == "no body text"


def test_json_line_over_the_byte_limit_is_skipped_and_reading_continues():
    lines = [json.dumps({"title": "Long", "body": "x" * 500}), json.dumps({"title": "Ok", "body": "Fine."})]
    data = "\n".join(lines).encode()
    results = list(read_stream("a.jsonl", io.BytesIO(data), Limits(max_file_bytes=200)))
    assert results[0].where == "a.jsonl:1" and results[0].reason.startswith("line 1: file too large")
    assert results[1].title == "Ok"


def test_utf16_json_lines_file_gives_its_records(tmp_path):
    lines = [json.dumps({"title": "Première", "body": "Un."}), json.dumps({"title": "Second", "body": "Deux."})]
    (tmp_path / "wide.jsonl").write_bytes("\n".join(lines).encode("utf-16"))
    assert [(r.title, r.where) for r in read_path(tmp_path / "wide.jsonl")] == [
        ("Première", "wide.jsonl:1"),
        ("Second", "wide.jsonl:2"),
    ]


# ---- JSON and CSV --------------------------------------------------------------------------


def test_json_list_items_are_read_and_numbered():
    items = [{"title": "A", "body": "Body A."}, {"title": "B", "text": "Body B."}]
    results = list(read_stream("batch.json", io.BytesIO(json.dumps(items).encode())))
    assert [(r.title, r.body, r.where) for r in results] == [
        ("A", "Body A.", "batch.json#1"),
        ("B", "Body B.", "batch.json#2"),
    ]


def test_json_fields_map_onto_the_record():
    item = {"title": "T", "body": "B.", "published_at": "2023-03-14T09:30:00+01:00", "source": "Courier",
            "url": "https://example.org/t", "author": "Ada", "language": "en", "id": 42}
    (record,) = read_stream("one.json", io.BytesIO(json.dumps(item).encode()))
    assert record.published_at == datetime(2023, 3, 14, 8, 30, tzinfo=timezone.utc)
    assert (record.source, record.url, record.author, record.language, record.external_id) == (
        "Courier", "https://example.org/t", "Ada", "en", "42")


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2023-03-14", datetime(2023, 3, 14, tzinfo=timezone.utc)),
        ("14 March 2023 10:00", datetime(2023, 3, 14, 10, 0, tzinfo=timezone.utc)),
        ("Tue, 14 Mar 2023 10:00:00 -0500", datetime(2023, 3, 14, 15, 0, tzinfo=timezone.utc)),
        ("March 14", None),
        ("not a date", None),
        ("", None),
    ],
)
def test_dates_are_parsed_to_utc_or_left_unknown(written, expected):
    item = {"title": "T", "body": "B.", "date": written}
    (record,) = read_stream("d.json", io.BytesIO(json.dumps(item).encode()))
    assert record.published_at == expected


def test_json_that_does_not_parse_is_one_problem_with_its_line():
    (problem,) = read_stream("broken.json", io.BytesIO(b'[\n{"title": "A",\n "body": }\n]'))
    assert problem.reason.startswith("line 3: invalid JSON (Expecting value")


def test_deeply_nested_json_is_a_problem_not_a_crash():
    (problem,) = read_stream("deep.json", io.BytesIO(b"[" * 100_000 + b"]" * 100_000))
    assert "invalid JSON" in problem.reason


def test_csv_rows_read_with_sniffed_delimiter():
    results = list(read_path(FIXTURES / "articles.csv"))
    first, second = records(results)
    assert first.title == "Harbour reopens" and "Boats returned; the crew stood down." in first.body
    assert first.source == "Coastal Courier" and first.external_id == "a-1"
    assert second.published_at == datetime(2023, 3, 14, 10, 0, tzinfo=timezone.utc)
    assert [p.reason for p in problems(results)] == ["no body text"]


def test_csv_is_recognised_by_its_header_without_the_extension():
    data = b"title,text\nHello,World body.\n"
    (record,) = read_stream("export", io.BytesIO(data))
    assert (record.title, record.body) == ("Hello", "World body.")


# ---- HTML ----------------------------------------------------------------------------------


def test_html_page_gives_title_date_source_author_and_main_text():
    (record,) = read_path(FIXTURES / "hostile.html")
    assert record.title == "Harbour reopens after storm"
    assert record.published_at == datetime(2023, 3, 14, 8, 30, tzinfo=timezone.utc)
    assert (record.source, record.author, record.language) == ("Coastal Courier", "Ada Lovelace", "en")
    assert "The harbour at Porthleven reopened on Tuesday" in record.body


def test_html_body_never_contains_scripts_styles_or_event_handlers():
    (record,) = read_path(FIXTURES / "hostile.html")
    for hostile in ("<script", "onerror", "onload", "onclick", "alert(", "document.cookie", "evil.example", "<"):
        assert hostile not in record.body


def test_html_without_main_text_falls_back_to_visible_text():
    page = b"<p>Just a fragment of text.</p><script>steal()</script><style>p{}</style>"
    (record,) = read_stream("fragment.html", io.BytesIO(page))
    assert record.body.strip() == "Just a fragment of text."


def test_html_is_recognised_by_content_without_the_extension():
    page = (FIXTURES / "hostile.html").read_bytes()
    (record,) = read_stream("upload", io.BytesIO(page))
    assert record.source == "Coastal Courier"


# ---- ZIP archives --------------------------------------------------------------------------


def test_zip_members_are_read_with_their_folder_in_where(tmp_path):
    write_zip(tmp_path / "a.zip", {"news/one.txt": b"One\n\nFirst.", "news/two.json": b'{"title":"Two","body":"2."}'})
    assert [r.where for r in read_path(tmp_path / "a.zip")] == ["a.zip:news/one.txt", "a.zip:news/two.json"]


def test_zip_skips_os_junk_silently(tmp_path):
    write_zip(tmp_path / "mac.zip", {"__MACOSX/._a.txt": b"\x00\x05junk", "a/.DS_Store": b"\x00junk",
                                     "a/": b"", "a/story.txt": b"Story\n\nText."})
    assert [r.where for r in read_path(tmp_path / "mac.zip")] == ["mac.zip:a/story.txt"]


@pytest.mark.parametrize("name", ["../escape.txt", "a/../../escape.txt", "/etc/passwd", "C:/Windows/x.txt", "..\\x.txt"])
def test_zip_member_with_unsafe_path_is_skipped(tmp_path, name):
    write_zip(tmp_path / "evil.zip", {name: b"Title\n\nBody.", "ok.txt": b"Ok\n\nBody."})
    results = list(read_path(tmp_path / "evil.zip"))
    assert problems(results) == [Problem(f"evil.zip:{name}", "unsafe path (absolute or with '..'), skipped")]
    assert [r.title for r in records(results)] == ["Ok"]
    assert not (tmp_path.parent / "escape.txt").exists()


def test_truncated_zip_is_a_corrupt_zip_problem(tmp_path):
    data = zip_bytes({f"{n}.txt": f"Title {n}\n\nBody {n}.".encode() for n in range(20)})
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    (problem,) = read_path(tmp_path / "cut.zip")
    assert problem.where == "cut.zip" and problem.reason.startswith("corrupt zip: ")


def test_damaged_member_is_reported_and_the_others_read(tmp_path):
    data = bytearray(zip_bytes({"a.txt": b"A title\n\n" + b"Body words. " * 200, "b.txt": b"B\n\nBody."}))
    start = data.index(b"a.txt") + 5
    data[start + 10 : start + 40] = b"\xff" * 30  # garble the compressed stream of a.txt
    (tmp_path / "damaged.zip").write_bytes(bytes(data))
    results = list(read_path(tmp_path / "damaged.zip"))
    assert problems(results)[0].where == "damaged.zip:a.txt"
    assert problems(results)[0].reason.startswith("corrupt zip member")
    assert [r.title for r in records(results)] == ["B"]


def test_member_with_zip_bomb_compression_ratio_is_refused(tmp_path):
    write_zip(tmp_path / "bomb.zip", {"bomb.txt": b"Title\n\n" + b"a" * 2_000_000})
    (problem,) = read_path(tmp_path / "bomb.zip")
    assert problem.where == "bomb.zip:bomb.txt"
    assert "suspicious compression ratio" in problem.reason and "> 100:1 limit" in problem.reason


def test_member_over_the_size_limit_is_refused(tmp_path):
    write_zip(tmp_path / "big.zip", {"big.txt": b"Title\n\n" + b"Body. " * 500}, zipfile.ZIP_STORED)
    (problem,) = read_path(tmp_path / "big.zip", Limits(max_file_bytes=1000))
    assert problem.reason == "file too large (2.9 KB > 1000 bytes limit)"


def test_entries_beyond_the_limit_are_skipped_with_one_problem(tmp_path):
    write_zip(tmp_path / "many.zip", {f"{n}.txt": f"T{n}\n\nB.".encode() for n in range(5)})
    results = list(read_path(tmp_path / "many.zip", Limits(max_zip_entries=3)))
    assert len(records(results)) == 3
    assert [p.reason for p in problems(results)] == ["too many zip entries (over 3); the rest were skipped"]


def test_members_beyond_the_total_uncompressed_cap_are_refused(tmp_path):
    write_zip(tmp_path / "total.zip", {f"{n}.txt": b"T\n\n" + b"x" * 100 for n in range(3)}, zipfile.ZIP_STORED)
    results = list(read_path(tmp_path / "total.zip", Limits(max_zip_total_bytes=250)))
    assert len(records(results)) == 2
    assert problems(results)[0].reason.startswith("archive too large")


def test_zip_inside_a_zip_is_read_one_level_deep(tmp_path):
    inner = zip_bytes({"story.txt": b"Inner\n\nBody."})
    write_zip(tmp_path / "outer.zip", {"inner.zip": inner})
    (record,) = read_path(tmp_path / "outer.zip")
    assert record.where == "outer.zip:inner.zip:story.txt"


def test_zip_nested_two_levels_deep_is_refused(tmp_path):
    innermost = zip_bytes({"story.txt": b"Deep\n\nBody."})
    write_zip(tmp_path / "outer.zip", {"middle.zip": zip_bytes({"inner.zip": innermost})})
    (problem,) = read_path(tmp_path / "outer.zip")
    assert problem.where == "outer.zip:middle.zip:inner.zip"
    assert problem.reason.startswith("zip nested too deep")


def test_utf16_csv_member_of_a_zip_is_read(tmp_path):
    write_zip(tmp_path / "wide.zip", {"export.csv": "title,body\nCafé,Body text.\n".encode("utf-16")})
    (record,) = read_path(tmp_path / "wide.zip")
    assert (record.title, record.body, record.where) == ("Café", "Body text.", "wide.zip:export.csv:2")


def test_zip_from_an_unseekable_stream_is_read(tmp_path):
    data = zip_bytes({"a.txt": b"A\n\nBody."})
    (record,) = read_stream("upload.zip", Unseekable(data))
    assert record.where == "upload.zip:a.txt"


# ---- streams, uploads and folders ----------------------------------------------------------


def test_django_upload_is_read_by_name_and_content():
    upload = SimpleUploadedFile("story.txt", "Héadline\n\nBody text.".encode("utf-8"))
    (record,) = read_stream(upload.name, upload)
    assert (record.title, record.body, record.where) == ("Héadline", "Body text.", "story.txt")


def test_django_zip_upload_is_read_in_place():
    upload = SimpleUploadedFile("batch.zip", zip_bytes({"a.txt": b"A\n\nBody."}))
    (record,) = read_stream(upload.name, upload)
    assert record.where == "batch.zip:a.txt"


def test_standard_input_named_dash_is_read_as_json_lines():
    data = b'{"title": "A", "body": "One."}\n{"title": "B", "body": "Two."}\n'
    assert [r.where for r in read_stream("-", Unseekable(data))] == ["-:1", "-:2"]


def test_folder_is_read_recursively_in_sorted_order_without_junk(tmp_path):
    root = tmp_path / "upload"
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text("A\n\nBody.")
    (root / "b" / "c.txt").write_text("C\n\nBody.")
    (root / ".DS_Store").write_bytes(b"\x00junk")
    assert [r.where for r in read_path(root)] == ["upload/a.txt", "upload/b/c.txt"]


def test_missing_path_is_a_problem(tmp_path):
    (problem,) = read_path(tmp_path / "nope.txt")
    assert problem.reason == "no such file or folder"


def test_folder_link_to_a_file_outside_is_a_problem_and_never_read(tmp_path):
    (tmp_path / "secret.txt").write_text("Server secret\n\nroot:x:0:0")
    root = tmp_path / "upload"
    root.mkdir()
    (root / "a.txt").write_text("A\n\nBody.")
    (root / "passwd.txt").symlink_to(tmp_path / "secret.txt")
    results = list(read_path(root))
    assert problems(results) == [Problem("upload/passwd.txt", "symbolic link to a file outside the folder: skipped")]
    assert [(r.title, r.body) for r in records(results)] == [("A", "Body.")]


def test_folder_link_to_a_file_inside_the_folder_is_read(tmp_path):
    root = tmp_path / "upload"
    (root / "b").mkdir(parents=True)
    (root / "b" / "c.txt").write_text("C\n\nBody.")
    (root / "a.txt").symlink_to(root / "b" / "c.txt")
    assert [(r.title, r.where) for r in read_path(root)] == [("C", "upload/a.txt"), ("C", "upload/b/c.txt")]


def test_folder_link_to_another_folder_is_not_descended_into(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.txt").write_text("X\n\nBody.")
    root = tmp_path / "upload"
    root.mkdir()
    (root / "a.txt").write_text("A\n\nBody.")
    (root / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert [r.where for r in read_path(root)] == ["upload/a.txt"]
