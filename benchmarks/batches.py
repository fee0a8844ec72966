"""Batch search on the search benchmark's archive: a list of --lines searches run by the app's
worker, timed from its upload to its last line, while readers search the site. Prints Markdown.
Not a test: nothing is asserted, the numbers are reported as measured.

The list is made from the archive's own values with a fixed seed: names of people and
organizations (a line that names an entity also finds its articles), countries, title words
and phrases, `person:` and `org:` prefixes, and rows with a date range, a source or a country
in the CSV's filter columns. The run is the app's own: `runs.create` stores the list as a
reader's batch and sends its first chunk to the worker (deploy/supervisord.conf's command, as
`make run` starts it, with BATCH_CHUNK, BATCH_RATE_LIMIT and BATCH_SEARCH_CONCURRENCY from
the options); the run time is the batch's own, from its start to its last chunk (the
database's timestamps).

Readers' searches: the search benchmark's query set (benchmarks/search_load.py) sent to
`/api/search` under the production server (gunicorn, DEBUG off) by --clients keep-alive
clients, in passes: with the worker started and idle, then for as long as the batch runs, then
idle again. p50 and p95 of each, and the ratio of the p95 during the run to the p95 idle
(before and after together: the machine's other load drifts, and a drift falls on both sides). Targets (issue 27): the list in under
60 s, the p95 during the run at most twice the idle one.

It needs the search benchmark's archive: `make benchmark-search` first, then
`make benchmark-batches` (scripts/benchmark.sh batches, on the search benchmark's database,
index and Redis database). It adds a reader and their batch, and deletes both at the end.
"""
import csv
import io
import os
import random
import shlex
import time

from celery import current_app
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from elasticsearch.dsl.connections import connections

from articles.indexing import index_name
from batches import lists, runs
from batches.models import Batch

from .common import ROOT, run, start_worker, stop_worker, wait_for_quiet_node
from .search_clients import ProductionServer, percentile, run_clients
from .search_load import SearchLoad

READER = "benchmark-batches"
PATIENCE = 900  # seconds the batch may run before the benchmark gives up


