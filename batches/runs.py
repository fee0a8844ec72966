"""A batch's runs: stored from an uploaded list, searched a chunk at a time by the worker,
resumed when a worker restart stopped them, and run again to see what is new.

Each chunk is one task on the "batches" queue (settings: BATCH_CHUNK lines, at most
BATCH_RATE_LIMIT chunks per worker, BATCH_SEARCH_CONCURRENCY searches at a time in
Elasticsearch). A task claims the batch only if the batch has searched as many lines as the
task's message says (`done`) and no live task holds it; it stores its lines' results and the
new count in one transaction, then sends the message for the next chunk. A worker that dies
mid-chunk leaves the claim to expire and the lines unsearched; one that dies between chunks
may leave no message at all. Either way the resumer (`resume_stalled`, run with the
reconciler and at every worker start) sends the batch's next chunk again.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from articles import pipeline
from articles.search import SearchParamError, parse_search_params, summarise
from following.arrivals import current_mark

from .lists import FILTERS, ListLine
from .models import Batch, Line

logger = logging.getLogger(__name__)
CHUNK_TASK = "batches.tasks.run_chunk"
QUEUE = "batches"
CHUNK_TIME_LIMIT = 60  # seconds a chunk may take (the task's soft limit)
LEASE = timedelta(seconds=CHUNK_TIME_LIMIT + 60)  # a claim outlives its task's hard limit
RELATED = 5  # sources and co-mentioned entities kept per line
UNFINISHED = (Batch.Status.QUEUED, Batch.Status.RUNNING)


def create(owner, name, read):
    """Store the list `read` (lists.ReadList) as `owner`'s batch and start its first run."""
    with transaction.atomic():
        runnable = sum(1 for line in read.lines if not line.error)
        name = name.replace("\x00", "")[:200] or "Batch search"  # a file's own name may hold anything
        batch = Batch.objects.create(owner=owner, name=name, total=len(read.lines),
                                     runnable=runnable, notes=read.notes)
        Line.objects.bulk_create([_row(batch, line) for line in read.lines], batch_size=1000)
        _start(batch)
    return batch


def _row(batch, line: ListLine):
    cells = {name: getattr(line, name) for name in ("query", *FILTERS)}
    if line.error:
        return Line(batch=batch, number=line.number, **cells, readable=False, status=Line.Status.REFUSED,
                    error=line.error)
    return Line(batch=batch, number=line.number, **cells)


def run_again(batch):
    """Search a finished batch's lines again; each line then counts the articles that arrived
    since the run before started. False when its run is not finished yet."""
    with transaction.atomic():
        if not Batch.objects.filter(pk=batch.pk, status=Batch.Status.DONE).select_for_update().exists():
            return False
        batch.refresh_from_db()
        _start(batch)
    return True


def _start(batch):
    """A new run: the lines that passed reading wait to be searched, the first chunk is sent
    once this transaction commits."""
    now = timezone.now()
    if batch.runs:
        batch.new_from_id, batch.previous_started_at = batch.mark, batch.started_at
    batch.mark = current_mark()
    batch.runs += 1
    batch.done = 0
    batch.started_at, batch.finished_at, batch.sent_at = now, None, None
    batch.status = Batch.Status.QUEUED if batch.runnable else Batch.Status.DONE
    if not batch.runnable:
        batch.finished_at = now
    batch.save()
    batch.lines.filter(readable=True).update(status=Line.Status.PENDING, previous_hits=F("hits"), error="")
    if batch.runnable:
        transaction.on_commit(lambda: send_chunk(batch.pk, 0))


def send_chunk(batch_id, done):
    """Send the task for the chunk after `done` lines; False when the broker is down (the
    resumer sends it later)."""
    try:
        pipeline.send(CHUNK_TASK, batch_id, done)
    except pipeline.BrokerUnavailable as exc:
        logger.warning("Task queue unavailable (%s): batch %s waits for the resumer", exc, batch_id)
        return False
    Batch.objects.filter(pk=batch_id).update(sent_at=timezone.now())
    return True


