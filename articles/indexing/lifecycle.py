"""Keeping Elasticsearch in step with the database.

The database is the source of truth. Every article row records, in `indexed_at`,
the `updated_at` of the copy that reached the index. The processing task indexes
its articles; if Elasticsearch (or the broker) is down at that moment nothing is
lost: the periodic `reconcile` task indexes every stale row once Elasticsearch
answers again, and `manage.py sync_index` does the same on demand.

Searches and writes go through an alias (`documents.index_name()`) over one
versioned physical index, `<alias>-<UTC time>`. `rebuild_index` fills a new physical
index from the database while the old one keeps answering, then moves the alias in
one atomic step and drops the old index: a rebuild never takes search down.
"""
import hashlib
import json
import logging
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from django.db.models import F
from django.utils import timezone
from django_elasticsearch_dsl.registries import registry
from elasticsearch import BadRequestError, helpers
from elasticsearch.dsl.connections import connections

from articles.indexing.documents import ArticleDocument, for_index, index_name
from articles.models import Article

logger = logging.getLogger(__name__)
BULK_CHUNK = 500  # documents per bulk request
REBUILD_THREADS = 2  # bulk requests in flight while a rebuild fills its index
OLD_INDEX_GRACE = 5  # seconds the replaced index outlives the alias swap, for searches still on it
MARK_CHUNK = 400  # article versions marked as indexed per UPDATE (two parameters each; old SQLite allows 999)


def _client():
    return connections.get_connection()


def _articles_index():
    """The articles index as the document defines it: mapping, analysers, settings."""
    (index,) = registry.get_indices(models=[Article])
    return index


def mapping_fingerprint():
    """A digest of the index the document defines (mapping, analysis, shards), which each index
    records when it is made: another digest means the index was made for another mapping, and
    only a rebuild makes its documents match today's analysis. Replicas can change in place."""
    spec = _articles_index().to_dict()  # the index's own dicts, not copies: left as they are
    spec = {**spec, "settings": {key: value for key, value in spec["settings"].items() if key != "number_of_replicas"}}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def _record_fingerprint(name):
    _client().indices.put_mapping(index=name, meta={"fingerprint": mapping_fingerprint()})


def index_is_current():
    """Whether the index behind the alias was made for today's document (True when there is none yet)."""
    names = physical_indices()
    if not names:
        return True
    mapping = _client().indices.get_mapping(index=names[0])[names[0]]["mappings"]
    return mapping.get("_meta", {}).get("fingerprint") == mapping_fingerprint()


def physical_indices():
    """The indices behind the alias (or the single index of the alias' name, from before aliases)."""
    client = _client()
    if client.indices.exists_alias(name=index_name()):
        return sorted(client.indices.get_alias(name=index_name()))
    return [index_name()] if client.indices.exists(index=index_name()) else []


def ensure_index():
    """Create the first physical index, behind the alias, if there is none yet; give an
    existing one the fields the document has gained since it was made."""
    if physical_indices():
        _add_new_fields()
        return
    first = f"{index_name()}-initial"  # a fixed name: two processes racing here create one index, not two
    try:
        _articles_index().clone(name=first).aliases(**{index_name(): {}}).create()
    except BadRequestError as exc:
        if exc.error != "resource_already_exists_exception":
            raise
        return
    _record_fingerprint(first)


@lru_cache(maxsize=1)
def _add_new_fields():
    """Put the document's mapping on the index once per process: Elasticsearch adds the
    fields it lacks and leaves the others. An index whose mapping has drifted too far to
    take them (another analyser, a field of another type) keeps serving, and the documents
    it refuses are recorded as usual: `sync_index --rebuild` makes one that fits."""
    try:
        _client().indices.put_mapping(index=index_name(), body=ArticleDocument._doc_type.mapping.to_dict())
    except BadRequestError as exc:
        logger.warning("The index's mapping cannot take the document's fields (%s); "
                       "`manage.py sync_index --rebuild` builds an index that can", exc.error)


def delete_index():
    """Drop the index and forget every copy (tests and benchmarks start from nothing)."""
    for name in physical_indices():
        _client().indices.delete(index=name, ignore_unavailable=True)
    Article.objects.update(indexed_at=None, index_rejected_at=None, index_error="")


