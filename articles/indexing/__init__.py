"""Indexing: the articles' search documents and the index's life (create, fill, rebuild behind
an alias, remove orphans). The rest of the project uses what this door exports."""
from articles.indexing.documents import LABEL_SEPARATOR, ArticleDocument, for_index, index_name
from articles.indexing.lifecycle import (
    BULK_CHUNK,
    REBUILD_THREADS,
    delete_from_index,
    delete_index,
    document_count,
    ensure_index,
    index_articles,
    index_is_current,
    physical_indices,
    rebuild_index,
    remove_orphans,
    sync_stale,
)

__all__ = [
    "ArticleDocument", "BULK_CHUNK", "LABEL_SEPARATOR", "REBUILD_THREADS", "delete_from_index", "delete_index",
    "document_count", "ensure_index", "for_index", "index_articles", "index_is_current", "index_name",
    "physical_indices",
    "rebuild_index", "remove_orphans", "sync_stale",
]
