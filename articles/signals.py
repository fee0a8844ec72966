"""Queue a saved article for processing once its transaction has committed.

Saves inside one transaction are gathered and sent as a few batched tasks, so a
bulk import gets batched NLP rather than one task per article: every save
registers a flush, the first flush after the commit sends all gathered ids and
the others find nothing left. (Ids left by a rolled-back transaction go with the
next commit; processing an id again, or one that no longer exists, is harmless.)
"""
import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Article

logger = logging.getLogger(__name__)
TASK_BATCH_SIZE = 64
_pending = threading.local()


def _pending_ids():
    if not hasattr(_pending, "ids"):
        _pending.ids = []
    return _pending.ids


@receiver(post_save, sender=Article)
def queue_saved_article(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _pending_ids().append(instance.pk)
    transaction.on_commit(_flush)


@receiver(post_delete, sender=Article)
def queue_deleted_article(sender, instance, **kwargs):
    from .tasks import remove_from_index

    article_id = instance.pk
    transaction.on_commit(lambda: _send(remove_from_index, article_id))


def _flush():
    from .tasks import process_articles

    ids = list(dict.fromkeys(_pending_ids()))
    _pending_ids().clear()
    for start in range(0, len(ids), TASK_BATCH_SIZE):
        _send(process_articles, ids[start : start + TASK_BATCH_SIZE])


def _send(task, *args):
    """Queue a task; if the broker is down the periodic index sync catches up."""
    try:
        task.delay(*args)
    except Exception:  # kombu raises several unrelated types for an unreachable broker
        logger.exception("Could not queue %s%r; the periodic sync will catch up", task.name, args)