def claim(batch_id, done, claimant):
    """Take the batch for task `claimant`'s chunk after `done` lines; None when another live
    task holds it, it has moved on (this message was a duplicate) or it is finished. A task
    whose worker died holds it until its lease ends; the same task, redelivered, takes it back."""
    now = timezone.now()
    taken = (Batch.objects.filter(pk=batch_id, status__in=UNFINISHED, done=done)
             .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=claimant))
             .update(status=Batch.Status.RUNNING, claimed_by=claimant, claimed_until=now + LEASE, updated_at=now))
    return Batch.objects.get(pk=batch_id) if taken else None


def release(batch):
    Batch.objects.filter(pk=batch.pk).update(claimed_by="", claimed_until=None)


def run_chunk(batch, size=None):
    """Search the next chunk of the claimed `batch`'s lines and store what they found; returns
    how many lines it searched, after sending the next chunk's task if lines are left.

    Raises what Elasticsearch being unavailable raises, with the batch released and nothing
    stored: the chunk is searched again."""
    lines = list(batch.lines.filter(status=Line.Status.PENDING).order_by("number")[: size or settings.BATCH_CHUNK])
    search_lines(lines, batch.new_from_id)
    now = timezone.now()
    with transaction.atomic():
        Line.objects.bulk_update(lines, ["status", "error", "search_query", "hits", "stories", "new", "first_seen",
                                         "last_seen", "sources", "entities", "named", "searched_at"])
        left = batch.lines.filter(status=Line.Status.PENDING).exists()
        Batch.objects.filter(pk=batch.pk).update(
            done=F("done") + len(lines), claimed_by="", claimed_until=None, updated_at=now,
            status=Batch.Status.RUNNING if left else Batch.Status.DONE, finished_at=None if left else now)
    if left:
        send_chunk(batch.pk, batch.done + len(lines))
    return len(lines)


def search_lines(lines, new_from_id):
    """Fill each line's results in place: one _msearch for those the search form accepts."""
    now = timezone.now()
    searched = []
    for line in lines:
        line.searched_at = now
        try:
            searched.append((line, parse_search_params(_search_data(line))))
        except SearchParamError as exc:
            _refused(line, str(exc))
    answers = summarise([params for _, params in searched], RELATED, new_from_id, settings.BATCH_SEARCH_CONCURRENCY)
    for (line, params), answer in zip(searched, answers):
        if isinstance(answer, SearchParamError):
            _refused(line, str(answer))
            continue
        line.status, line.error = Line.Status.DONE, ""
        line.search_query = params.url().lstrip("?")
        line.hits, line.stories, line.new = answer["total"], answer["stories"], answer["new"]
        line.first_seen, line.last_seen = answer["first_seen"], answer["last_seen"]
        line.sources = [{"name": name, "count": count} for name, count in answer["sources"]]
        line.entities = [{"kind": facet.kind, "id": str(ref), "label": ref.label, "count": count}
                         for facet, ref, count in answer["entities"]]
        line.named = [{"kind": kind, "id": str(ref), "label": ref.label} for kind, ref in answer["named"]]


def _refused(line, message):
    line.status, line.error = Line.Status.REFUSED, message
    line.search_query, line.hits, line.stories, line.new = "", None, None, None
    line.first_seen, line.last_seen = None, None
    line.sources, line.entities, line.named = [], [], []


def _search_data(line):
    """A line's cells as the search form reads request parameters (a QueryDict's getlist)."""
    cells = ListLine(line.number, line.query, **{name: getattr(line, name) for name in FILTERS})
    return MultiValueDict(cells.search_data())


def resume_stalled():
    """Send again the next chunk of every unfinished batch that has not moved for BATCH_STALL
    seconds and that no task holds; returns how many. While chunks wait in the queue, only
    batches whose message was never sent are taken (the others' are among them)."""
    now = timezone.now()
    stalled = now - timedelta(seconds=settings.BATCH_STALL)
    lost = Q(sent_at__isnull=True, updated_at__lt=stalled)
    if not pipeline.messages_waiting(QUEUE):
        lost |= Q(sent_at__lt=stalled)
    batches = (Batch.objects.filter(status__in=UNFINISHED).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
               .filter(lost).values_list("pk", "done"))
    resumed = 0
    for batch_id, done in batches:
        logger.info("Resuming batch %s after %d line(s)", batch_id, done)
        resumed += send_chunk(batch_id, done)
    return resumed
