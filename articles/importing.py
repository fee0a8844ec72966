"""Store read records as articles: clean, de-duplicate, count, report.

Records are written in chunks, each in one transaction, so the enrichment tasks
queued on commit get batches of articles. Every record ends in exactly one of
created, updated, skipped or failed, and the batch's counters say so.
"""
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, time, timezone as dt_timezone

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .cleaning import clean_article, content_hash
from .models import Article, ImportBatch
from .readers import Problem

logger = logging.getLogger(__name__)
CHUNK_SIZE = 200
MAX_PROBLEMS_KEPT = 1000


@dataclass
class Outcome:
    kind: str  # "created", "updated", "skipped" or "failed"
    where: str = ""
    reason: str = ""
    article_id: int | None = None


def run_import(items, batch, on_progress=None):
    """Import an iterable of readers.Record / readers.Problem into `batch`."""
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    chunk = []
    try:
        for item in items:
            chunk.append(item)
            if len(chunk) >= CHUNK_SIZE:
                _import_chunk(chunk, batch, on_progress)
                chunk = []
        _import_chunk(chunk, batch, on_progress)
    except Exception as exc:
        logger.exception("Import batch %s failed", batch.pk)
        batch.status = ImportBatch.Status.FAILED
        _record_problems(batch, [Outcome("failed", "", f"import stopped: {exc}")])
    else:
        batch.status = ImportBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def _import_chunk(chunk, batch, on_progress):
    outcomes = []
    with transaction.atomic():
        for item in chunk:
            if isinstance(item, Problem):
                outcomes.append(Outcome("failed", item.where, item.reason))
                continue
            try:
                with transaction.atomic():
                    outcomes.append(store_record(item, batch))
            except IntegrityError as exc:
                outcomes.append(Outcome("failed", item.where, f"database rejected it: {exc}"))
        for outcome in outcomes:
            setattr(batch, outcome.kind, getattr(batch, outcome.kind) + 1)
        _record_problems(batch, [o for o in outcomes if o.kind != "created"])
        batch.save()
    if on_progress:
        for outcome in outcomes:
            on_progress(outcome)


def _record_problems(batch, outcomes):
    """Keep the first MAX_PROBLEMS_KEPT of each outcome kind, so failures are never crowded out."""
    kept = {}
    for entry in batch.problems:
        kept[entry["outcome"]] = kept.get(entry["outcome"], 0) + 1
    for outcome in outcomes:
        if kept.get(outcome.kind, 0) < MAX_PROBLEMS_KEPT:
            kept[outcome.kind] = kept.get(outcome.kind, 0) + 1
            batch.problems.append(
                {"where": outcome.where, "outcome": outcome.kind, "reason": outcome.reason}
            )


def store_record(record, batch):
    """Create, update or skip one article; returns the Outcome."""
    cleaned = clean_article(record.title, record.body)
    if not cleaned.body.strip():
        return Outcome("failed", record.where, "no body text")
    fields = {
        "title": cleaned.title[:500] or cleaned.body[:120],
        "body": cleaned.body,
        "original_title": record.title[:500],
        "original_body": record.body,
        "source": (record.source or cleaned.source or batch.default_source)[:200],
        "url": record.url[:2000],
        "external_id": record.external_id[:200],
        "author": record.author[:300],
        "language": record.language[:20],
        "published_at": record.published_at or _batch_date(batch),
        "content_hash": content_hash(cleaned.title, cleaned.body),
        "original_hash": hashlib.sha256(f"{record.title}\n{record.body}".encode()).hexdigest(),
        "metadata": record.metadata,
    }
    same_identity = _same_identity(fields)
    if same_identity is None:
        same_text = Article.objects.filter(content_hash=fields["content_hash"]).first()
        if same_text is not None:
            return Outcome("skipped", record.where, f"same text as article #{same_text.id}", same_text.id)
        article = Article.objects.create(batch=batch, **fields)
        return Outcome("created", record.where, "", article.id)
    changed = {k: v for k, v in fields.items() if getattr(same_identity, k) != v}
    if not changed:
        return Outcome("skipped", record.where, f"already imported as article #{same_identity.id}", same_identity.id)
    for name, value in changed.items():
        setattr(same_identity, name, value)
    if {"title", "body"} & changed.keys():
        same_identity.enrichment_status = Article.Enrichment.PENDING
    same_identity.batch = batch
    same_identity.save()
    return Outcome("updated", record.where, f"updated article #{same_identity.id}", same_identity.id)


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
    return datetime.combine(batch.default_date, time(12, 0), tzinfo=dt_timezone.utc)
