"""The one way into the processing pipeline, and the reconciler that makes it converge.

Everything that creates work (the importer, the admin's upload page and actions, the
reconciler itself) calls `queue_articles` or `queue_import`. The database is the
source of truth: a row records when it was sent to the queue, which task works on it
and since when. Sending may fail (the broker is down) and a worker may die mid-task;
either way the rows stay behind, and the `reconcile` task, run periodically by the
scheduler and once at every worker start, finds them and sends them again
(`requeue_lost_articles` here; stalled uploads are ingest's). Tasks claim their
rows before working, so a message delivered twice never does the work twice.
"""
import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from articles.entities import BATCH_SIZE  # articles per task: one spaCy nlp.pipe batch
from articles.models import Article, ImportBatch

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # task starts per article before it is marked failed (a crash loop ends)
MAX_REQUEUED_PER_SWEEP = 20_000  # bounds one sweep; the next sweep takes the rest
UNSENT_GRACE = 60  # seconds after which a pending article never sent to the queue is sent
PROCESS_TASK = "articles.tasks.process_articles"
IMPORT_TASK = "articles.tasks.import_batch"
REMOVE_TASK = "articles.tasks.remove_from_index"
# Sending gives up fast when the broker is down: the reconciler sends the rows later.
SEND_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


# Database errors that pass (a lock held too long, a dropped connection): the task is retried.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


class BrokerUnavailable(Exception):
    """The task queue could not be reached; the work is stored and will be sent later."""


def send(task_name, *args):
    """Send a task (routed by settings.CELERY_TASK_ROUTES); raises BrokerUnavailable, fast."""
    try:
        current_app.send_task(task_name, args=args, retry_policy=SEND_RETRY_POLICY)
    except Exception as exc:  # kombu and redis-py raise several unrelated types for a lost broker
        raise BrokerUnavailable(str(exc) or type(exc).__name__) from exc


def queue_articles(article_ids):
    """Send the articles to the worker in batches; returns how many were sent.

    Never raises for an unreachable broker: what was not sent stays unqueued in the
    database and the reconciler sends it once the broker is back.
    """
    ids = list(dict.fromkeys(article_ids))
    sent = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        try:
            send(PROCESS_TASK, batch)
        except BrokerUnavailable as exc:
            logger.warning("Task queue unavailable (%s): %d article(s) wait for the reconciler",
                           exc, len(ids) - sent)
            break
        Article.objects.filter(id__in=batch).update(queued_at=timezone.now())
        sent += len(batch)
    return sent


def reindex(article_ids):
    """Mark the articles' index copies stale and, once the transaction commits, send them to the
    worker (which indexes them; they are not enriched again); returns how many."""
    ids = sorted(article_ids)
    if ids:
        Article.objects.filter(id__in=ids).update(updated_at=timezone.now())
        transaction.on_commit(lambda: queue_articles(ids))
    return len(ids)


def queue_import(batch):
    """Send an upload batch's import to the worker; False when the broker is down."""
    try:
        send(IMPORT_TASK, batch.pk)
    except BrokerUnavailable as exc:
        logger.warning("Task queue unavailable (%s): import %s waits for the reconciler", exc, batch.pk)
        return False
    ImportBatch.objects.filter(pk=batch.pk).update(queued_at=timezone.now())
    return True


def queue_index_removal(article_id):
    """Send the removal of a deleted article's index copy (logged if the broker is down)."""
    try:
        send(REMOVE_TASK, article_id)
    except BrokerUnavailable as exc:
        logger.error("Task queue unavailable (%s): article %s stays in the index until "
                     "`manage.py sync_index --rebuild`", exc, article_id)


