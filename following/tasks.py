"""The alerts task, run by the scheduler every ALERT_INTERVAL seconds.

Idempotent: matching records deliveries under a unique constraint and moves its mark in
the same transaction, and digests are claimed before they are sent, so a message
delivered twice (or a worker restarted mid-run) never announces an article twice.
"""
import logging

from celery import shared_task
from elastic_transport import ConnectionError as ESConnectionError
from elastic_transport import ConnectionTimeout

from . import alerts

logger = logging.getLogger(__name__)


@shared_task
def send_alerts():
    """Match what entered the index since the last run, then send the digests that are due."""
    try:
        matched = alerts.match_new_articles()
    except (ESConnectionError, ConnectionTimeout):
        logger.warning("Elasticsearch unavailable; new articles are matched on a later run")
        matched = 0
    sent = alerts.send_due_digests()
    if matched or sent:
        logger.info("Alerts: %d article(s) matched to readers, %d digest(s) sent", matched, sent)
    return {"matched": matched, "sent": sent}
