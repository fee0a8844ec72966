"""The batch searches' tasks: a chunk of a batch's lines (queue "batches", at the worker's
BATCH_RATE_LIMIT), and the resumer (queue "periodic", with the reconciler, and at every worker
start). Idempotent: a chunk claims its batch first (runs.claim), so a duplicate does nothing."""
import logging

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from articles.search import UNAVAILABLE

from . import runs

logger = logging.getLogger(__name__)


@worker_ready.connect
def resume_at_start(sender, **kwargs):
    """A worker (re)started after a crash takes up the batches the crash stopped at once."""
    sender.app.send_task("batches.tasks.resume_batches")


@shared_task(bind=True, rate_limit=settings.BATCH_RATE_LIMIT, soft_time_limit=runs.CHUNK_TIME_LIMIT,
             time_limit=runs.CHUNK_TIME_LIMIT + 30, max_retries=None)
def run_chunk(self, batch_id, done):
    """Search the chunk of batch `batch_id` after its first `done` lines, then send the next."""
    batch = runs.claim(batch_id, done, self.request.id)
    if batch is None:
        return 0
    try:
        return runs.run_chunk(batch)
    except UNAVAILABLE as exc:
        runs.release(batch)
        logger.warning("Elasticsearch unavailable (%s): batch %s waits and tries again", exc, batch_id)
        raise self.retry(countdown=15) from None
    except BaseException:
        runs.release(batch)
        raise


@shared_task
def resume_batches():
    """Periodic, and at worker start: send again what a restart left without a running chunk."""
    resumed = runs.resume_stalled()
    if resumed:
        logger.info("Resumed %d batch search(es)", resumed)
    return resumed