def claim_articles(article_ids, claimant):
    """Take the pending articles among `article_ids` for task `claimant`; returns them.

    An article held by another live task is left alone; one held by a task past its
    lease (its worker died) is taken over; the same task id (a redelivered message)
    takes its own back. Articles that have exhausted MAX_ATTEMPTS are marked failed.
    """
    now = timezone.now()
    lease_expired = now - timedelta(seconds=settings.ENRICHMENT_LEASE)
    Article.objects.filter(id__in=article_ids, enrichment_status=Article.Enrichment.PENDING).filter(
        Q(claimed_by="") | Q(claimed_by=claimant) | Q(claimed_at__lt=lease_expired)
    ).update(claimed_by=claimant, claimed_at=now, enrichment_attempts=F("enrichment_attempts") + 1)
    claimed = Article.objects.filter(
        id__in=article_ids, claimed_by=claimant, enrichment_status=Article.Enrichment.PENDING
    )
    exhausted = list(claimed.filter(enrichment_attempts__gt=MAX_ATTEMPTS).values_list("id", flat=True))
    if exhausted:
        mark_failed(exhausted, f"gave up after {MAX_ATTEMPTS} attempts: the worker stopped while "
                               "processing it each time (too large or malformed?)")
    return claimed.exclude(id__in=exhausted)


def mark_failed(article_ids, reason):
    Article.objects.filter(id__in=article_ids).update(
        enrichment_status=Article.Enrichment.FAILED,
        enrichment_error=reason[:2000],
        claimed_by="",
        updated_at=timezone.now(),
    )


def claim_import(batch_id):
    """Take a batch for importing: a queued one, or a running one whose heartbeat stopped."""
    stalled = timezone.now() - timedelta(seconds=settings.RECONCILE_GRACE)
    return ImportBatch.objects.filter(pk=batch_id).filter(
        Q(status=ImportBatch.Status.QUEUED)
        | Q(status=ImportBatch.Status.RUNNING, updated_at__lt=stalled)
    ).update(status=ImportBatch.Status.RUNNING, updated_at=timezone.now()) == 1


def requeue_lost_articles():
    """Pending articles that never reached the queue, or whose task was lost.

    Lost means: never sent (for a minute), or sent longer than RECONCILE_GRACE ago, and not
    held by a live task. While
    the queue still has messages waiting, articles that were sent are assumed to be
    among them (a long import backlog is not lost work); only unsent ones are re-sent.
    """
    now = timezone.now()
    grace = now - timedelta(seconds=settings.RECONCILE_GRACE)
    lease_expired = now - timedelta(seconds=settings.ENRICHMENT_LEASE)
    # Unsent rows need no long wait: only the moment between commit and send is unsure.
    unsent_for = now - timedelta(seconds=min(settings.RECONCILE_GRACE, UNSENT_GRACE))
    never_sent = Q(queued_at__isnull=True, updated_at__lt=unsent_for)
    lost = never_sent if messages_waiting() else never_sent | Q(queued_at__lt=grace)
    ids = (
        Article.objects.filter(enrichment_status=Article.Enrichment.PENDING)
        .filter(Q(claimed_by="") | Q(claimed_at__lt=lease_expired))
        .filter(lost)
        .order_by("id")
        .values_list("id", flat=True)[:MAX_REQUEUED_PER_SWEEP]
    )
    ids = list(ids)
    if ids:
        logger.info("Reconciler: re-sending %d pending article(s)", len(ids))
    return queue_articles(ids)


def status():
    """Where the pipeline stands, from the database and the queue (for `pipeline_status`)."""
    by_status = dict(
        Article.objects.values_list("enrichment_status").annotate(n=Count("id")).order_by()
    )
    return {
        "articles": sum(by_status.values()),
        "enrichment": {choice: by_status.get(choice, 0) for choice in Article.Enrichment.values},
        "in_progress": Article.objects.filter(
            enrichment_status=Article.Enrichment.PENDING).exclude(claimed_by="").count(),
        "stale_in_index": Article.stale_in_index().count(),
        "refused_by_index": Article.objects.exclude(index_error="").count(),
        "imports_unfinished": ImportBatch.objects.filter(
            status__in=[ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING]).count(),
        "messages_waiting": messages_waiting(),
    }


def messages_waiting(queue=None):
    """How many messages wait in `queue` (the default queue when None; 0 if the broker cannot say)."""
    try:
        with current_app.connection_for_read() as connection:
            declared = connection.default_channel.queue_declare(
                queue=queue or current_app.conf.task_default_queue, passive=True
            )
            return declared.message_count
    except Exception:  # unknown: assume nothing waits, so lost work is not left behind
        return 0