class Command(SearchLoad, BaseCommand):
    help = ("A 1,000-line batch search on the search benchmark's archive: its run time, and readers' "
            "/api/search p95 during the run against idle.")

    def add_arguments(self, parser):
        parser.add_argument("--lines", type=int, default=1000, help="lines in the list (1,000)")
        parser.add_argument("--clients", type=int, default=2, help="readers searching the site meanwhile (2)")
        parser.add_argument("--idle-passes", type=int, default=5,
                            help="passes over the search query set before the batch, the worker idle (5)")
        parser.add_argument("--chunk", type=int, default=None, help="BATCH_CHUNK for the worker (the setting's default)")
        parser.add_argument("--rate", default=None, help="BATCH_RATE_LIMIT for the worker (the setting's default)")
        parser.add_argument("--concurrency", type=int, default=None,
                            help="BATCH_SEARCH_CONCURRENCY for the worker (the setting's default)")
        parser.add_argument("--seed", type=int, default=10, help="random seed of the list and the query set (10)")

    def handle(self, **options):
        self.options = options
        self.out = self.stdout.write
        self.client = connections.get_connection()
        if not self.client.indices.exists(index=index_name()) or not self.client.count(index=index_name())["count"]:
            raise CommandError(f"{index_name()} holds no articles: run `make benchmark-search` first.")
        for name, value in (("BATCH_CHUNK", options["chunk"]), ("BATCH_RATE_LIMIT", options["rate"]),
                            ("BATCH_SEARCH_CONCURRENCY", options["concurrency"])):
            if value is not None:
                os.environ[name] = str(value)  # for the worker's process
        load = os.getloadavg()
        documents = self.client.count(index=index_name())["count"]
        self.out(f"# Batch search benchmark ({timezone.now():%Y-%m-%d %H:%M} UTC)\n")
        self.out(f"Host: {os.cpu_count()} CPU cores, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
                 f"(1/5/15 min) at the start; index {index_name()}, {documents:,} documents.\n")

        text = self.make_list(options["lines"], random.Random(options["seed"]))
        read = lists.read_list("benchmark.csv", text.encode())
        queries = self.build_queries()
        user, _ = get_user_model().objects.get_or_create(username=READER)
        log_path = ROOT / ".var" / "benchmark-batches-worker.log"
        worker = start_worker(log_path)
        try:
            with ProductionServer(ROOT / ".var" / "benchmark-batches-web.log") as server:
                self.out(f"Production server: `{shlex.join(server.command)}`; worker: `celery worker --concurrency 2` "
                         f"(log {log_path}) with " + ", ".join(
                             f"{name}={os.environ.get(name, '(default)')}"
                             for name in ("BATCH_CHUNK", "BATCH_RATE_LIMIT", "BATCH_SEARCH_CONCURRENCY")) + ".\n")
                self.wait_for_worker(log_path)
                app = self.targets(server.url)[1]
                run_clients(app, queries, self.options["clients"])  # warm-up
                wait_for_quiet_node(self.client)
                before = self.search_passes(app, queries, lambda passes: passes < self.options["idle_passes"])
                batch = runs.create(user, "benchmark", read)
                deadline = time.monotonic() + PATIENCE
                during = self.search_passes(app, queries, lambda passes: not self.finished(batch)
                                            and time.monotonic() < deadline)
                batch.refresh_from_db()
                if not batch.finished:
                    raise CommandError(f"the batch did not finish within {PATIENCE} s ({batch.done} of "
                                       f"{batch.runnable} lines); see {log_path}")
                after = self.search_passes(app, queries, lambda passes: passes < self.options["idle_passes"])
                self.report(batch, before, during, after)
        finally:
            stop_worker(worker)
            get_user_model().objects.filter(username=READER).delete()  # and the batch with it

    def make_list(self, count, rng):
        """`count` lines of CSV (query and the filter columns) from the archive's own values."""
        aggs = self.client.search(index=index_name(), size=300, source=["title"], aggs={
            "persons": {"terms": {"field": "persons_labelled", "size": 400}},
            "organizations": {"terms": {"field": "organizations_labelled", "size": 300}},
            "countries": {"terms": {"field": "countries_labelled", "size": 100}},
            "sources": {"terms": {"field": "source", "size": 10}},
            "years": {"date_histogram": {"field": "published_at", "calendar_interval": "year", "min_doc_count": 1}},
        })
        names = {field: [b["key"].partition("|")[2] for b in aggs["aggregations"][field]["buckets"]]
                 for field in ("persons", "organizations", "countries")}
        sources = [b["key"] for b in aggs["aggregations"]["sources"]["buckets"]]
        years = [b["key_as_string"][:4] for b in aggs["aggregations"]["years"]["buckets"]]
        words = sorted({word.lower() for hit in aggs["hits"]["hits"] for word in hit["_source"]["title"].split()
                        if word.isalpha() and len(word) > 4})
        rows = []
        for _ in range(count):
            kind = rng.random()
            row = {"query": ""}
            if kind < 0.25:
                row["query"] = rng.choice(names["persons"])
            elif kind < 0.45:
                row["query"] = rng.choice(names["organizations"])
            elif kind < 0.55:
                row["query"] = rng.choice(names["countries"])
            elif kind < 0.7:
                row["query"] = " ".join(rng.sample(words, rng.choice([1, 2])))
            elif kind < 0.75:
                row["query"] = '"' + " ".join(rng.sample(words, 2)) + '"'
            elif kind < 0.8:
                row["query"] = f'person:"{rng.choice(names["persons"])}" {rng.choice(words)}'
            elif kind < 0.85:
                row["query"] = f'org:"{rng.choice(names["organizations"])}"'
            else:
                row["query"] = rng.choice(names["persons"] + names["organizations"] + words)
                year = rng.choice(years)
                row.update(rng.choice([{"date_from": f"{year}-01-01", "date_to": f"{year}-12-31"},
                                       {"source": rng.choice(sources)},
                                       {"country": rng.choice(names["countries"])}]))
            rows.append(row)
        out = io.StringIO()
        writer = csv.DictWriter(out, ["query", *lists.FILTERS])
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    @staticmethod
    def wait_for_worker(log_path, patience=180):
        """Until the worker answers a ping: its processes have loaded spaCy, which would otherwise
        share the machine with the idle measurement."""
        deadline = time.monotonic() + patience
        while not current_app.control.ping(timeout=1):
            if time.monotonic() > deadline:
                raise CommandError(f"the worker did not answer within {patience} s; see {log_path}")

    def search_passes(self, app, queries, go_on):
        """Passes of the query set by --clients clients while `go_on(passes done)`: (latencies, errors)."""
        latencies, errors, passes = [], [], 0
        while go_on(passes):
            order = queries[:]
            random.Random(passes).shuffle(order)
            done, _, failed = run_clients(app, order, self.options["clients"])
            latencies += done
            errors += failed
            passes += 1
        return latencies, errors

    @staticmethod
    def finished(batch):
        return Batch.objects.filter(pk=batch.pk, status=Batch.Status.DONE).exists()

    def report(self, batch, before, during, after):
        """The run, and the readers' searches idle (before and after it, together) and during it."""
        seconds = (batch.finished_at - batch.started_at).total_seconds()
        refused = batch.lines.filter(status="refused").count()
        named = sum(1 for named in batch.lines.values_list("named", flat=True) if named)
        self.out(f"List: {batch.total:,} lines ({batch.runnable:,} read, {refused} refused by the search; "
                 f"{named:,} name an entity). Batch run: {seconds:.1f} s, {batch.total / seconds:.1f} lines/s.\n")
        idle = (before[0] + after[0], before[1] + after[1])
        self.out(f"| readers' /api/search ({self.options['clients']} clients) | p50 ms | p95 ms | requests |")
        self.out("|---|---|---|---|")
        for label, (latencies, _) in (("idle, before the batch", before), ("idle, after it", after),
                                      ("idle, both", idle), ("during the batch", during)):
            self.out(f"| {label} | {percentile(latencies, 0.5):.1f} | {percentile(latencies, 0.95):.1f} | "
                     f"{len(latencies)} |")
        for label, (_, errors) in (("idle", idle), ("during", during)):
            if errors:
                self.out(f"  {len(errors)} search errors {label}, e.g. {errors[0]}")
        ratio = percentile(during[0], 0.95) / percentile(idle[0], 0.95)
        self.out(f"\nTargets: {batch.total:,} lines in under 60 s: {seconds:.1f} s "
                 f"({'met' if seconds < 60 else 'not met'}); p95 during the run at most twice idle: **{ratio:.2f}** "
                 f"({'met' if ratio <= 2 else 'not met'}).")
        load = os.getloadavg()
        self.out(f"Load average at the end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}.")


if __name__ == "__main__":
    run(Command(), "benchmarks.batches")
