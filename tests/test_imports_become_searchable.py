"""End to end through a real worker and a real Elasticsearch: import -> enrich -> index -> search."""
import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article

from .conftest import SEED, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def search(q):
    return Client().get("/api/search", {"q": q}).json()


def test_imported_seed_becomes_searchable_through_the_worker(worker, search_index):
    call_command("import_articles", str(SEED), verbosity=0)

    result = wait_until(lambda: search("Kremlin")["total"] == 1 and search("Kremlin"), timeout=90,
                        message="the seed to be indexed")
    article = Article.objects.get()
    assert result["hits"][0]["id"] == article.id
    assert article.enrichment_status == Article.Enrichment.ENRICHED
    assert "Kremlin" in Client().get("/", {"q": "Kremlin"}).content.decode()


@pytest.mark.slow
def test_article_imported_while_elasticsearch_is_stopped_is_indexed_when_it_is_back(
    worker, search_index, stopped_elasticsearch
):
    call_command("import_articles", str(SEED), verbosity=0)

    article = Article.objects.get()  # stored although Elasticsearch is down
    wait_until(lambda: Article.objects.filter(enrichment_status="enriched").exists(), timeout=90,
               message="the worker to enrich the article")
    article.refresh_from_db()
    assert article.indexed_at is None

    start_elasticsearch = stopped_elasticsearch
    start_elasticsearch()
    wait_until(lambda: search("Kremlin")["total"] == 1, timeout=60,
               message="the periodic sync to index the article")
    article.refresh_from_db()
    assert article.indexed_at == article.updated_at
