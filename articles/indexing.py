"""Keeping Elasticsearch in step with the database.

The database is the source of truth. Every article row records, in `indexed_at`,
the `updated_at` of the copy that reached the index. The processing task indexes
its articles; if Elasticsearch (or the broker) is down at that moment nothing is
lost: the periodic `reconcile` task indexes every stale row once Elasticsearch
answers again, and `manage.py sync_index` does the same on demand.
"""
import logging

from elasticsearch import BadRequestError, helpers
from elasticsearch.dsl.connections import connections

from .documents import ArticleDocument, index_name
from .models import Article

logger = logging.getLogger(__name__)


def ensure_index():
    """Create the articles index with its mapping if it does not exist yet."""
    if connections.get_connection().indices.exists(index=index_name()):
        return
    try:
        ArticleDocument.init()
    except BadRequestError as exc:
        if exc.error != "resource_already_exists_exception":  # another process won the race
            raise


def recreate_index():
    connections.get_connection().indices.delete(index=index_name(), ignore_unavailable=True)
    ensure_index()
    Article.objects.update(indexed_at=None)


def index_articles(queryset, refresh=False):
    """Index the given articles in bulk and mark the copies that reached the index.

    Returns how many were indexed. A document Elasticsearch refuses is recorded on its
    article (and not retried until the article changes); the others go in. Raises the
    client's connection errors so the caller (a task) can retry later.
    """
    ensure_index()
    articles = list(queryset.with_mentions())
    if not articles:
        return 0
    _, errors = ArticleDocument().update(articles, refresh=refresh, raise_on_error=False, chunk_size=500)
    rejected = {str(item_id): reason for item_id, reason in map(_rejection, errors)}
    for article in articles:
        # Only mark the version we sent; a newer save stays stale and is indexed again.
        version = Article.objects.filter(pk=article.pk, updated_at=article.updated_at)
        if str(article.pk) in rejected:
            logger.error("Elasticsearch refused article %s: %s", article.pk, rejected[str(article.pk)])
            version.update(index_rejected_at=article.updated_at, index_error=rejected[str(article.pk)][:2000])
        else:
            version.update(indexed_at=article.updated_at, index_error="")
    return len(articles) - len(rejected)


def _rejection(error):
    """(document id, reason) from one failed item of a bulk response."""
    (item,) = error.values()
    reason = item.get("error", {})
    if isinstance(reason, dict):
        reason = f"{reason.get('type', 'error')}: {reason.get('reason', '')}"
    return item.get("_id"), str(reason)


def delete_from_index(article_id):
    connections.get_connection().options(ignore_status=404).delete(index=index_name(), id=article_id)


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


def document_count():
    """Documents in the index, as a search sees them after a refresh."""
    ensure_index()
    client = connections.get_connection()
    client.indices.refresh(index=index_name())
    return client.count(index=index_name())["count"]


def remove_orphans():
    """Delete index copies of articles no longer in the database; returns how many.

    A deletion sends the removal of its copy to the worker; if that message is lost
    (broker down), the copy would stay searchable for ever. The ids are scanned only
    when the index holds more documents than the database has indexed articles.
    """
    if document_count() <= Article.objects.filter(indexed_at__isnull=False).count():
        return 0
    client = connections.get_connection()
    in_index = {int(hit["_id"]) for hit in helpers.scan(client, index=index_name(), _source=False)}
    orphans = in_index - set(Article.objects.values_list("id", flat=True))
    actions = ({"_op_type": "delete", "_index": index_name(), "_id": article_id} for article_id in orphans)
    helpers.bulk(client, actions, raise_on_error=False)
    return len(orphans)
