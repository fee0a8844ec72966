"""Celery tasks: thin wrappers that run the pipeline's steps in the worker.

Reliability settings (newsarchive/settings.py): messages are acknowledged after the
task ends and given back to the queue when the worker process dies, so a killed
batch is redelivered; every task is idempotent (articles are claimed, batches too),
and `reconcile` re-sends anything lost all the same.
"""
import logging

from celery import shared_task
from celery.signals import worker_process_init, worker_ready
from django.conf import settings
from elastic_transport import ConnectionError as ESConnectionError
from elastic_transport import ConnectionTimeout

from articles import enrichment, indexing, pipeline
from articles.enrichment import resolution
from articles.enrichment.nlp import get_nlp
from articles.entities import warm_up
from articles.ingest import uploads
from articles.ingest.importing import run_import
from articles.ingest.readers import read_path
from articles.models import Article, ImportBatch

logger = logging.getLogger(__name__)
ES_UNAVAILABLE = (ESConnectionError, ConnectionTimeout)
# A database that is briefly unreachable is retried; anything else is recorded on the article.
RETRY_TRANSIENT = {"autoretry_for": pipeline.TRANSIENT_DB_ERRORS, "retry_backoff": 5, "max_retries": 5}


@worker_process_init.connect
def prepare_entity_extraction(**kwargs):
    """Load spaCy and the entity rules' tables once per worker process at start, not inside the first task."""
    warm_up(get_nlp())


@worker_ready.connect
def reconcile_at_start(sender, **kwargs):
    """A worker (re)starting after a crash picks up what the crash left behind at once."""
    sender.app.send_task("articles.tasks.reconcile")


@shared_task(bind=True, soft_time_limit=settings.ENRICHMENT_TIME_LIMIT,
             time_limit=settings.ENRICHMENT_TIME_LIMIT + 30, **RETRY_TRANSIENT)
def process_articles(self, article_ids):
    """Enrich the pending articles among `article_ids` that this task can claim, then
    index those whose index copy is stale."""
    enrichment.enrich_articles(pipeline.claim_articles(article_ids, self.request.id))
    _index_or_defer(Article.stale_in_index().filter(id__in=article_ids))


@shared_task
def reconcile():
    """Periodic, and at worker start: send again whatever a fault left behind (lost articles,
    stalled uploads), then catch the index up."""
    sent = {"articles": pipeline.requeue_lost_articles(), "imports": uploads.resume_stalled_imports()}
    try:
        sent["indexed"] = indexing.sync_stale()
        sent["orphans_removed"] = indexing.remove_orphans()
    except ES_UNAVAILABLE:
        logger.warning("Elasticsearch unavailable; the next sweep will index what is stale")
    if any(sent.values()):
        logger.info("Reconciled: %s", sent)
    return sent


@shared_task(soft_time_limit=settings.RESOLVE_LEASE - 60, time_limit=settings.RESOLVE_LEASE)
def resolve_entities():
    """Periodic: join the entities the archive's evidence shows are one (articles.enrichment.resolution)."""
    joined = resolution.resolve_new_mentions()
    if joined:
        logger.info("Resolved %s entities into others", joined)
    return joined


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
        logger.warning("Elasticsearch unavailable; the reconciler will index these later")


@shared_task(soft_time_limit=settings.IMPORT_TIME_LIMIT, time_limit=settings.IMPORT_TIME_LIMIT + 60,
             **RETRY_TRANSIENT)
def import_batch(batch_id):
    """Import the files staff uploaded for a batch, then delete the stored copies.

    Runs again from the start if a worker died part-way: what the first run stored is
    recognised, so nothing is stored twice and the counts restart from zero.
    """
    if not pipeline.claim_import(batch_id):
        return  # another delivery holds it, or it is finished
    batch = ImportBatch.objects.get(pk=batch_id)
    files = uploads.uploaded_files(batch)
    batch.restart(files_seen=len(files))
    try:
        run_import((item for path in files for item in read_path(path)), batch, resuming=True)
    finally:
        uploads.remove_uploaded_files(batch)
