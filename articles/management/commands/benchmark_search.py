"""Search speed on an archive of 100,000+ articles: the app's /api/search, served by the
production server, against raw Elasticsearch `_search` with the identical request body; and
reindex throughput, the app's path against raw `_bulk` of the same documents. Prints Markdown
tables. Not a test: nothing is asserted, the numbers are reported as measured.

The archive is built once and reused while it holds at least --articles articles (--rebuild
builds it again). It wipes the database it runs on, so it refuses one whose name does not
contain "bench" (`make benchmark-search` gives it its own):

- originals: the shared corpora (the seed article, BBC News, Reuters-21578 train, and its
  test split when present) read and imported by the app's own importer (`readers.read_path`
  -> `importing.run_import`, as `manage.py import_articles` does), then enriched and indexed
  by the app's Celery worker (spaCy entity extraction, entity rows, bulk indexing), started
  here as `make run` starts it;
- replicated copies, until the archive reaches --articles: copy k of an article is a new row
  with its own id, its title followed by " (copy k)", its publication date moved k whole
  years later (undated articles stay undated), and the original's entity mentions copied row
  for row instead of running spaCy again: the text is the same, so are its entities. They
  are indexed by the app's `indexing.sync_stale`.

Search: about 65 queries made from the archive's own facet values (people, countries,
organizations, sources, years) and title words, with a fixed random seed: words, phrases, OR,
exclusions, prefixes, with and without facet and date filters, sorting and paging. The app is
served by the command of deploy/supervisord.conf's `web` program (gunicorn, what `make run`
runs) with DEBUG off; raw Elasticsearch gets the body the app sends for the same parameters
(`search_body`). Both are driven from this process over keep-alive HTTP at 1 and 8
concurrent clients, in alternating passes, after a warm-up pass that also checks that both
find the same total and the same ids, and once no merge runs on the node. p50, p95,
queries/s, and the p95 ratio app/raw.

Reindex: the app's path (`indexing.delete_index()` then `indexing.sync_stale()`, and the
zero-downtime `indexing.rebuild_index()`) against `helpers.bulk` / `helpers.parallel_bulk` of
the documents ArticleDocument makes for the same articles, prepared beforehand, into a new
index with the same mapping: documents/s of the median run and the ratio app/raw. Each path runs
`--reindex-rounds` times, app and raw in alternating order, and every timed run starts on a vacuumed
database and waits until no merge runs on the node, so that no run shares the machine with the
vacuum or the merges left by the run before.

Run with `make benchmark-search` (scripts/benchmark.sh search starts the services and gives
it its own database, index prefix and Redis database).
"""
import configparser
import cProfile
import hashlib
import http.client
import io
import itertools
import json
import math
import os
import pstats
import queue
import random
import re
import secrets
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
import warnings
from base64 import b64encode
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from celery import current_app
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_elasticsearch_dsl.registries import registry
from elasticsearch import helpers
from elasticsearch.dsl.connections import connections

from articles import indexing
from articles.indexing.documents import ArticleDocument, for_index, index_name
from articles.ingest.importing import run_import
from articles.ingest.readers import read_path
from articles.management.commands.benchmark_enrichment import settle
from articles.models import Article, Entity, ImportBatch, Mention
from articles.search import parse_search_params

ROOT = settings.BASE_DIR
SHARED = ROOT.parent / "shared" / "data"
# (path under the shared data, source for items that name none)
CORPORA = [
    ("seed", "Bloomberg"),
    ("bbc", "BBC"),
    ("reuters21578/train.jsonl", "Reuters"),
    ("reuters21578/test.jsonl", "Reuters"),
]
IMPORT_LABEL = "benchmark_search: import"
COPIES_LABEL = "benchmark_search: copies"
BUILD_SUMMARY = ROOT / ".var" / "benchmark-search-build.json"
COPY_CHUNK = 1000  # originals copied per transaction
PREPARE_CHUNK = 2500  # articles per query when preparing documents for raw _bulk


