"""Alerts on the running stack: make run's worker and scheduler send them to a real SMTP server,
and a worker killed in the middle of sending, then restarted, never sends an article twice."""
import os
import signal
from pathlib import Path

import pytest

from following import arrivals
from following.models import Digest

from .conftest import wait_until
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
    assert "Summit opens in Vienna" in text_of(message)


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

    wait_until(lambda: mentions(smtp.to("restart@example.com"), "Summit closes"), timeout=90,
               message="the next alert after the restart")
    messages = smtp.to("restart@example.com")
    assert mentions(messages, "Summit opens") == 1
    assert len(messages) == 2
    first = Digest.objects.order_by("id").first()
    assert first.status in (Digest.Status.SENDING, Digest.Status.UNKNOWN)  # never "sent" a second time
