"""Command-line behaviour that is not an import: extract_entities and sync_index."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Entity

from .conftest import SEED


def extract(lines, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    call_command("extract_entities", stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_extract_entities_adds_persons_countries_and_organizations(monkeypatch):
    title, body = SEED.read_text(encoding="utf-8").split("\n", 1)

    (item,) = extract([json.dumps({"id": 7, "title": title, "text": body})], monkeypatch)

    assert item["id"] == 7 and item["text"] == body  # the input comes back unchanged
    entities = item["entities"]
    assert {p["name"] for p in entities["persons"]} == {
        "Xi Jinping", "Vladimir Putin", "Li Qiang", "Joe Biden", "Wang Yi"
    }
    assert {"code": "RU", "name": "Russia"} in entities["countries"]
    assert "Reuters" in {o["name"] for o in entities["organizations"]}


@pytest.mark.django_db
def test_extract_entities_touches_neither_database_nor_index(monkeypatch):
    extract([json.dumps({"title": "Talks", "body": "Vladimir Putin met envoys in Moscow."})], monkeypatch)

    assert not Entity.objects.exists() and not Article.objects.exists()


def test_extract_entities_reports_invalid_lines_and_fails(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"title": "A", "body": "Fine."}\nnot json\n'))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError):
        call_command("extract_entities", stdout=out, stderr=err)

    assert len(out.getvalue().splitlines()) == 1
    assert "line 2" in err.getvalue()


@pytest.mark.django_db
def test_sync_index_indexes_stale_articles(search_index):
    article = Article.objects.create(title="Harbour", body="The harbour reopened.", content_hash="h",
                                     enrichment_status="enriched")

    out = io.StringIO()
    call_command("sync_index", stdout=out)

    article.refresh_from_db()
    assert article.indexed_at == article.updated_at
    assert out.getvalue().strip() == "1 article(s) indexed."
