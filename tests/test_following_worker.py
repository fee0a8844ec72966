"""Alerts on the running stack: make run's worker and scheduler send them to a real SMTP server,
and a worker killed in the middle of sending, then restarted, never sends an article twice."""
import hashlib
import json
import os
import signal
from pathlib import Path

import pytest
from celery import current_app

from articles.models import Article
from articles.pipeline import queue_articles
from following import arrivals
from following.models import Digest

from .conftest import SHARED_DATA, wait_until
from .test_following_alerts import publish, reader, saved, smtp, smtp_sink, text_of  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def children(pid):
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def worker_main(supervisord):
    """The Celery worker's main process among supervisord's programs."""
    for pid in children(supervisord.pid):
        if b" worker " in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" "):
            return pid
    return None


def mentions(messages, title):
    return sum(text_of(message).count(title) for message in messages)


def test_the_scheduled_worker_mails_a_new_matching_article(worker, smtp, search_index):
    arrivals.start()
    saved(reader("scheduled"), "q=summit")

    publish("Summit opens in Vienna", "Leaders gather for the summit.")

    message = wait_until(lambda: smtp.to("scheduled@example.com"), timeout=60, message="the alert email")[0]
    assert "- *Summit* opens in Vienna" in text_of(message)  # the title, its searched word marked
    assert "Leaders gather for the *summit*." in text_of(message)


@pytest.mark.slow
def test_an_alert_is_never_sent_twice_when_the_worker_dies_mid_send_and_restarts(worker, smtp, search_index):
    arrivals.start()
    saved(reader("restart"), "q=summit")
    smtp.delay = 4  # the server has the message but holds its answer: the worker waits mid-exchange

    publish("Summit opens in Vienna", "Leaders gather for the summit.")
    assert smtp.receiving.wait(timeout=60), "the worker never started sending"
    main = worker_main(worker)
    for child in children(main):  # the pool process in the SMTP exchange dies
        os.kill(child, signal.SIGKILL)
    os.kill(main, signal.SIGTERM)  # and the worker restarts (supervisord starts it again)
    restarted = wait_until(lambda: (worker_main(worker) or main) != main and worker_main(worker),
                           timeout=90, message="supervisord to restart the worker")
    wait_until(lambda: children(restarted), timeout=90, message="the restarted worker's pool")
    smtp.delay = 0
    publish("Summit closes in Vienna", "Leaders leave the summit.")

    wait_until(lambda: mentions(smtp.to("restart@example.com"), "closes in Vienna"), timeout=90,
               message="the next alert after the restart")
    messages = smtp.to("restart@example.com")
    assert mentions(messages, "opens in Vienna") == 1
    assert len(messages) == 2
    first = Digest.objects.order_by("id").first()
    assert first.status in (Digest.Status.SENDING, Digest.Status.UNKNOWN)  # never "sent" a second time


def pending_reuters_articles(count):
    """`count` distinct Reuters train articles waiting for enrichment, not yet sent to the worker."""
    rows = {}
    with open(SHARED_DATA / "reuters21578" / "train.jsonl", encoding="utf-8") as source:
        for item in map(json.loads, source):
            title, body = item.get("title") or "Untitled", (item.get("text") or "").strip()
            content_hash = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()
            if body:
                rows[content_hash] = Article(title=title, body=body, source="Reuters", content_hash=content_hash)
            if len(rows) == count:
                break
    return [article.pk for article in Article.objects.bulk_create(rows.values())]


@pytest.mark.slow
def test_an_alert_is_not_held_behind_an_enrichment_backlog(worker, smtp, search_index):
    """The scheduler's runs have a queue of their own: while a minute of enrichment waits in the
    worker's queue, a new matching article is mailed within seconds."""
    arrivals.start()
    saved(reader("backlog"), "q=summit")
    backlog = pending_reuters_articles(3000)
    try:
        queue_articles(backlog)

        publish("Summit opens in Vienna", "Leaders gather for the summit.")

        wait_until(lambda: mentions(smtp.to("backlog@example.com"), "opens in Vienna"), timeout=30,
                   message="the alert email")
        still_pending = Article.objects.filter(pk__in=backlog, enrichment_status=Article.Enrichment.PENDING).count()
        assert still_pending > 0, "the email came only once the backlog was done"
    finally:  # the session's worker goes on to other tests: the rest of its backlog goes away
        current_app.control.purge()
        wait_until(worker_idle, timeout=60, message="the batches in progress to end")
        Article.objects.filter(pk__in=backlog).delete()
        current_app.control.purge()  # the index removals the deletion queued (the reconciler removes orphans)


def worker_idle():
    inspect = current_app.control.inspect(timeout=1)
    active, reserved = inspect.active() or {}, inspect.reserved() or {}
    return active and not any(active.values()) and not any(reserved.values())
