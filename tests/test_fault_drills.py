"""Fault drills on the stack users run (`make run`: SQLite, supervisord, worker, scheduler).

Each drill breaks one part for real while work is under way, then waits until every
stored article is enriched and in the index exactly once. The recovery times printed
here are the ones docs/performance.md reports ("Failure drills").
"""
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from elasticsearch import Elasticsearch

from .conftest import ROOT, SEED, SHARED_DATA, wait_until
from .stack import AppStack, reuters_sample, stop_and_start

pytestmark = [pytest.mark.drill, pytest.mark.slow]

# Short reconciler periods, so a drill takes seconds rather than the production minutes.
DRILL_ENV = {"RECONCILE_INTERVAL": "2", "RECONCILE_GRACE": "8", "ENRICHMENT_TIME_LIMIT": "60"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    app = AppStack(tmp_path_factory.mktemp("make-run"), "drills", redis_db=11, extra_env=DRILL_ENV)
    app.start()
    yield app
    app.stop()


def index_ids(stack):
    """Document ids in the stack's index (a duplicate would show as a count mismatch)."""
    client = Elasticsearch(settings.ELASTICSEARCH_URL)
    client.indices.refresh(index=stack.index)
    hits = client.search(index=stack.index, size=10_000, source=False)["hits"]["hits"]
    return [hit["_id"] for hit in hits]


def assert_converged_once(stack, status):
    ids = index_ids(stack)
    assert len(ids) == len(set(ids)) == status["articles"]
    assert status["enrichment"]["failed"] == 0


def report(drill, seconds, since="the fault was repaired"):
    print(f"\n[drill] {drill}: converged {seconds:.0f} s after {since}")


def test_a_command_in_another_terminal_uses_the_runs_services_and_database(stack):
    """make run keeps its services' addresses and its database in .env: a manage.py command
    run without them in its environment queues work for this worker and searches this index."""
    run_settings = ["CELERY_BROKER_URL", "ELASTICSEARCH_URL", "DATABASE_URL", "ELASTICSEARCH_INDEX_PREFIX"]
    terminal = {name: value for name, value in os.environ.items() if name not in run_settings}
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", "from django.conf import settings as s; "
         "print(s.CELERY_BROKER_URL, s.ELASTICSEARCH_URL, s.DATABASES['default']['NAME'], s.ELASTICSEARCH_INDEX_PREFIX)"],
        cwd=ROOT, env=terminal, capture_output=True, text=True, check=True,
    ).stdout.split()

    assert shown == [stack.env["CELERY_BROKER_URL"], stack.env["ELASTICSEARCH_URL"], str(stack.database),
                     stack.env["ELASTICSEARCH_INDEX_PREFIX"]]


def test_readme_imports_run_while_the_worker_enriches_without_a_lock_error(stack):
    """The README's own workload on SQLite: two imports while two worker processes write."""
    seed = stack.manage("import_articles", SEED)
    bbc = stack.manage("import_articles", SHARED_DATA / "bbc")

    for result in (seed, bbc):
        assert "locked" not in result.stdout + result.stderr
    assert "0 failed" in bbc.stdout
    status, seconds = stack.wait_converged(timeout=300)
    assert_converged_once(stack, status)
    assert "database is locked" not in stack.log()
    report("README imports (seed + BBC) on SQLite", seconds, since="the imports ended")


def test_a_worker_process_killed_mid_batch_loses_nothing(stack, tmp_path):
    sample = reuters_sample(tmp_path, 600)
    stack.manage("import_articles", sample)
    wait_until(stack.batches_in_progress, timeout=60, interval=0.05, message="a batch to be in progress")

    for child in stack.worker_children():
        os.kill(child, signal.SIGKILL)

    status, seconds = stack.wait_converged(timeout=180)
    assert_converged_once(stack, status)
    assert "WorkerLostError" in stack.log()
    report("worker process SIGKILLed mid-batch", seconds)


def test_an_import_while_redis_is_stopped_is_enriched_once_redis_is_back(stack, tmp_path):
    sample = reuters_sample(tmp_path, 300, skip=600)
    start_redis = stop_and_start("redis")
    try:
        imported = stack.manage("import_articles", sample)
        assert " 0 failed" in imported.stdout  # stored although the queue is down
    finally:
        start_redis()
    repaired = time.monotonic()

    status, _ = stack.wait_converged(timeout=180)
    assert_converged_once(stack, status)
    report("Redis stopped during an import", time.monotonic() - repaired)


def test_elasticsearch_stopped_during_enrichment_catches_up_when_it_is_back(stack, tmp_path):
    sample = reuters_sample(tmp_path, 300, skip=900)
    start_elasticsearch = stop_and_start("elasticsearch")
    try:
        stack.manage("import_articles", sample)
        wait_until(lambda: stack.status()["enrichment"]["pending"] == 0, timeout=180, interval=2,
                   message="enrichment to finish while Elasticsearch is down")
        assert stack.status()["stale_in_index"] > 0
    finally:
        start_elasticsearch()
    repaired = time.monotonic()

    status, _ = stack.wait_converged(timeout=180)
    assert_converged_once(stack, status)
    report("Elasticsearch stopped during enrichment", time.monotonic() - repaired)


def test_the_periodic_sweep_survives_the_scheduler_being_killed(stack):
    before = stack.pid("scheduler")
    os.kill(before, signal.SIGKILL)
    killed = time.monotonic()
    wait_until(lambda: stack.supervisorctl("status", "scheduler").split()[1] == "RUNNING"
               and stack.pid("scheduler") != before, timeout=60, message="supervisord to restart the scheduler")
    restarted = time.monotonic() - killed

    # Lose every index copy behind the app's back: only the periodic sweep repairs that.
    assert stack.sql("UPDATE articles_article SET indexed_at = NULL RETURNING id")

    status, seconds = stack.wait_converged(timeout=120)
    assert_converged_once(stack, status)
    report(f"scheduler SIGKILLed (restarted in {restarted:.0f} s), then index copies lost", seconds)


def test_queued_work_survives_a_redis_restart(stack):
    """Append-only persistence: a message waiting in the queue is still there after a restart."""
    from kombu import Connection

    queue = "durability-check"
    with Connection(stack.env["CELERY_BROKER_URL"]) as connection:
        simple = connection.SimpleQueue(queue)
        simple.put({"article_ids": [1, 2, 3]})
        simple.close()
    time.sleep(1.5)  # appendfsync everysec
    stop_and_start("redis")()

    with Connection(stack.env["CELERY_BROKER_URL"]) as connection:
        simple = connection.SimpleQueue(queue)
        message = simple.get(timeout=5)
        message.ack()
        simple.close()
    assert message.payload == {"article_ids": [1, 2, 3]}