def search_body(params):
    """The JSON body the app sends to Elasticsearch for one page of /api/search with `params`.

    The one place this command builds a search request (the search module is being
    restructured): today the search module's own `request_body`, the FacetedSearch
    `ArticleSearch(params)` sliced to the page, as a dict.
    """
    from articles.search.query import request_body

    return request_body(params)


def percentile(values, fraction):
    """Nearest-rank percentile of `values` (seconds) in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


# ---- HTTP targets --------------------------------------------------------------------------


class Target:
    """An HTTP server and how one query is asked of it: (method, path, body, headers)."""

    def __init__(self, name, url, request, auth=None):
        parts = urlsplit(url)
        self.name, self.host, self.port = name, parts.hostname, parts.port or 80
        self.request = request
        self.headers = {"Host": f"{self.host}:{self.port}"}
        if auth:
            self.headers["Authorization"] = "Basic " + b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()

    def connect(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=120)

    def fetch(self, conn, query):
        method, path, body, headers = self.request(query)
        conn.request(method, path, body=body, headers={**self.headers, **headers})
        response = conn.getresponse()
        return response.status, response.read()


def run_clients(target, queries, clients):
    """Every query once, taken from one queue by `clients` threads, each on its own keep-alive
    connection. Returns (latencies in seconds, wall seconds, errors)."""
    work = queue.SimpleQueue()
    for query in queries:
        work.put(query)
    latencies, errors, lock = [], [], threading.Lock()
    received = [0]

    def client():
        conn = target.connect()
        try:
            while True:
                try:
                    query = work.get_nowait()
                except queue.Empty:
                    return
                start = time.perf_counter()
                try:
                    status, data = target.fetch(conn, query)
                except (http.client.HTTPException, OSError) as exc:
                    conn.close()
                    conn = target.connect()
                    status, data = 0, str(exc).encode()
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    received[0] += len(data)
                    if status != 200:
                        errors.append((query["qs"], status, data[:200]))
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run_clients.received = received[0]
    return latencies, time.perf_counter() - start, errors


# ---- the production server ----------------------------------------------------------------


def web_command(port):
    """deploy/supervisord.conf's `web` program, as `make run` starts it."""
    config = configparser.RawConfigParser()
    config.read(ROOT / "deploy" / "supervisord.conf")
    command = config.get("program:web", "command")
    command = command.replace("%(ENV_NEWSARCHIVE_PYTHON)s", sys.executable).replace("%(ENV_WEB_PORT)s", str(port))
    if "%(" in command:
        raise CommandError(f"deploy/supervisord.conf's web command needs more than the Python and port: {command}")
    return shlex.split(command)


