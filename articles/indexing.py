"""Keeping Elasticsearch in step with the database.

The database is the source of truth. Every article row records, in `indexed_at`,
the `updated_at` of the copy that reached the index. A saved article is queued for
indexing after its transaction commits; if Elasticsearch (or the broker) is down
at that moment nothing is lost: the worker's periodic `sync_search_index` task
indexes every stale row once Elasticsearch answers again, and
`manage.py sync_index` does the same on demand.
"""
import logging

from elasticsearch import BadRequestError, helpers

from .documents import ArticleDocument
from .models import Article

logger = logging.getLogger(__name__)


def ensure_index():
    """Create the articles index with its mapping if it does not exist yet."""
    index = ArticleDocument._index
    if index.exists():
        return
    try:
        index.create()
    except BadRequestError as exc:
        if exc.error != "resource_already_exists_exception":  # another process won the race
            raise


def recreate_index():
    ArticleDocument._index.delete(ignore_unavailable=True)
    ensure_index()
    Article.objects.update(indexed_at=None)


def index_articles(queryset, refresh=False):
    """Index the given articles in bulk and mark the copies that reached the index.

    Returns how many were indexed. Raises the client's connection errors so the
    caller (a task) can retry later.
    """
    ensure_index()
    document = ArticleDocument()
    articles = list(queryset.prefetch_related("mentions__entity"))
    if not articles:
        return 0
    actions = (document._prepare_action(article, "index") for article in articles)
    helpers.bulk(document._get_connection(), actions, refresh=refresh, chunk_size=500)
    for article in articles:
        # Only mark the version we sent; a newer save stays stale and is re-indexed.
        Article.objects.filter(pk=article.pk, updated_at=article.updated_at).update(
            indexed_at=article.updated_at
        )
    return len(articles)


def delete_from_index(article_id):
    ArticleDocument._get_connection().delete(
        index=ArticleDocument._index._name, id=article_id, ignore_status=404
    )


def sync_stale(batch_size=500, refresh=False):
    """Index every article whose index copy is missing or stale; returns the count.

    Creates the index first, so an empty archive can be searched (and found empty).
    """
    ensure_index()
    total, last_id = 0, 0
    while True:
        stale = Article.stale_in_index().filter(id__gt=last_id).order_by("id")
        ids = list(stale.values_list("id", flat=True)[:batch_size])
        if not ids:
            return total
        total += index_articles(Article.objects.filter(id__in=ids), refresh=refresh)
        last_id = ids[-1]
