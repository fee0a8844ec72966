"""The reconciler sends again what a fault left behind, and tasks claim before they work."""
from datetime import timedelta

import pytest
from celery import current_app
from django.conf import settings
from django.utils import timezone

from articles import pipeline
from articles.ingest import uploads
from articles.models import Article, ImportBatch

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(hours=1)


@pytest.fixture(autouse=True)
def empty_queue():
    """No message waits in the test queue, so lost work is recognised as lost."""
    current_app.control.purge()


def article(name, **fields):
    return Article.objects.create(title=name, body=f"{name} happened.", content_hash=name, **fields)


def age(row, **fields):
    """Set timestamps directly (update() leaves auto_now alone)."""
    type(row).objects.filter(pk=row.pk).update(**fields)
    row.refresh_from_db()


def sent_again(row, before):
    row.refresh_from_db()
    return row.queued_at is not None and row.queued_at != before


def test_an_article_that_never_reached_the_queue_is_sent():
    lost = article("lost")
    age(lost, updated_at=LONG_AGO, queued_at=None)

    pipeline.requeue_lost_articles()

    assert sent_again(lost, None)


def test_an_article_saved_a_moment_ago_is_left_to_its_own_send():
    just_saved = article("just saved")

    pipeline.requeue_lost_articles()

    just_saved.refresh_from_db()
    assert just_saved.queued_at is None


def test_an_article_sent_long_ago_and_never_claimed_is_sent_again():
    lost = article("lost")
    age(lost, updated_at=LONG_AGO, queued_at=LONG_AGO)

    pipeline.requeue_lost_articles()

    assert sent_again(lost, LONG_AGO)


def test_an_article_sent_within_the_grace_period_is_left_alone():
    recent = article("recent")
    sent_at = timezone.now()
    age(recent, updated_at=LONG_AGO, queued_at=sent_at)

    pipeline.requeue_lost_articles()

    recent.refresh_from_db()
    assert recent.queued_at == sent_at


def test_an_article_held_by_a_live_task_is_left_alone():
    held = article("held")
    age(held, updated_at=LONG_AGO, queued_at=LONG_AGO, claimed_by="task-1", claimed_at=timezone.now())

    pipeline.requeue_lost_articles()

    held.refresh_from_db()
    assert held.queued_at == LONG_AGO


def test_an_article_whose_task_died_is_sent_again_after_the_lease():
    orphan = article("orphan")
    expired = timezone.now() - timedelta(seconds=settings.ENRICHMENT_LEASE + 1)
    age(orphan, updated_at=LONG_AGO, queued_at=LONG_AGO, claimed_by="task-1", claimed_at=expired)

    pipeline.requeue_lost_articles()

    assert sent_again(orphan, LONG_AGO)


def test_enriched_failed_and_skipped_articles_are_never_sent_again():
    rows = [article(status, enrichment_status=status) for status in ("enriched", "failed", "skipped")]
    for row in rows:
        age(row, updated_at=LONG_AGO, queued_at=None)

    assert pipeline.requeue_lost_articles() == 0


def test_a_second_delivery_claims_nothing_while_the_first_holds_the_articles():
    rows = [article("a"), article("b")]
    ids = [row.id for row in rows]

    first = pipeline.claim_articles(ids, "task-1")
    second = pipeline.claim_articles(ids, "task-2")

    assert sorted(first.values_list("id", flat=True)) == ids
    assert not second.exists()


def test_a_redelivered_message_takes_its_own_articles_back():
    row = article("a")
    pipeline.claim_articles([row.id], "task-1")

    again = pipeline.claim_articles([row.id], "task-1")

    assert list(again.values_list("id", flat=True)) == [row.id]


def test_an_article_that_stops_its_worker_every_time_is_failed_after_the_last_attempt():
    row = article("poison")
    for attempt in range(pipeline.MAX_ATTEMPTS):
        assert pipeline.claim_articles([row.id], "task-1").exists()

    assert not pipeline.claim_articles([row.id], "task-1").exists()
    row.refresh_from_db()
    assert row.enrichment_status == "failed"
    assert f"gave up after {pipeline.MAX_ATTEMPTS} attempts" in row.enrichment_error


def test_an_upload_that_never_reached_the_queue_is_started(tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path
    batch = ImportBatch.objects.create(label="upload")
    uploads.batch_folder(batch).mkdir(parents=True)
    (uploads.batch_folder(batch) / "0000-story.txt").write_text("Title\n\nBody text.")
    age(batch, created_at=LONG_AGO, queued_at=None)

    assert uploads.resume_stalled_imports() == 1
    batch.refresh_from_db()
    assert batch.queued_at is not None


def test_an_import_whose_process_died_without_files_to_resume_is_closed_with_a_message(tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path
    batch = ImportBatch.objects.create(label="import_articles bbc", status="running", created=150)
    age(batch, updated_at=LONG_AGO)

    uploads.resume_stalled_imports()

    batch.refresh_from_db()
    assert batch.status == "failed" and batch.finished_at is not None
    assert "interrupted after 150 item(s)" in batch.problems[-1]["reason"]


def test_a_running_import_with_a_recent_heartbeat_is_left_alone(tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path
    batch = ImportBatch.objects.create(label="busy", status="running")

    uploads.resume_stalled_imports()

    batch.refresh_from_db()
    assert batch.status == "running"
