"""Batch search on the real database and Elasticsearch, its chunks run in this process (the
worker's own runs are in test_batches_worker.py): what each line finds, what is new on a second
run, the API and its downloads, hostile lists, and privacy."""
import csv
import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from articles.indexing import index_articles
from articles.models import Article, Story, Version
from batches import access, lists, runs
from batches.models import Batch, Line

from .archive import KREMLIN, OPEC, PUTIN, REAGAN, RUSSIA, XI, make_article, ref
from .contract import ContractClient

LIST = """Vladimir Putin
oil
person:"Ronald Reagan" budget
Russia
"talks
OPEC
"""


@pytest.fixture
def putin_elsewhere(archive):
    """An article that names Vladimir Putin without his name's words."""
    article = make_article("Kremlin statement", "The Russian president spoke to the nation.", "TASS",
                           date(2023, 4, 1), [(PUTIN, "the Russian president"), (RUSSIA, "Russian")])
    index_articles(Article.objects.filter(pk=article.pk), refresh=True)
    return article


def reader(name="reader"):
    return get_user_model().objects.create_user(name, f"{name}@example.com", "a-long-pass-phrase")


def signed_in(user):
    client = ContractClient()
    client.force_login(user)
    return client


def with_token(user):
    return ContractClient(HTTP_AUTHORIZATION=f"Bearer {access.api_token(user)}")


def run_to_the_end(batch):
    """The chunks, one after another, as the worker runs them."""
    while claimed := runs.claim(batch.pk, Batch.objects.get(pk=batch.pk).done, "test-task"):
        runs.run_chunk(claimed, size=2)
    return Batch.objects.get(pk=batch.pk)


def batch_of(user, text, name="list.txt"):
    return runs.create(user, name, lists.read_list(name, text.encode()))


def line(batch, number):
    return batch.lines.get(number=number)


def test_each_line_finds_its_articles_and_those_of_the_entity_it_names(putin_elsewhere):
    batch = run_to_the_end(batch_of(reader(), LIST))

    assert (batch.status, batch.done, batch.runnable) == ("done", 6, 6)
    putin = line(batch, 1)
    assert (putin.status, putin.hits, putin.first_seen, putin.last_seen) == ("done", 2, date(2023, 3, 20), date(2023, 4, 1))
    assert putin.named == [{"kind": "person", "id": ref(PUTIN), "label": "Vladimir Putin"}]
    assert sorted((item["name"], item["count"]) for item in putin.sources) == [("Bloomberg", 1), ("TASS", 1)]
    assert putin.entities[0] == {"kind": "country", "id": "RU", "label": "Russia", "count": 2}
    assert {item["label"] for item in putin.entities} <= {"Russia", "China", "Xi Jinping", "Kremlin"}
    assert putin.search_query == "q=Vladimir+Putin"
    assert [(n, line(batch, n).hits) for n in (2, 3, 4, 5, 6)] == [(2, 1), (3, 1), (4, 2), (5, 2), (6, 1)]
    assert line(batch, 4).named == [{"kind": "country", "id": "RU", "label": "Russia"}]
    assert line(batch, 6).named == [{"kind": "organization", "id": ref(OPEC), "label": "OPEC"}]
    assert line(batch, 3).search_query == f"q=budget&person={ref(REAGAN)}"


def test_a_line_counts_the_stories_its_articles_are_versions_of(putin_elsewhere, archive):
    story = Story.objects.create()
    for article in (archive["moscow"], putin_elsewhere):  # as if the statement were the visit's update
        Version.objects.create(article=article, story=story, signature=b"")
    index_articles(Article.objects.all(), refresh=True)

    batch = run_to_the_end(batch_of(reader(), "Vladimir Putin\nChina\n"))

    assert [(line(batch, n).hits, line(batch, n).stories) for n in (1, 2)] == [(2, 1), (2, 2)]


def test_a_line_named_by_an_alias_finds_the_entity_and_leaves_it_out_of_those_mentioned_with_it(archive):
    batch = run_to_the_end(batch_of(reader(), "Kremlin\nXi\n"))

    kremlin, xi = line(batch, 1), line(batch, 2)
    assert kremlin.named == [{"kind": "organization", "id": ref(KREMLIN), "label": "Kremlin"}]
    assert xi.named == [{"kind": "person", "id": ref(XI), "label": "Xi Jinping"}]  # "Xi" is how articles write him
    assert xi.hits == 2
    assert "Xi Jinping" not in {item["label"] for item in xi.entities}