def index_articles(queryset, refresh=False):
    """Index the given articles and mark the copies that reached the index.

    Returns how many were indexed. A document Elasticsearch refuses is recorded on its
    article (and not retried until the article changes); the others go in. Raises the
    client's connection errors so the caller (a task) can retry later.
    """
    ensure_index()
    indexed, _ = _send([for_index(queryset)], index_name())
    if refresh:
        _client().indices.refresh(index=index_name())
    return indexed


def _send(batches, index, threads=1, mark=True):
    """Bulk-index `batches` (lists of articles as `documents.for_index` loads them) into
    `index`, in requests of BULK_CHUNK documents with `threads` of them running at a time;
    record refusals and (with `mark`) the versions that went in. Returns how many went in
    and the set of ids refused.

    This thread does the database work (loading the next batch, marking the chunks that
    went in) while the requests run, so neither waits for the other. The work stays in
    this thread because Django's connections are per thread (and a test's transaction is
    seen by its own connection only).
    """
    document, indexed, refused, in_flight = ArticleDocument(), 0, set(), deque()

    def record_oldest():
        chunk, request = in_flight.popleft()
        rejected = _record(chunk, request.result(), mark)
        refused.update(rejected)
        return len(chunk) - len(rejected)

    with ThreadPoolExecutor(threads) as pool:
        for batch in batches:
            for start in range(0, len(batch), BULK_CHUNK):
                chunk = batch[start : start + BULK_CHUNK]
                actions = [{"_index": index, "_id": a["id"], "_source": document.prepare(a)} for a in chunk]
                in_flight.append((chunk, pool.submit(_bulk, actions)))
                if len(in_flight) > 2 * threads:  # enough queued to keep every thread busy, no more
                    indexed += record_oldest()
        while in_flight:
            indexed += record_oldest()
    return indexed, refused


def _bulk(actions):
    """Send one bulk request; {article id: reason} of the documents Elasticsearch refused."""
    results = helpers.streaming_bulk(_client(), actions, chunk_size=BULK_CHUNK, raise_on_error=False, max_retries=2)
    return dict(_rejection(item) for ok, item in results if not ok)


def _record(chunk, rejected, mark):
    """Record the outcome of `chunk`'s bulk request on the articles: the refusals
    ({id: reason}), and with `mark` the versions that went in. Returns `rejected`."""
    versions = {a["id"]: a["updated_at"] for a in chunk}
    for article_id, reason in rejected.items():
        logger.error("Elasticsearch refused article %s: %s", article_id, reason)
        Article.objects.filter(pk=article_id, updated_at=versions[article_id]).update(
            index_rejected_at=versions[article_id], index_error=reason[:2000]
        )
    if mark:
        _mark_indexed([(pk, version) for pk, version in versions.items() if pk not in rejected])
    return rejected


def _mark_indexed(versions):
    """Mark these (id, updated_at) versions as the ones in the index; a newer save stays stale.

    A row matches when its id and its updated_at are both among the versions sent, which is
    cheaper than an OR of (id, updated_at) pairs (docs/performance.md, "Reindex path"). Only
    a row saved again at the very microsecond another sent version was saved could be
    marked wrongly. Rows already marked are not written again (a rebuild
    of an up-to-date archive writes none).
    """
    for start in range(0, len(versions), MARK_CHUNK):
        ids, stamps = zip(*versions[start : start + MARK_CHUNK])
        sent = Article.objects.filter(pk__in=ids, updated_at__in=stamps)
        sent.exclude(indexed_at=F("updated_at"), index_error="").update(indexed_at=F("updated_at"), index_error="")


def _rejection(item):
    """(article id, reason) from one failed item of a bulk response."""
    (result,) = item.values()
    reason = result.get("error", {})
    if isinstance(reason, dict):
        reason = f"{reason.get('type', 'error')}: {reason.get('reason', '')}"
    return int(result.get("_id")), str(reason)


def delete_from_index(article_id):
    _client().options(ignore_status=404).delete(index=index_name(), id=article_id)


