"""Celery tasks: enrich articles with entities, then keep the search index in step."""
import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.db.models import Q
from elastic_transport import ConnectionError as ESConnectionError
from elastic_transport import ConnectionTimeout

from . import enrichment, indexing, uploads
from .importing import run_import
from .models import Article, ImportBatch
from .nlp import get_nlp
from .readers import read_path

logger = logging.getLogger(__name__)
ES_UNAVAILABLE = (ESConnectionError, ConnectionTimeout)


@worker_process_init.connect
def load_nlp_model(**kwargs):
    """Load spaCy once per worker process at start, not inside the first task."""
    get_nlp()


# A database that is briefly unreachable is retried; anything else is recorded on the article.
RETRY_TRANSIENT = {"autoretry_for": enrichment.TRANSIENT_DB_ERRORS, "retry_backoff": 5, "max_retries": 5}


@shared_task(**RETRY_TRANSIENT)
def process_articles(article_ids):
    """Enrich the pending articles among `article_ids`, then index them all."""
    pending = Article.objects.filter(
        Q(batch__isnull=True) | Q(batch__enrich=True),
        id__in=article_ids,
        enrichment_status=Article.Enrichment.PENDING,
    )
    enrichment.enrich_articles(pending)
    _index_or_defer(Article.objects.filter(id__in=article_ids))


@shared_task(**RETRY_TRANSIENT)
def enrich_articles(article_ids):
    """Re-run enrichment for the given articles, whatever their status."""
    enrichment.enrich_articles(Article.objects.filter(id__in=article_ids))
    _index_or_defer(Article.objects.filter(id__in=article_ids))


@shared_task
def sync_search_index():
    """Periodic: index every article whose index copy is missing or stale."""
    try:
        count = indexing.sync_stale()
    except ES_UNAVAILABLE:
        logger.warning("Elasticsearch unavailable; index sync will retry")
        return 0
    if count:
        logger.info("Index sync: %d article(s) indexed", count)
    return count


@shared_task(bind=True, max_retries=5, default_retry_delay=10)
def remove_from_index(self, article_id):
    try:
        indexing.delete_from_index(article_id)
    except ES_UNAVAILABLE as exc:
        raise self.retry(exc=exc)


def _index_or_defer(queryset):
    try:
        indexing.index_articles(queryset)
    except ES_UNAVAILABLE:
        logger.warning("Elasticsearch unavailable; the periodic index sync will catch up")


@shared_task
def import_batch(batch_id):
    """Import the files staff uploaded for a batch, then delete the stored copies."""
    batch = ImportBatch.objects.get(pk=batch_id)
    files = uploads.uploaded_files(batch)
    batch.files_seen = len(files)
    batch.save(update_fields=["files_seen"])
    try:
        run_import((item for path in files for item in read_path(path)), batch)
    finally:
        uploads.remove_uploaded_files(batch)
