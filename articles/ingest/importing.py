"""Store read records as articles: clean, de-duplicate, count, report, queue.

Records are cleaned outside any transaction, then written in chunks, one short
transaction each (a brief write lock, so the worker's writes interleave on SQLite
too); each committed chunk is sent to the worker. Every record ends in exactly one of
created, updated, skipped or failed, and the batch's counters say so. An import that
stops says why and how many items it did not reach.
"""
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as day_time
from datetime import timezone as dt_timezone

from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from articles import datewindow, pipeline
from articles.ingest.cleaning import clean_article, clean_line, content_hash, web_url
from articles.ingest.readers import Problem
from articles.models import Article, ImportBatch
from articles.pipeline import TRANSIENT_DB_ERRORS

logger = logging.getLogger(__name__)
CHUNK_SIZE = 200
CHUNK_ATTEMPTS = 4  # a chunk that meets a transient database error is written again


@dataclass
class Outcome:
    kind: str  # "created", "updated", "skipped" or "failed"
    where: str = ""
    reason: str = ""  # why it was not simply created, or a note on what was dropped
    article_id: int | None = None


@dataclass
class Prepared:
    """A record cleaned and mapped to article fields, ready to store."""

    where: str
    fields: dict
    note: str = ""


def run_import(items, batch, on_progress=None, resuming=False):
    """Import an iterable of readers.Record / readers.Problem into `batch`.

    resuming: the batch is being imported again after an interruption, so articles it
    already stored count as created rather than as duplicates.
    """
    if batch.status != ImportBatch.Status.RUNNING:
        batch.status = ImportBatch.Status.RUNNING
        batch.save(update_fields=["status", "updated_at"])
    items = iter(items)
    chunk = []
    try:
        for item in items:
            chunk.append(_prepare(item, batch))
            if len(chunk) >= CHUNK_SIZE:
                _store_chunk(chunk, batch, on_progress, resuming)
                chunk = []
        _store_chunk(chunk, batch, on_progress, resuming)
    except Exception as exc:
        logger.exception("Import batch %s stopped", batch.pk)
        _stop(batch, exc, not_reached=len(chunk) + _count_rest(items))
    else:
        batch.status = ImportBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def _stop(batch, exc, not_reached):
    """Close a batch that could not go on; items not stored count as failed."""
    batch.status = ImportBatch.Status.FAILED
    batch.failed += not_reached
    batch.add_problems([{"where": "", "outcome": "failed", "reason": (
        f"import stopped after {batch.items_done - not_reached} item(s): {exc}. "
        f"{not_reached} item(s) were not imported; {batch.HOW_TO_FINISH}."
    )}])


def _count_rest(items):
    """How many items the import did not reach (reading them without storing)."""
    count = 0
    try:
        for _ in items:
            count += 1
    except Exception:  # the reader itself failed: what was counted is all we know
        logger.warning("Could not read to the end while counting the items not imported")
    return count


