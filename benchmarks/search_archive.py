"""The search benchmark's archive: the shared corpora imported and enriched by the app, then
replicated copies until the archive reaches --articles (see benchmarks/search.py)."""
import hashlib
import itertools
import json
import math
import time
from collections import defaultdict
from pathlib import Path

from celery import current_app
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles import indexing
from articles.indexing import index_name
from articles.ingest.importing import run_import
from articles.ingest.readers import read_path
from articles.models import Article, Entity, ImportBatch, Mention

from .common import ROOT, SHARED, Timer, start_worker, stop_worker

# (path under the shared data, source for items that name none)
CORPORA = [
    ("seed", "Bloomberg"),
    ("bbc", "BBC"),
    ("reuters21578/train.jsonl", "Reuters"),
    ("reuters21578/test.jsonl", "Reuters"),
]
# The labels name the command the benchmark was; archives built under them are reused.
IMPORT_LABEL = "benchmark_search: import"
COPIES_LABEL = "benchmark_search: copies"
BUILD_SUMMARY = ROOT / ".var" / "benchmark-search-build.json"
COPY_CHUNK = 1000  # originals copied per transaction


class ArchiveBuilder:
    """The Command's steps that build or reuse the archive (`self.options`, `self.out` and
    `self.client`, the Elasticsearch client, are the Command's)."""

    def ensure_archive(self):
        target = self.options["articles"]
        count = Article.objects.count()
        built = ImportBatch.objects.filter(label=COPIES_LABEL).exists()
        pending = Article.objects.filter(enrichment_status=Article.Enrichment.PENDING).exists()
        if count >= target and built and not pending and not self.options["rebuild"]:
            self.out(f"Archive reused: {count:,} articles (`--rebuild` builds it again).")
            if BUILD_SUMMARY.exists():
                self.out(f"Built earlier: {BUILD_SUMMARY.read_text().strip()}")
            if indexing.document_count() != count:
                self.out("The index does not hold every article: indexing it again (sync_stale).")
                indexing.delete_index()
                indexing.sync_stale()
        else:
            self.build_archive(target)
        self.describe_archive()

    def build_archive(self, target):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in Path(name).name:
            raise CommandError(f"Building the archive empties the database, and {name!r} is not named as a "
                               "benchmark's (its name must contain 'bench'); run `make benchmark-search`.")
        self.out(f"Building the archive (at least {target:,} articles) in {name}...")
        summary = {}
        call_command("flush", interactive=False, verbosity=0)
        indexing.delete_index()
        current_app.control.purge()

        with Timer() as timer:
            originals = self.import_and_enrich()
        summary["originals"] = len(originals)
        summary["import_and_enrich_s"] = round(timer.seconds, 1)

        copies = max(0, math.ceil(target / len(originals)) - 1)
        with Timer() as timer:
            made = self.replicate(originals, copies)
        summary["copies"] = made
        summary["copies_per_article"] = copies
        summary["copy_s"] = round(timer.seconds, 1)

        with Timer() as timer:
            indexed = indexing.sync_stale()
            self.client.indices.refresh(index=index_name())
        summary["indexed_by_sync_stale"] = indexed
        summary["index_s"] = round(timer.seconds, 1)
        summary["total_s"] = round(summary["import_and_enrich_s"] + summary["copy_s"] + summary["index_s"], 1)
        summary["built_at"] = f"{timezone.now():%Y-%m-%d %H:%M} UTC"
        BUILD_SUMMARY.parent.mkdir(exist_ok=True)
        BUILD_SUMMARY.write_text(json.dumps(summary) + "\n")
        self.out(f"Built: {json.dumps(summary)}")

    def import_and_enrich(self):
        """Import the corpora with the app's importer while its worker enriches and indexes them."""
        log_path = ROOT / ".var" / "benchmark-search-worker.log"
        worker = start_worker(log_path, concurrency=self.options["jobs"])
        try:
            for relative, source in CORPORA:
                path = SHARED / relative
                if not path.exists():
                    self.out(f"  {relative}: not in the shared data, left out")
                    continue
                batch = ImportBatch.objects.create(label=f"{IMPORT_LABEL} {relative}", default_source=source)
                with Timer() as timer:
                    run_import(itertools.islice(read_path(path), self.options["limit"]), batch)
                self.out(f"  imported {relative}: {batch.created:,} created, {batch.skipped:,} skipped (duplicates), "
                         f"{batch.failed:,} failed, in {timer.seconds:.0f} s")
            self.wait_for_worker(worker, log_path)
        finally:
            stop_worker(worker)
        current_app.control.purge()
        failed = Article.objects.filter(enrichment_status=Article.Enrichment.FAILED).count()
        self.out(f"  enriched by the worker: {Article.objects.count():,} originals ({failed} failed enrichment), "
                 f"{Mention.objects.count():,} mentions of {Entity.objects.count():,} entities")
        return list(Article.objects.order_by("id").values_list("id", flat=True))

    def wait_for_worker(self, worker, log_path, patience=600):
        """Until every original is enriched (or failed) and in the index; gives up after
        `patience` seconds without progress."""
        last_report = last_progress = time.monotonic()
        left = None
        while True:
            if worker.poll() is not None:
                raise CommandError(f"the Celery worker exited; see {log_path}")
            pending = Article.objects.filter(enrichment_status=Article.Enrichment.PENDING).count()
            stale = Article.stale_in_index().count()
            if not pending and not stale:
                return
            if (pending, stale) != left:
                left, last_progress = (pending, stale), time.monotonic()
            elif time.monotonic() - last_progress > patience:
                raise CommandError(f"no progress for {patience} s ({pending} pending, {stale} not indexed); "
                                   f"see {log_path}")
            if time.monotonic() - last_report > 60:
                self.out(f"  ... {pending:,} articles waiting for enrichment, {stale:,} for indexing")
                last_report = time.monotonic()
            time.sleep(2)

    def replicate(self, original_ids, copies):
        """`copies` copies of every original, with its mentions; returns how many were made."""
        if not copies:
            return 0
        batch = ImportBatch.objects.create(label=COPIES_LABEL, enrich=False, status=ImportBatch.Status.DONE)
        fields = ["id", "title", "body", "original_title", "original_body", "source", "url", "external_id", "author",
                  "language", "published_at", "content_hash", "original_hash", "metadata", "enrichment_status"]
        made = 0
        for start in range(0, len(original_ids), COPY_CHUNK):
            chunk = original_ids[start : start + COPY_CHUNK]
            rows = list(Article.objects.filter(id__in=chunk).order_by("id").values(*fields))
            mentions = defaultdict(list)
            for article_id, *mention in Mention.objects.filter(article_id__in=chunk).values_list(
                "article_id", "entity_id", "surface", "count", "offsets"
            ):
                mentions[article_id].append(mention)
            with transaction.atomic():
                for k in range(1, copies + 1):
                    new = Article.objects.bulk_create([self.copy_of(row, k, batch) for row in rows], batch_size=500)
                    Mention.objects.bulk_create(
                        [Mention(article_id=article.pk, entity_id=entity_id, surface=surface, count=count,
                                 offsets=offsets)
                         for article, row in zip(new, rows)
                         for entity_id, surface, count, offsets in mentions[row["id"]]],
                        batch_size=2000,
                    )
                    made += len(new)
        ImportBatch.objects.filter(pk=batch.pk).update(created=made, finished_at=timezone.now())
        self.out(f"  copies: {made:,} ({copies} of each original, dates {', '.join(f'+{k}' for k in range(1, copies + 1))} "
                 f"years), {Mention.objects.count():,} mentions in all")
        return made

    @staticmethod
    def copy_of(row, k, batch):
        """Copy k of an original: its own id and title, its date k whole years later, the same text."""
        def moved(value):
            if value is None:
                return None
            try:
                return value.replace(year=value.year + k)
            except ValueError:  # 29 February
                return value.replace(year=value.year + k, day=28)

        def derived(text):
            return hashlib.sha256(f"{text}\ncopy {k}".encode()).hexdigest() if text else ""

        now = timezone.now()
        return Article(
            title=f"{row['title']} (copy {k})"[:500],
            body=row["body"],
            original_title=row["original_title"],
            original_body=row["original_body"],
            source=row["source"],
            url="",
            external_id=f"{row['external_id']}-copy{k}"[:200] if row["external_id"] else "",
            author=row["author"],
            language=row["language"],
            published_at=moved(row["published_at"]),
            content_hash=derived(row["content_hash"]),
            original_hash=derived(row["original_hash"]),
            metadata={**row["metadata"], "benchmark_copy": {"of": row["id"], "years_later": k}},
            batch=batch,
            enrichment_status=row["enrichment_status"],
            enriched_at=now,
        )

    def describe_archive(self):
        stats = self.client.indices.stats(index=index_name(), metric="docs,store")["_all"]["primaries"]
        copies = ImportBatch.objects.filter(label=COPIES_LABEL).values_list("created", flat=True).first() or 0
        total = Article.objects.count()
        dated = Article.objects.filter(published_at__isnull=False)
        first = dated.order_by("published_at").values_list("published_at", flat=True).first()
        last = dated.order_by("-published_at").values_list("published_at", flat=True).first()
        span = f"{first:%Y}-{last:%Y}" if first else "none"
        self.out(f"Archive: {total:,} articles ({total - copies:,} originals, {copies:,} copies), "
                 f"{Mention.objects.count():,} mentions of {Entity.objects.count():,} entities, "
                 f"dated {span} ({dated.count():,} dated); index: {stats['docs']['count']:,} documents, "
                 f"{stats['store']['size_in_bytes'] / 2**20:,.0f} MB.\n")
