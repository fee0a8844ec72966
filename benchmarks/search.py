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
it its own database, index prefix and Redis database): `python -m benchmarks.search [OPTIONS]`.
The archive's build is benchmarks/search_archive.py, the HTTP clients and the production
server benchmarks/search_clients.py, the search measurement benchmarks/search_load.py, the
reindex comparison benchmarks/search_reindex.py.
"""
import os

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone
from elasticsearch.dsl.connections import connections

from articles.indexing import index_name

from .common import run
from .search_archive import ArchiveBuilder
from .search_load import SearchLoad
from .search_reindex import ReindexComparison


class Command(ArchiveBuilder, SearchLoad, ReindexComparison, BaseCommand):
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
        # 20 passes: each p95 is of 1,360 requests. At 6 (408), runs of the same code varied too
        # much to compare (docs/performance.md, "Search").
        parser.add_argument("--passes", type=int, default=20,
                            help="timed passes over the query set per path and client count (20)")
        parser.add_argument("--seed", type=int, default=10, help="random seed of the query set (10)")
        parser.add_argument("--count", choices=("stories", "articles"), default="stories",
                            help="what every search counts (its count parameter): stories, the default, collapse "
                                 "versions and count stories; articles, the search without them")
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
                 f"{connection.settings_dict['NAME']}; index {index_name()}; searches count "
                 f"{options['count']}.\n")

        self.ensure_archive()
        if not options["no_search"]:
            self.measure_search(clients)
        if not options["no_reindex"]:
            self.measure_reindex()
        load_after = os.getloadavg()
        self.out(f"\nLoad average at the end: {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f}.")


if __name__ == "__main__":
    run(Command(), "benchmarks.search")