class ProductionServer:
    """The web program with DEBUG off, on a free loopback port (plain HTTP, as `make run`)."""

    def __init__(self, log_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = web_command(self.port)
        self.log_path = log_path
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"the web server exited; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", "/healthz", headers={"Host": f"127.0.0.1:{self.port}"})
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        raise CommandError(f"the web server did not answer /healthz within 90 s; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# ---- the command --------------------------------------------------------------------------


class Command(BaseCommand):
    help = ("Search speed on a 100,000-article archive: /api/search under gunicorn against raw "
            "Elasticsearch, and reindex throughput against raw _bulk (builds the archive once).")

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000,
                            help="archive size to build: the originals and as many whole copies as needed (100,000)")
        parser.add_argument("--rebuild", action="store_true", help="build the archive again even if it is there")
        parser.add_argument("--jobs", type=int, default=2, help="worker processes enriching the originals (2)")
        parser.add_argument("--limit", type=int, default=None,
                            help="import at most this many items of each corpus (a quick trial run)")
        parser.add_argument("--clients", default="1,8", help="concurrent clients to measure at (1,8)")
        # 20 passes: each p95 is of 1,360 requests. At 6 (408 requests), three runs of the same
        # code gave 8-client p95 ratios of 1.22, 1.27 and 1.46.
        parser.add_argument("--passes", type=int, default=20,
                            help="timed passes over the query set per path and client count (20)")
        parser.add_argument("--seed", type=int, default=10, help="random seed of the query set (10)")
        parser.add_argument("--no-search", action="store_true", help="skip the search measurement")
        parser.add_argument("--no-reindex", action="store_true", help="skip the reindex measurement")
        parser.add_argument("--reindex-rounds", type=int, default=2,
                            help="timed runs of each reindex path, app and raw alternating (2)")
        parser.add_argument("--profile", action="store_true",
                            help="also print cProfile's busiest functions of /api/search, run in-process")

    def handle(self, **options):
        self.options = options
        self.out = self.stdout.write
        self.client = connections.get_connection()
        clients = [int(c) for c in options["clients"].split(",") if c.strip()]
        load_before = os.getloadavg()
        self.out(f"# Search benchmark ({timezone.now():%Y-%m-%d %H:%M} UTC)\n")
        self.out(f"Host: {os.cpu_count()} CPU cores, load average {load_before[0]:.2f} / {load_before[1]:.2f} / "
                 f"{load_before[2]:.2f} (1/5/15 min) at the start; Elasticsearch "
                 f"{self.client.info()['version']['number']}; database {connection.vendor} "
                 f"{connection.settings_dict['NAME']}; index {index_name()}.\n")

        self.ensure_archive()
        if not options["no_search"]:
            self.measure_search(clients)
        if not options["no_reindex"]:
            self.measure_reindex()
        load_after = os.getloadavg()
        self.out(f"\nLoad average at the end: {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f}.")

    # ---- the archive ----------------------------------------------------------------------

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
        log_path.parent.mkdir(exist_ok=True)
        log = open(log_path, "w")
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "newsarchive", "worker", "--concurrency", str(self.options["jobs"]),
             "--loglevel", "WARNING", "-O", "fair"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
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
            worker.terminate()
            try:
                worker.wait(timeout=90)
            except subprocess.TimeoutExpired:
                worker.kill()
            log.close()
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

    # ---- search ---------------------------------------------------------------------------

    def build_queries(self):
        """About 65 searches from the archive's own facet values and title words."""
        rng = random.Random(self.options["seed"])
        aggs = self.client.search(index=index_name(), size=0, aggs={
            "person": {"terms": {"field": "persons", "size": 40}},
            "country": {"terms": {"field": "countries", "size": 30}},
            "org": {"terms": {"field": "organizations", "size": 30}},
            "source": {"terms": {"field": "source", "size": 10}},
            "year": {"date_histogram": {"field": "published_at", "calendar_interval": "year", "min_doc_count": 1}},
        })["aggregations"]
        values = {name: [b["key"] for b in aggs[name]["buckets"]] for name in ("person", "country", "org", "source")}
        busiest = sorted(aggs["year"]["buckets"], key=lambda b: -b["doc_count"])[:8]
        years = [b["key_as_string"][:4] for b in busiest]

        ids = list(Article.objects.values_list("id", flat=True))
        titles = Article.objects.filter(id__in=rng.sample(ids, min(4000, len(ids)))).values_list("title", flat=True)
        stop = set("the and for with from that this over after into said says will have has its are was were been "
                   "more than about their they them amid under new not but who what when how why can could would "
                   "should may might year years copy".split())
        words, pairs = Counter(), Counter()
        for title in titles:
            tokens = [t.lower() for t in re.findall(r"[A-Za-z]+", title)]
            tokens = [t for t in tokens if len(t) >= 3 and t not in stop]
            words.update(t for t in tokens if len(t) >= 4)
            pairs.update(zip(tokens, tokens[1:]))
        common = [w for w, n in words.most_common(300) if n >= 5]
        phrases = [p for p, n in pairs.most_common(150) if n >= 3]
        rng.shuffle(common)
        word = iter(common)
        pick = lambda name: rng.choice(values[name])  # noqa: E731
        year = lambda: rng.choice(years)  # noqa: E731

        queries = []
        add = lambda kind, **params: queries.append((kind, params))  # noqa: E731
        for _ in range(8):
            add("word", q=next(word))
        for _ in range(4):
            add("two words", q=f"{next(word)} {next(word)}")
        for a, b in rng.sample(phrases, 6):
            add("phrase", q=f'"{a} {b}"')
        for _ in range(5):
            add("OR", q=f"{next(word)} OR {next(word)}")
        for _ in range(5):
            add("exclusion", q=f"{next(word)} -{next(word)}")
        for _ in range(5):
            add("prefix", q=next(w for w in word if len(w) >= 6)[:4] + "*")
        for _ in range(4):
            add("person", person=pick("person"))
        for _ in range(3):
            add("word + person", q=next(word), person=pick("person"))
        for _ in range(3):
            add("country", country=pick("country"))
        for _ in range(3):
            add("word + country", q=next(word), country=pick("country"))
        for _ in range(2):
            add("word + org", q=next(word), org=pick("org"))
        for _ in range(2):
            add("word + source", q=next(word), source=pick("source"))
        for _ in range(2):
            y = year()
            add("dates", date_from=f"{y}-01-01", date_to=f"{y}-12-31")
        y = year()
        add("dates", date_from=f"{y}-03-01", date_to=f"{y}-05-31")
        for _ in range(3):
            y = year()
            add("word + dates", q=next(word), date_from=f"{y}-01-01", date_to=f"{y}-06-30")
        for _ in range(3):
            y = year()
            add("word + country + dates", q=next(word), country=pick("country"), date_from=f"{y}-01-01",
                date_to=f"{y}-12-31")
        for _ in range(2):
            add("person + country", person=pick("person"), country=pick("country"))
        add("OR + person", q=f"{next(word)} OR {next(word)}", person=pick("person"))
        add("everything")
        add("everything by date", sort="date")
        add("word by date", q=next(word), sort="date")
        add("word oldest first", q=next(word), sort="date_asc")
        add("word page 2", q=next(word), page="2")
        add("word page 5", q=next(word), page="5")

        built = []
        for kind, params in queries:
            qs = urlencode(params)
            search_params = parse_search_params(QueryDict(qs))
            body = json.dumps(search_body(search_params)).encode()
            built.append({"kind": kind, "qs": qs, "body": body})
        return built

    def targets(self, server_url):
        es = settings.ELASTICSEARCH_URL
        auth = (settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD) if settings.ELASTICSEARCH_USERNAME else None
        raw_path = f"/{index_name()}/_search"
        raw = Target("raw Elasticsearch _search", es,
                     lambda q: ("POST", raw_path, q["body"], {"Content-Type": "application/json"}), auth)
        app = Target("app /api/search (gunicorn)", server_url, lambda q: ("GET", f"/api/search?{q['qs']}", None, {}))
        html = Target("app search page / (gunicorn)", server_url, lambda q: ("GET", f"/?{q['qs']}", None, {}))
        return raw, app, html

    def check_same_results(self, raw, app, queries):
        """The warm-up pass: both paths must find the same total and the same ids, in order."""
        different = []
        raw_conn, app_conn = raw.connect(), app.connect()
        for query in queries:
            status_raw, data_raw = raw.fetch(raw_conn, query)
            status_app, data_app = app.fetch(app_conn, query)
            if status_raw != 200 or status_app != 200:
                different.append(f"{query['qs']}: status raw {status_raw}, app {status_app}: {data_app[:200]!r}")
                continue
            hits = json.loads(data_raw)["hits"]
            result = json.loads(data_app)
            raw_ids = [int(hit["_id"]) for hit in hits["hits"]]
            app_ids = [hit["id"] for hit in result["hits"]]
            if hits["total"]["value"] != result["total"] or raw_ids != app_ids:
                different.append(f"{query['qs']}: total raw {hits['total']['value']}, app {result['total']}; "
                                 f"ids {'same' if raw_ids == app_ids else 'differ'}")
            query["total"] = result["total"]
        raw_conn.close()
        app_conn.close()
        return different

    def measure_search(self, clients):
        queries = self.build_queries()
        kinds = Counter(q["kind"] for q in queries)
        self.out(f"## Search: {len(queries)} queries, {self.options['passes']} timed passes per path and client count\n")
        self.out("Query kinds: " + ", ".join(f"{kind} {n}" for kind, n in kinds.items()) + ".")
        self.out(f"Queries (seed {self.options['seed']}): " + "; ".join(q["qs"] or "(none)" for q in queries) + "\n")

        log_path = ROOT / ".var" / "benchmark-search-web.log"
        log_path.parent.mkdir(exist_ok=True)
        with ProductionServer(log_path) as server:
            self.out(f"Production server: `{shlex.join(server.command)}` with DEBUG=0 (log {log_path}).\n")
            raw, app, html = self.targets(server.url)
            different = self.check_same_results(raw, app, queries)
            totals = sorted(q.get("total", 0) for q in queries)
            self.out(f"Warm-up and check: {len(queries) - len(different)}/{len(queries)} queries find the same total and "
                     f"ids through both paths (median total {totals[len(totals) // 2]:,}, largest {totals[-1]:,}).")
            for line in different:
                self.out(f"  DIFFERENT: {line}")

            self.wait_for_quiet_node()
            rows = []
            for count in clients:
                samples = {raw.name: ([], [0.0], []), app.name: ([], [0.0], [])}
                for n in range(self.options["passes"]):
                    order = queries[:]
                    random.Random(n).shuffle(order)
                    for target in (raw, app) if n % 2 == 0 else (app, raw):
                        latencies, wall, errors = run_clients(target, order, count)
                        samples[target.name][0].extend(latencies)
                        samples[target.name][1][0] += wall
                        samples[target.name][2].extend(errors)
                rows.append((count, {name: self.summary(*s) for name, s in samples.items()}))
            self.print_search_table(rows, raw, app)
            self.profile_request_path(queries, raw, app, html)

    @staticmethod
    def summary(latencies, wall, errors):
        return {"p50": percentile(latencies, 0.50), "p95": percentile(latencies, 0.95),
                "qps": len(latencies) / wall[0], "n": len(latencies), "errors": errors}

    def print_search_table(self, rows, raw, app):
        self.out("\n| clients | raw ES p50 ms | raw ES p95 ms | raw ES queries/s | app p50 ms | app p95 ms | "
                 "app queries/s | p95 ratio app/raw | requests per path |")
        self.out("|---|---|---|---|---|---|---|---|---|")
        for count, cell in rows:
            r, a = cell[raw.name], cell[app.name]
            self.out(f"| {count} | {r['p50']:.1f} | {r['p95']:.1f} | {r['qps']:.1f} | {a['p50']:.1f} | {a['p95']:.1f} | "
                     f"{a['qps']:.1f} | **{a['p95'] / r['p95']:.2f}** | {a['n']} |")
        for count, cell in rows:
            for name, s in cell.items():
                if s["errors"]:
                    self.out(f"  {len(s['errors'])} errors from {name} at {count} clients, e.g. {s['errors'][0]}")
        last = dict(rows).get(8)
        if last:
            ratio = last[app.name]["p95"] / last[raw.name]["p95"]
            self.out(f"\nTargets at 8 clients: p95 ratio app/raw ≤ 1.3: {ratio:.2f} "
                     f"({'met' if ratio <= 1.3 else 'not met'}); app p95 < 150 ms: {last[app.name]['p95']:.1f} ms "
                     f"({'met' if last[app.name]['p95'] < 150 else 'not met'}).")

    # ---- where the app's time goes --------------------------------------------------------

    def profile_request_path(self, queries, raw, app, html):
        """Single-client measurements that tell the request path's costs apart."""
        self.out("\n## Where the time goes (1 client, 2 passes each)\n")
        self.out("| what | p50 ms | p95 ms | response KB |")
        self.out("|---|---|---|---|")

        def row(label, target, items):
            latencies, received = [], 0
            for n in range(2):
                latencies += run_clients(target, items, 1)[0]
                received += run_clients.received
            self.out(f"| {label} | {percentile(latencies, 0.5):.1f} | {percentile(latencies, 0.95):.1f} | "
                     f"{received / len(latencies) / 1024:.1f} |")

        row("raw ES, the app's body", raw, queries)
        for label, drop in [("raw ES, without track_total_hits (ES counts up to 10,000)", ["track_total_hits"]),
                            ("raw ES, without highlight", ["highlight"]),
                            ("raw ES, without aggregations (facets, date histogram)", ["aggs"]),
                            ("raw ES, none of the three", ["track_total_hits", "highlight", "aggs"])]:
            variants = []
            for query in queries:
                body = json.loads(query["body"])
                for key in drop:
                    body.pop(key, None)
                variants.append({**query, "body": json.dumps(body).encode()})
            row(label, raw, variants)
        row("app /api/search (gunicorn)", app, queries)
        row("app search page / (HTML, gunicorn)", html, queries)

        # In-process: the Django stack without gunicorn, and the database queries per request.
        browser = Client(HTTP_HOST="127.0.0.1")
        # This process never ran collectstatic; the API and pages do not need the files.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        for label, path in [("/api/search", "/api/search"), ("/ (HTML page)", "/")]:
            latencies, query_counts = [], []
            for query in queries:
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = browser.get(f"{path}?{query['qs']}", secure=True)
                    latencies.append(time.perf_counter() - start)
                query_counts.append(len(captured))
                if response.status_code != 200:
                    self.out(f"  in-process {path}?{query['qs']}: status {response.status_code}")
            self.out(f"| in-process {label} (Django test client, no gunicorn) | {percentile(latencies, 0.5):.1f} | "
                     f"{percentile(latencies, 0.95):.1f} | |")
            self.db_queries = getattr(self, "db_queries", {})
            self.db_queries[label] = (sum(query_counts) / len(query_counts), max(query_counts))
        self.out("")
        for label, (mean, most) in self.db_queries.items():
            self.out(f"Database queries per request, {label}: {mean:.1f} on average, at most {most}.")

        if self.options["profile"]:
            profiler = cProfile.Profile()
            profiler.enable()
            for query in queries * 2:
                browser.get(f"/api/search?{query['qs']}", secure=True)
            profiler.disable()
            for order, restriction, title in [
                ("cumulative", (r"articles/|dsl/|json|http/response", 25), "cumulative, the app's and the client's own"),
                ("tottime", (20,), "own time"),
            ]:
                text = io.StringIO()
                pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(*restriction)
                lines = [line for line in text.getvalue().splitlines() if line.strip()]
                self.out(f"\ncProfile of {2 * len(queries)} in-process /api/search requests ({title}):\n```")
                self.out("\n".join(lines)[:8000])
                self.out("```")

    # ---- reindex --------------------------------------------------------------------------

    def measure_reindex(self):
        """Each path timed `--reindex-rounds` times, app and raw in alternating order, every run
        starting on a quiet node (no merge left running by the run before it)."""
        count = Article.objects.count()
        rounds = self.options["reindex_rounds"]
        self.out(f"\n## Reindex: {count:,} articles from the database, {rounds} rounds\n")
        with Timer() as prepare:
            documents = self.prepared_documents()
        (articles_index,) = registry.get_indices(models=[Article])
        raw_index = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-rawbulk"

        def actions():
            return ({"_index": raw_index, "_id": pk, "_source": source} for pk, source in documents)

        def new_raw_index(**index_settings):
            self.client.indices.delete(index=raw_index, ignore_unavailable=True)
            articles_index.clone(name=raw_index).settings(**index_settings).create()

        def app_sync():
            indexing.delete_index()
            return self.timed(lambda: (indexing.sync_stale(), self.client.indices.refresh(index=index_name()))[0])

        def raw_bulk():
            new_raw_index()
            return self.timed(lambda: (helpers.bulk(self.client, actions(), chunk_size=indexing.BULK_CHUNK,
                                                    raise_on_error=False)[0],
                                       self.client.indices.refresh(index=raw_index))[0])

        def app_rebuild():
            return self.timed(indexing.rebuild_index)

        def raw_parallel():
            new_raw_index(refresh_interval="-1", number_of_replicas=0)

            def run():
                ok = sum(1 for good, _ in helpers.parallel_bulk(self.client, actions(), thread_count=indexing.REBUILD_THREADS,
                                                                chunk_size=indexing.BULK_CHUNK, raise_on_error=False)
                         if good)
                self.client.indices.put_settings(index=raw_index, settings={"refresh_interval": None})
                self.client.indices.refresh(index=raw_index)
                return ok

            return self.timed(run)

        pairs = [
            ("sync_stale vs bulk",
             (f"app: `indexing.sync_stale()` after `delete_index()` (sequential, chunks of {indexing.BULK_CHUNK}, "
              "refresh on)", app_sync),
             (f"raw: `helpers.bulk` of the prepared documents (chunks of {indexing.BULK_CHUNK}, refresh on)", raw_bulk)),
            ("rebuild_index vs parallel_bulk",
             (f"app: `indexing.rebuild_index()` (zero-downtime; {indexing.REBUILD_THREADS} bulk threads, refresh off)",
              app_rebuild),
             (f"raw: `helpers.parallel_bulk`, {indexing.REBUILD_THREADS} threads, refresh off", raw_parallel)),
        ]
        runs = defaultdict(list)
        try:
            for n in range(rounds):
                for _, *paths in pairs:
                    for label, run in paths if n % 2 == 0 else paths[::-1]:
                        runs[label].append(run())
        finally:
            self.client.indices.delete(index=raw_index, ignore_unavailable=True)
            if indexing.document_count() != count:  # the search index stays whole for the next run
                indexing.sync_stale()

        self.out("| path | documents | seconds per run | documents/s (median run) |")
        self.out("|---|---|---|---|")
        rate = {}
        for label, results in runs.items():
            docs = results[0][0]
            seconds = statistics.median(sec for _, sec in results)
            rate[label] = docs / seconds
            self.out(f"| {label} | {docs:,} | {', '.join(f'{sec:.1f}' for _, sec in results)} | {rate[label]:,.0f} |")
        ratios = {name: rate[app[0]] / rate[raw[0]] for name, app, raw in pairs}
        for name, ratio in ratios.items():
            self.out(f"| **ratio app/raw**, {name} | | | **{ratio:.2f}** |")
        self.out(f"\nNot in the timings: preparing the raw documents (database reads and ArticleDocument.prepare, "
                 f"which the app's paths do inside their timings) took {prepare.seconds:.1f} s "
                 f"({count / prepare.seconds:,.0f} documents/s); dropping the index before each sync_stale run.")
        self.out("Target: reindex ratio ≥ 0.7: " + ", ".join(
            f"{name} {ratio:.2f} ({'met' if ratio >= 0.7 else 'not met'})" for name, ratio in ratios.items()) + ".")

    def wait_for_quiet_node(self, patience=300):
        """Until no merge runs on any node, so that a measurement does not share the node with
        merges of an index just written (by the archive's build or the run before)."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            stats = self.client.nodes.stats(metric="indices", index_metric="merge")
            if all(node["indices"]["merges"]["current"] == 0 for node in stats["nodes"].values()):
                return
            time.sleep(1)

    def timed(self, run):
        """(what `run` returns, its seconds), on a settled database (the app's runs leave a dead
        row version per article, which autovacuum would otherwise clean up during a later run)
        and a quiet node."""
        settle()
        self.wait_for_quiet_node()
        with Timer() as timer:
            result = run()
        return result, timer.seconds

    @staticmethod
    def prepared_documents():
        """(id, document) for every article, as ArticleDocument makes them for the index."""
        document = ArticleDocument()
        documents, last_id = [], 0
        while chunk := for_index(Article.objects.filter(id__gt=last_id).order_by("id")[:PREPARE_CHUNK]):
            documents.extend((article["id"], document.prepare(article)) for article in chunk)
            last_id = chunk[-1]["id"]
        return documents