def test_filter_columns_narrow_a_line_and_a_bad_value_refuses_that_line_alone(archive):
    text = "query,date_from,date_to,source,country\noil,1987-01-01,1987-12-31,Reuters,SA\nchina,1987-13-01,,,\n"
    batch = run_to_the_end(batch_of(reader(), text, "list.csv"))

    oil, bad = line(batch, 2), line(batch, 3)
    assert (oil.status, oil.hits) == ("done", 1)
    assert oil.search_query == "q=oil&country=SA&source=Reuters&date_from=1987-01-01&date_to=1987-12-31"
    assert (bad.status, bad.error, bad.hits) == ("refused", "date_from must be a date written YYYY-MM-DD.", None)
    assert batch.status == "done"
    only_bad = run_to_the_end(batch_of(reader("other"), "query,date_to\noil,yesterday\n", "list.csv"))
    assert (only_bad.status, line(only_bad, 2).error) == ("done", "date_to must be a date written YYYY-MM-DD.")


def test_running_again_counts_what_arrived_since_the_run_before(archive):
    batch = run_to_the_end(batch_of(reader(), "China\nOPEC\n"))
    assert (line(batch, 1).hits, line(batch, 1).new) == (2, None)

    article = make_article("China buys grain", "China bought grain.", "Reuters", date(1988, 1, 4), [])
    index_articles(Article.objects.filter(pk=article.pk), refresh=True)
    assert runs.run_again(batch)
    batch = run_to_the_end(batch)

    china, opec = line(batch, 1), line(batch, 2)
    assert (batch.runs, china.hits, china.previous_hits, china.new) == (2, 3, 2, 1)
    assert (opec.hits, opec.previous_hits, opec.new) == (1, 1, 0)


def test_a_duplicate_or_stale_message_searches_nothing(archive):
    batch = batch_of(reader(), "China\nOPEC\noil\n")
    assert runs.claim(batch.pk, 1, "stale") is None  # the batch has done 0 lines, not 1
    held = runs.claim(batch.pk, 0, "first")
    assert runs.claim(batch.pk, 0, "duplicate") is None  # held by a live task
    assert runs.claim(batch.pk, 0, "first") is not None  # the same task, redelivered, takes it back
    runs.run_chunk(held, size=2)
    assert runs.claim(batch.pk, 0, "first") is None  # the batch moved on
    assert Batch.objects.get(pk=batch.pk).done == 2


def test_the_resumer_sends_a_stalled_batch_again_and_leaves_a_held_one(archive, settings):
    settings.BATCH_STALL = 0
    stalled, held = batch_of(reader("a"), "China\n"), batch_of(reader("b"), "OPEC\n")
    runs.claim(held.pk, 0, "alive")
    Batch.objects.update(sent_at=None)

    assert runs.resume_stalled() == 1
    assert Batch.objects.get(pk=stalled.pk).sent_at is not None
    assert Batch.objects.get(pk=held.pk).sent_at is None


# ---- the API ------------------------------------------------------------------------------------

def upload(client, content, name="list.txt", **fields):
    return client.post("/api/batches", {"file": SimpleUploadedFile(name, content), **fields})


def test_a_script_creates_a_batch_with_the_token_and_reads_its_status_and_results(archive):
    user = reader()
    client = with_token(user)

    response = upload(client, b"China\n\nOPEC\n", name="watch.txt")

    assert response.status_code == 201
    status = response.json()
    assert response["Location"] == f"/api/batches/{status['id']}"
    assert {key: status[key] for key in ("name", "status", "lines", "runnable", "done", "refused", "runs")} == {
        "name": "watch.txt", "status": "queued", "lines": 3, "runnable": 2, "done": 0, "refused": 1, "runs": 1}
    run_to_the_end(Batch.objects.get(pk=status["id"]))
    assert client.get(f"/api/batches/{status['id']}").json()["status"] == "done"
    results = client.get(f"/api/batches/{status['id']}/results").json()
    assert [(item["line"], item["status"], item["hits"]) for item in results["lines"]] == [
        (1, "done", 2), (2, "refused", None), (3, "done", 1)]
    assert results["lines"][1]["error"] == "Empty line: nothing to search."
    assert [batch["id"] for batch in client.get("/api/batches").json()["batches"]] == [status["id"]]


def test_the_downloads_defuse_cells_a_spreadsheet_would_run(archive):
    user = reader()
    batch = run_to_the_end(batch_of(user, '=HYPERLINK("http://evil.example","click")\nOPEC\n@SUM(A1)\x0c\n'))
    client = with_token(user)

    rows = list(csv.reader(io.StringIO(client.get(f"/api/batches/{batch.pk}/results.csv").content.decode())))
    assert rows[0][:3] == ["line", "query", "date_from"]
    assert rows[1][1] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert rows[2][1] == "OPEC" and rows[2][8] == "1"
    assert rows[2][-1] == "http://testserver/?q=OPEC"

    response = client.get(f"/api/batches/{batch.pk}/results.xlsx")
    assert response["Content-Disposition"] == f'attachment; filename="batch-{batch.pk}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    formula, opec, at = (sheet.cell(row=n, column=2) for n in (2, 3, 4))
    assert (formula.value, formula.data_type) == ("'=HYPERLINK(\"http://evil.example\",\"click\")", "s")
    assert (at.value, at.data_type) == ("'@SUM(A1)", "s")  # the form feed XLSX cannot hold is dropped
    assert (opec.value, sheet.cell(row=3, column=9).value) == ("OPEC", 1)