def sync_stale(batch_size=BULK_CHUNK, refresh=False):
    """Index every article whose index copy is missing or stale; returns the count.

    Creates the index first, so an empty archive can be searched (and found empty).
    """
    ensure_index()
    total, _ = _send(_in_batches(Article.stale_in_index(), batch_size), index_name())
    if refresh:
        _client().indices.refresh(index=index_name())
    return total


def _in_batches(queryset, size):
    """`queryset`'s articles as `for_index` loads them, `size` at a time in id order (pages
    by id: rows saved meanwhile neither repeat nor shift them)."""
    last_id = 0
    while batch := for_index(queryset.filter(id__gt=last_id).order_by("id")[:size]):
        yield batch
        last_id = batch[-1]["id"]


def rebuild_index(batch_size=5 * BULK_CHUNK):
    """Copy the database into a new physical index, then swap the alias to it atomically.

    Search keeps answering from the old index until the swap, and after it from a
    complete, refreshed new one. Articles saved while the copy ran are indexed again
    after the swap (their newer version went to the old index). Returns the count.
    """
    old, new = physical_indices(), f"{index_name()}-{timezone.now():%Y%m%d%H%M%S%f}"
    # Filled without refreshes or replicas (faster), both set to what search needs before the swap.
    _articles_index().clone(name=new).settings(refresh_interval="-1", number_of_replicas=0).create()
    _record_fingerprint(new)
    started = timezone.now()
    searchable = Article.objects.exclude(enrichment_status=Article.Enrichment.PENDING, indexed_at__isnull=True)
    client = _client()
    try:
        count, refused = _send(_in_batches(searchable, batch_size), new, threads=REBUILD_THREADS, mark=False)
        replicas = _articles_index().to_dict()["settings"].get("number_of_replicas", 1)
        client.indices.put_settings(index=new, settings={"refresh_interval": None, "number_of_replicas": replicas})
        client.indices.refresh(index=new)
        client.cluster.health(index=new, wait_for_status="yellow", timeout="60s")
    except BaseException:  # interrupted or failed: the unfinished copy goes, search never saw it
        client.indices.delete(index=new, ignore_unavailable=True)
        raise
    moves = [{"add": {"index": new, "alias": index_name()}}]
    for name in old:  # an index of the alias' own name (from before aliases) goes in the same step
        moves.append({"remove_index": {"index": name}} if name == index_name()
                     else {"remove": {"index": name, "alias": index_name()}})
    client.indices.update_aliases(actions=moves)
    # A search that read the alias just before the swap still runs on the old index: deleted
    # under it, its shards fail and it counts nothing. The old index goes once such searches ended.
    time.sleep(OLD_INDEX_GRACE)
    for name in old:
        if name != index_name():
            client.indices.delete(index=name, ignore_unavailable=True)
    # Now the copy is the index: the articles not saved since it started are in it at the version
    # it read, and are marked so in one statement (not per chunk, which cost a tenth of the
    # rebuild's time; a copy that never becomes the index marks nothing).
    copied = searchable.filter(updated_at__lt=started).exclude(pk__in=refused)
    copied.exclude(indexed_at=F("updated_at"), index_error="").update(indexed_at=F("updated_at"), index_error="")
    index_articles(Article.objects.filter(updated_at__gte=started).exclude(enrichment_status=Article.Enrichment.PENDING))
    return count


def document_count():
    """Documents in the index, as a search sees them after a refresh."""
    ensure_index()
    client = _client()
    client.indices.refresh(index=index_name())
    return client.count(index=index_name())["count"]


def remove_orphans():
    """Delete index copies of articles no longer in the database; returns how many.

    A deletion sends the removal of its copy to the worker; if that message is lost
    (broker down), the copy would stay searchable for ever. The ids are scanned only
    when the index holds more documents than the database has indexed articles.
    """
    if document_count() <= Article.objects.filter(indexed_at__isnull=False).count():
        return 0
    client = _client()
    in_index = {int(hit["_id"]) for hit in helpers.scan(client, index=index_name(), _source=False)}
    orphans = in_index - set(Article.objects.values_list("id", flat=True))
    actions = ({"_op_type": "delete", "_index": index_name(), "_id": article_id} for article_id in orphans)
    helpers.bulk(client, actions, raise_on_error=False)
    return len(orphans)
