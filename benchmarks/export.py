"""Whether an export's memory stays flat: the app's CSV and JSON Lines exports of a small and a
large result set (10,000 and 100,000 articles by default, from one archive), each read to the
end through the view, as a server reads it. Prints a Markdown table. Not a test: nothing is
asserted, the numbers are reported as measured.

Per export, each in a fresh process (so that no earlier work has grown it): the rows against
X-Total-Count, the seconds (without tracemalloc), the growth of the process's peak RSS over its
RSS before the export (Linux: the peak is reset through /proc/self/clear_refs), and the peak
of Python's allocations during a second run under tracemalloc. For contrast, the same rows
held in a list, as an export that collects before it sends would hold them: what growing
memory looks like on the same measures.

The archive (--articles synthetic articles, every tenth from the source "Desk", so that
source=Desk is the small export, each with a person, a country and an organization) is stored
with bulk_create and indexed by the project's own bulk indexing; it is reused while the index
holds exactly --articles documents. It wipes the database it runs on, so it refuses one whose
name does not contain "bench" (`make benchmark-export` gives it its own).
"""
import gc
import hashlib
import json
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime, timedelta, timezone

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory

from articles import indexing, search
from articles.models import Article, Entity, Mention
from articles.web import api

from .common import run

FIRST_DAY = datetime(1990, 1, 1, 12, tzinfo=timezone.utc)
CREATE_CHUNK = 10_000
FORMATS = {"CSV": ("/api/search.csv", api.search_csv), "JSON Lines": ("/api/search.jsonl", api.search_jsonl)}
EXPORTS = {"source=Desk": {"source": "Desk"}, "everything": {}}
HELD = "rows held in a list (contrast)"


class Command(BaseCommand):
    help = "Measure the memory and time of the CSV and JSON Lines exports of a small and a large result set."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000, help="archive size (the large export)")
        parser.add_argument("--one", nargs=2, metavar=("WAY", "EXPORT"), help="measure one export in this "
                            "process and print it as JSON (what the benchmark runs in a fresh process per export)")

    def handle(self, *args, **options):
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError(f"The database {connection.settings_dict['NAME']!r} is not a benchmark's; "
                               "run it through `make benchmark-export`.")
        if options["one"]:
            self.stdout.write(json.dumps(measure_one(*options["one"])))
            return
        ensure_archive(options["articles"], self.stdout.write)
        self.stdout.write("| export | way | rows | X-Total-Count | seconds | peak RSS growth | tracemalloc peak |")
        self.stdout.write("|---|---|---|---|---|---|---|")
        for way in [*FORMATS, HELD]:
            for label in EXPORTS:
                child = subprocess.run([sys.executable, "-m", "benchmarks.export", "--one", way, label],
                                       capture_output=True, text=True, check=True)
                m = json.loads(child.stdout)
                total = f"{m['total']:,}" if m["total"] is not None else ""
                self.stdout.write(f"| {label} | {way} | {m['rows']:,} | {total} | {m['seconds']:.1f} | "
                                  f"{mib(m['rss'])} | {mib(m['traced'])} |")


def measure_one(way, label):
    """One export in a fresh process: warmed by an export that finds nothing (imports, the
    connection), then timed with its peak RSS growth, then run again under tracemalloc."""
    params = EXPORTS[label]
    action = (lambda: held(params)) if way == HELD else (lambda: run_export(way, params))
    if way != HELD:
        run_export(way, {"q": "nothing-matches-this"})
    held({"q": "nothing-matches-this"})
    rows, total, seconds, rss = measured(action)
    return {"rows": rows, "total": total, "seconds": seconds, "rss": rss, "traced": traced(action)}


def run_export(name, params):
    """The export read to the end as a server reads it: (rows, X-Total-Count)."""
    path, view = FORMATS[name]
    response = view(RequestFactory().get(path, params, HTTP_HOST="127.0.0.1"))
    lines = 0
    try:
        for chunk in response:
            lines += chunk.count(b"\n")
    finally:
        response.close()
    header = 1 if name == "CSV" else 0
    return lines - header, int(response["X-Total-Count"])


def held(params):
    """Every row of the export, collected in a list before anything is sent: (rows, None)."""
    with search.Export(search.parse_search_params(params_dict(params))) as export:
        rows = list(export)
    return len(rows), None


def params_dict(params):
    query = QueryDict(mutable=True)
    query.update(params)
    return query


def measured(action):
    """action()'s result, then its seconds and the growth of the peak RSS over the RSS before it."""
    gc.collect()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # the peak RSS (VmHWM) starts again from the RSS now
    before = _status_kb("VmRSS")
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    return (*result, seconds, (_status_kb("VmHWM") - before) * 1024)


def traced(action):
    """The peak of Python's allocations while action() runs, over what was allocated before."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def _status_kb(field):
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1])


def mib(size):
    return f"{size / 2**20:.1f} MiB"


def ensure_archive(count, write):
    indexing.ensure_index()
    if Article.objects.count() == count and indexing.document_count() == count:
        write(f"Archive reused: {count:,} articles.")
        return
    start = time.perf_counter()
    indexing.delete_index()
    with connection.cursor() as cursor:  # at once: deleting row by row would queue an index removal per row
        cursor.execute(f"TRUNCATE {Article._meta.db_table}, {Entity._meta.db_table} CASCADE")
    groups = [Entity.objects.bulk_create(group) for group in (
        [Entity(kind=Entity.Kind.PERSON, key=f"person {n}", name=f"Person Number {n}") for n in range(50)],
        [Entity(kind=Entity.Kind.COUNTRY, key=code, name=code) for code in ("RU", "CN", "US", "FR", "BR")],
        [Entity(kind=Entity.Kind.ORGANIZATION, key=f"organization {n}", name=f"Organization {n}") for n in range(20)],
    )]
    for first in range(0, count, CREATE_CHUNK):
        rows = Article.objects.bulk_create(_article(n) for n in range(first, min(first + CREATE_CHUNK, count)))
        Mention.objects.bulk_create(
            Mention(article=article, entity=group[article.id % len(group)], surface="x", count=1, offsets=[[0, 1]])
            for article in rows for group in groups
        )
    indexed = indexing.sync_stale(refresh=True)
    write(f"Archive built: {count:,} articles, {indexed:,} indexed, in {time.perf_counter() - start:.0f} s.")


def _article(n):
    title = f"Ministers meet over trade and energy, dispatch number {n}"
    return Article(
        title=title, body=f"{title}. The talks went on into the night.", source="Desk" if n % 10 == 0 else "Wire",
        published_at=FIRST_DAY + timedelta(hours=n), url=f"https://news.example.org/{n}",
        content_hash=hashlib.sha256(title.encode()).hexdigest(), enrichment_status=Article.Enrichment.ENRICHED,
    )


if __name__ == "__main__":
    run(Command(), "benchmarks.export")