@pytest.mark.parametrize("name, content, message", [
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "This file is not text"),
    ("list.txt", b"Gazprom\n" * 10_001, "The file has 10,001 lines; a list holds at most 10,000."),
    ("list.txt", b"\n\n\n", "The file is empty"),
    ("list.csv", b'query\n"unclosed\x00', "This file is not text"),
])
def test_a_hostile_file_is_refused_whole_with_a_clear_problem(db, name, content, message):
    response = upload(with_token(reader()), content, name=name)

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "file"
    assert response.json()["detail"].startswith(message)
    assert not Batch.objects.exists()


def test_empty_and_very_long_lines_are_refused_one_by_one_and_the_rest_run(db):
    response = upload(with_token(reader()), b"OPEC\n\n" + b"y" * 100_000 + b"\n   \nChina\n")

    assert response.status_code == 201
    batch = Batch.objects.get()
    assert [(item.number, item.status, item.error[:24]) for item in batch.lines.all()] == [
        (1, "pending", ""), (2, "refused", "Empty line: nothing to s"), (3, "refused", "Longer than 500 characte"),
        (4, "refused", "Empty line: nothing to s"), (5, "pending", "")]
    assert len(batch.lines.get(number=3).query) == lists.STORED_LENGTH


def test_no_file_a_bad_name_no_reader_a_forged_token_or_a_forgotten_csrf_token_is_refused(db):
    user = reader()
    assert with_token(user).post("/api/batches", {"name": "nothing"}).status_code == 400
    for bad_name in ("a\x00b", "n" * 201):
        response = with_token(user).post("/api/batches", {"file": SimpleUploadedFile("list.txt", b"OPEC"), "name": bad_name})
        assert (response.status_code, response.json()["errors"][0]["parameter"]) == (400, "name")
    assert upload(ContractClient(), b"OPEC\n").status_code == 401
    forged = ContractClient(HTTP_AUTHORIZATION=f"Bearer {user.pk}-{'0' * 32}")
    assert forged.get("/api/batches").status_code == 401
    browser = ContractClient(enforce_csrf_checks=True)
    browser.force_login(user)
    assert upload(browser, b"OPEC\n").status_code == 403
    assert not Batch.objects.exists()


def test_another_reader_sees_nothing_of_a_batch(archive):
    owner, other = reader("owner"), reader("other")
    batch = batch_of(owner, "OPEC\n")
    for client in (with_token(other), signed_in(other)):
        for path in ("", "/results", "/results.csv", "/results.xlsx"):
            assert client.get(f"/api/batches/{batch.pk}{path}").status_code == 404
        assert client.get("/api/batches").json() == {"batches": []}
    page = Client()
    page.force_login(other)
    assert page.get(f"/batches/{batch.pk}/").status_code == 404
    assert page.post(f"/batches/{batch.pk}/run").status_code == 404
    assert page.post(f"/batches/{batch.pk}/delete").status_code == 404
    assert Batch.objects.filter(pk=batch.pk).exists()


def test_a_changed_password_revokes_the_token(db):
    user = reader()
    client = with_token(user)
    user.set_password("another-long-pass-phrase")
    user.save()
    assert client.get("/api/batches").status_code == 401


# ---- the pages ------------------------------------------------------------------------------------

def test_the_page_uploads_a_list_and_shows_each_lines_results_sorted(archive):
    user = reader()
    page = Client()
    page.force_login(user)

    response = page.post("/batches/", {"file": SimpleUploadedFile("names.txt", b"China\nOPEC\nnothing-matches\n")})
    batch = Batch.objects.get()
    assert response["Location"] == f"/batches/{batch.pk}/"
    run_to_the_end(batch)
    html = page.get(f"/batches/{batch.pk}/?sort=hits&order=desc").content.decode()

    assert "Done: 3 of 3 lines searched." in html
    assert html.index('<a href="/?q=China">China</a>') < html.index('<a href="/?q=OPEC">OPEC</a>')
    assert '<th scope="col" aria-sort="descending"><a href="?sort=hits&amp;order=asc">Articles</a></th>' in html


def test_a_hostile_upload_on_the_page_is_a_400_with_the_reason(db):
    page = Client()
    page.force_login(reader())

    response = page.post("/batches/", {"file": SimpleUploadedFile("x.bin", b"\x00\x01\x02")})

    assert response.status_code == 400
    assert "This file is not text (it holds binary data)." in response.content.decode()
    assert not Batch.objects.exists()


def test_batch_pages_are_for_signed_in_readers(db):
    assert Client().get("/batches/")["Location"] == "/accounts/login/?next=/batches/"


def test_run_again_is_refused_while_a_run_is_going(archive):
    batch = batch_of(reader(), "China\n")
    assert not runs.run_again(batch)
    assert Line.objects.get().status == "pending"
