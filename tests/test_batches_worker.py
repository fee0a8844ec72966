"""Batch searches on make run's worker and scheduler: a list runs in chunks to the end, a batch
whose message never reached the queue is taken up by the resumer, and a run interrupted by a
worker restart resumes where it stopped, searching no line twice. The test worker runs chunks of
5 lines at 30 a minute (tests/conftest.py)."""
import os
import signal
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from batches import lists, runs
from batches.models import Batch, Line

from .conftest import wait_until
from .test_following_worker import children, worker_main

pytestmark = pytest.mark.django_db(transaction=True)
NAMES = ["China", "OPEC", "Vladimir Putin", "oil", "Kremlin", "talks", "budget", "Russia", "grain", "museum"]


def upload(lines, name="reader"):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "a-long-pass-phrase")
    return runs.create(user, "list.txt", lists.read_list("list.txt", "\n".join(lines).encode()))


def finished(batch):
    return Batch.objects.filter(pk=batch.pk, status=Batch.Status.DONE).first()


@pytest.mark.slow
def test_the_worker_runs_a_list_in_chunks_to_the_end(worker, archive):
    batch = upload(NAMES + ["", "x" * 600])

    done = wait_until(lambda: finished(batch), timeout=90, message="the batch to finish")

    assert (done.done, done.runnable, done.total) == (10, 10, 12)
    assert dict(batch.lines.values_list("status").annotate(n=Count("id")).order_by()) == {"done": 10, "refused": 2}
    assert batch.lines.get(number=2).hits == 1
    assert len(set(batch.lines.filter(status="done").values_list("searched_at", flat=True))) == 2  # two chunks


def test_a_batch_whose_message_was_lost_is_taken_up_by_the_resumer(worker, archive):
    user = get_user_model().objects.create_user("lost", "lost@example.com", "a-long-pass-phrase")
    batch = Batch.objects.create(owner=user, name="lost", total=2, runnable=2, runs=1, status=Batch.Status.QUEUED)
    Line.objects.bulk_create([Line(batch=batch, number=1, query="China"), Line(batch=batch, number=2, query="OPEC")])
    Batch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - timedelta(minutes=5))  # sent_at: never

    done = wait_until(lambda: finished(batch), timeout=90, message="the resumer to run the batch")

    assert list(done.lines.values_list("hits", flat=True)) == [2, 1]


@pytest.mark.slow
def test_a_run_interrupted_by_a_worker_restart_resumes_where_it_stopped(worker, archive):
    batch = upload(NAMES * 4)  # 40 lines: 8 chunks, a chunk every 2 seconds
    wait_until(lambda: Batch.objects.get(pk=batch.pk).done >= 10, timeout=90, message="two chunks searched")

    main = worker_main(worker)
    for child in children(main):  # the pool process searching a chunk dies
        os.kill(child, signal.SIGKILL)
    before = dict(batch.lines.filter(status=Line.Status.DONE).values_list("number", "searched_at"))
    os.kill(main, signal.SIGTERM)  # and the worker restarts (supervisord starts it again)
    wait_until(lambda: (worker_main(worker) or main) != main and worker_main(worker), timeout=90,
               message="supervisord to restart the worker")
    done = wait_until(lambda: finished(batch), timeout=180, message="the batch to finish after the restart")

    assert 10 <= len(before) < 40
    after = dict(batch.lines.values_list("number", "searched_at"))
    assert {number: after[number] for number in before} == before  # no line searched before was searched again
    assert (done.done, batch.lines.filter(status=Line.Status.DONE).count()) == (40, 40)
