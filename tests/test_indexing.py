"""Indexing goes on past a document Elasticsearch refuses, and remembers the refusal."""
import pytest
from elasticsearch.dsl.connections import connections

from articles import indexing
from articles.documents import index_name
from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_that_refuses_text_sources(search_index):
    """An index whose `source` field holds numbers: a word there is refused (mapping drift)."""
    client = connections.get_connection()
    client.indices.delete(index=index_name())
    client.indices.create(index=index_name(), mappings={"properties": {"source": {"type": "long"}}})


def article(name, source):
    return Article.objects.create(title=name, body=f"{name} happened.", content_hash=name, source=source,
                                  enrichment_status="enriched")


def test_sync_indexes_the_documents_it_can_and_records_the_refused_one(index_that_refuses_text_sources):
    fine = [article("one", "1"), article("two", "2")]
    refused = article("three", "Reuters")

    assert indexing.sync_stale(refresh=True) == 2

    for row in fine:
        row.refresh_from_db()
        assert row.indexed_at == row.updated_at
    refused.refresh_from_db()
    assert refused.indexed_at is None
    assert refused.index_rejected_at == refused.updated_at
    assert "document_parsing_exception" in refused.index_error or "parse" in refused.index_error


def test_a_refused_version_is_not_sent_again_until_the_article_changes(index_that_refuses_text_sources):
    refused = article("three", "Reuters")
    indexing.sync_stale(refresh=True)

    assert indexing.sync_stale(refresh=True) == 0
    refused.source = "3"
    refused.save()
    assert indexing.sync_stale(refresh=True) == 1


def test_the_copy_of_an_article_deleted_while_its_removal_was_lost_is_removed(search_index):
    kept = article("kept", "Reuters")
    gone = article("gone", "Reuters")
    indexing.sync_stale(refresh=True)
    Article.objects.filter(pk=gone.pk).delete()  # its removal is never sent (no commit here)

    assert indexing.remove_orphans() == 1

    assert indexing.document_count() == 1
    assert indexing.remove_orphans() == 0
    assert connections.get_connection().exists(index=index_name(), id=kept.pk)


def test_a_deleted_article_leaves_the_index_and_deleting_twice_is_harmless(search_index):
    row = article("one", "1")
    indexing.sync_stale(refresh=True)

    indexing.delete_from_index(row.pk)
    indexing.delete_from_index(row.pk)

    assert indexing.document_count() == 0
