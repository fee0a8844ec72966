"""import_articles stores, de-duplicates and reports; real shared data, real database."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ImportBatch

from .conftest import FIXTURES, SEED, SHARED_DATA

pytestmark = pytest.mark.django_db


def import_(*paths, **options):
    out = io.StringIO()
    call_command("import_articles", *map(str, paths), stdout=out, stderr=io.StringIO(), verbosity=0, **options)
    return out.getvalue()


def test_seed_is_stored_clean_with_its_source_and_an_unknown_date():
    import_(SEED)

    article = Article.objects.get()
    assert article.title.startswith("Chinese President Xi Jinping may visit Moscow")
    assert article.source == "Bloomberg"
    assert article.published_at is None
    assert "Â" in article.original_body and "Â" not in article.body


def test_importing_the_same_file_twice_skips_the_duplicate_and_says_so():
    import_(SEED)
    summary = import_(SEED)

    assert Article.objects.count() == 1
    assert "0 created, 0 updated, 1 skipped" in summary


def test_batch_date_is_used_only_for_articles_without_a_date():
    import_(SEED, date="2023-03-13")

    assert Article.objects.get().published_at.date().isoformat() == "2023-03-13"


def test_same_url_with_new_text_updates_the_article_and_queues_enrichment(tmp_path):
    first = tmp_path / "a.json"
    first.write_text(json.dumps({"title": "Port strike", "body": "Dockers walked out.", "url": "https://example.com/a"}))
    import_(first)
    Article.objects.update(enrichment_status="enriched")
    first.write_text(json.dumps({"title": "Port strike ends", "body": "Dockers went back.", "url": "https://example.com/a"}))

    summary = import_(first)

    article = Article.objects.get()
    assert "1 updated" in summary
    assert (article.title, article.enrichment_status) == ("Port strike ends", "pending")


def test_failures_are_reported_and_exit_non_zero(tmp_path):
    bad = tmp_path / "items.jsonl"
    bad.write_text('{"title": "Fine", "body": "A good line."}\n{"title": broken\n')

    with pytest.raises(CommandError, match="1 item"):
        import_(bad)

    assert Article.objects.count() == 1
    batch = ImportBatch.objects.get()
    assert batch.failed == 1 and "line 2" in batch.problems[0]["where"] + batch.problems[0]["reason"]


def test_missing_path_is_a_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        import_("/nonexistent/file.txt")


def test_json_lines_on_stdin_keep_dates_and_editor_tags_as_metadata_only(monkeypatch):
    path = SHARED_DATA / "reuters21578" / "train.jsonl"
    first_items = "\n".join(path.read_text(encoding="utf-8").splitlines()[:20]).encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(first_items)))

    import_("-", no_enrich=True)

    article = Article.objects.get(external_id="1")
    assert article.published_at.isoformat() == "1987-02-26T15:01:01+00:00"
    assert article.body.startswith("SALVADOR, Feb 26 -")
    assert article.metadata["places"] == ["el-salvador", "usa", "uruguay"]
    assert not article.mentions.exists()  # editors' tags are never extracted entities


def test_reimporting_a_bbc_folder_creates_no_duplicates():
    folder = SHARED_DATA / "bbc" / "tech"
    files = len(list(folder.glob("*.txt")))
    import_(folder)
    stored = Article.objects.count()

    summary = import_(folder)

    assert Article.objects.count() == stored
    assert f"0 created, 0 updated, {files} skipped" in summary


def test_hostile_html_is_stored_as_text_and_shown_escaped(client, search_index):
    import_(FIXTURES / "hostile.html")

    article = Article.objects.get()
    assert (article.title, article.source) == ("Harbour reopens after storm", "Coastal Courier")
    assert "<script" not in article.body and "onerror" not in article.body
    page = client.get(f"/articles/{article.id}").content.decode()
    assert "The harbour at Porthleven reopened" in page
    assert "alert(" not in page and "evil.example" not in page


def test_reimport_after_cleaning_rules_change_updates_instead_of_duplicating():
    import_(SEED)
    Article.objects.update(body="Text as an older cleaning left it.", content_hash="older-cleaning")

    summary = import_(SEED)

    article = Article.objects.get()
    assert "0 created, 1 updated" in summary
    assert article.body.startswith("There was no immediate official confirmation")


def test_a_link_that_is_not_http_is_dropped_and_the_report_says_so(tmp_path):
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"title": "Cookie jar", "body": "A story.",
                                 "url": "javascript:alert(document.cookie)"}) + "\n")

    import_(items)

    assert Article.objects.get().url == ""
    (problem,) = ImportBatch.objects.get().problems
    assert problem["outcome"] == "created" and "only http(s) links" in problem["reason"]


def test_an_import_that_stops_says_why_and_how_many_items_it_did_not_store():
    from articles.ingest.importing import run_import
    from articles.ingest.readers import Record

    def records_then_a_broken_disk():
        for number in range(250):
            yield Record(where=f"item {number}", title=f"Story {number}", body=f"Text number {number}.")
        raise OSError("Input/output error")

    batch = run_import(records_then_a_broken_disk(), ImportBatch.objects.create())

    assert batch.status == "failed"
    assert (batch.created, batch.failed, Article.objects.count()) == (200, 50, 200)
    reason = batch.problems[-1]["reason"]
    assert "Input/output error" in reason and "50 item(s) were not imported" in reason


def test_source_and_author_are_cleaned_like_titles(tmp_path):
    record = {"title": "Harbour reopens", "body": "The harbour reopened on Monday.",
              "source": " Port\u00c2\u00a0 Weekly\x00 ", "author": "Jos\u00c3\u00a9\n  Mart\u00c3\u00adnez\x07"}
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")

    import_(path)

    article = Article.objects.get()
    assert (article.source, article.author) == ("Port Weekly", "José Martínez")