def _store_chunk(chunk, batch, on_progress, resuming):
    """Write one chunk in one transaction, again after a transient error, then queue it."""
    for attempt in range(1, CHUNK_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                outcomes = [_store(item, batch, resuming) for item in chunk]
                _count(batch, outcomes)
            break
        except TRANSIENT_DB_ERRORS as exc:
            if attempt == CHUNK_ATTEMPTS:
                _forget_counts(batch)
                raise
            logger.warning("Database busy or gone (%s); writing the chunk again", exc)
            close_old_connections()
            time.sleep(attempt)
            _forget_counts(batch)
        except Exception:
            _forget_counts(batch)
            raise
    pipeline.queue_articles(o.article_id for o in outcomes if o.kind in ("created", "updated"))
    if on_progress:
        for outcome in outcomes:
            on_progress(outcome)


def _forget_counts(batch):
    """The counters of a rolled-back chunk are void: take the stored ones back."""
    try:
        batch.refresh_from_db()
    except TRANSIENT_DB_ERRORS:
        logger.warning("Could not re-read import batch %s", batch.pk)


def _count(batch, outcomes):
    for outcome in outcomes:
        setattr(batch, outcome.kind, getattr(batch, outcome.kind) + 1)
    batch.add_problems([
        {"where": o.where, "outcome": o.kind, "reason": o.reason}
        for o in outcomes
        if o.kind != "created" or o.reason
    ])
    batch.save()  # also the heartbeat the reconciler watches


def _prepare(item, batch):
    """Clean a record into article fields (no database access); Problems pass through."""
    if isinstance(item, Problem):
        return item
    cleaned = clean_article(item.title, item.body)
    if not cleaned.body.strip():
        return Problem(item.where, "no body text")
    url = web_url(item.url)
    given_date = item.published_at or _batch_date(batch)
    published_at, date_note = datewindow.checked(given_date)
    metadata = {**item.metadata, "dropped_date": given_date.isoformat()} if date_note else item.metadata
    notes = [date_note, f"link dropped: only http(s) links are kept, not {item.url[:80]!r}" if item.url and not url else ""]
    fields = {
        "title": cleaned.title[:500] or cleaned.body[:120],
        "body": cleaned.body,
        "original_title": item.title[:500],
        "original_body": item.body,
        "source": (clean_line(item.source) or cleaned.source or batch.default_source)[:200],
        "url": url[:2000],
        "external_id": item.external_id[:200],
        "author": clean_line(item.author)[:300],
        "language": clean_line(item.language)[:20],
        "published_at": published_at,
        "content_hash": content_hash(cleaned.title, cleaned.body),
        "original_hash": hashlib.sha256(f"{item.title}\n{item.body}".encode()).hexdigest(),
        "metadata": metadata,
    }
    return Prepared(item.where, fields, "; ".join(note for note in notes if note))


def _store(item, batch, resuming):
    if isinstance(item, Problem):
        return Outcome("failed", item.where, item.reason)
    try:
        with transaction.atomic():
            return _store_prepared(item, batch, resuming)
    except IntegrityError as exc:
        return Outcome("failed", item.where, f"database rejected it: {exc}")


def _store_prepared(item, batch, resuming):
    """Create, update or skip one article; returns the Outcome."""
    fields, where = item.fields, item.where
    existing = _same_identity(fields)
    if existing is None:
        existing = Article.objects.filter(content_hash=fields["content_hash"]).first()
        if existing is None:
            status = Article.Enrichment.PENDING if batch.enrich else Article.Enrichment.SKIPPED
            article = Article.objects.create(batch=batch, enrichment_status=status, **fields)
            return Outcome("created", where, item.note, article.id)
        if resuming and existing.batch_id == batch.id:
            return Outcome("created", where, item.note, existing.id)
        return Outcome("skipped", where, f"same text as article #{existing.id}", existing.id)
    changed = {k: v for k, v in fields.items() if getattr(existing, k) != v}
    if not changed:
        if resuming and existing.batch_id == batch.id:
            return Outcome("created", where, item.note, existing.id)
        return Outcome("skipped", where, f"already imported as article #{existing.id}", existing.id)
    for name, value in changed.items():
        setattr(existing, name, value)
    if {"title", "body"} & changed.keys():
        existing.text_changed(enrich=batch.enrich)
    existing.batch = batch
    existing.save()
    return Outcome("updated", where, f"updated article #{existing.id}", existing.id)


def _same_identity(fields):
    """The stored article this record is a new version of: same URL or (source, external id);
    for records with neither, the same uploaded text (so new cleaning rules update, not duplicate)."""
    match = Q()
    if fields["url"]:
        match |= Q(url=fields["url"])
    if fields["external_id"]:
        match |= Q(source=fields["source"], external_id=fields["external_id"])
    if not match:
        match = Q(original_hash=fields["original_hash"])
    return Article.objects.filter(match).order_by("id").first()


def _batch_date(batch):
    if batch.default_date is None:
        return None
    return datetime.combine(batch.default_date, day_time(12, 0), tzinfo=dt_timezone.utc)
