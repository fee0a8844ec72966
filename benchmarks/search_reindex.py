"""The search benchmark's reindex comparison: the app's paths (`sync_stale` after
`delete_index`, and `rebuild_index`) against raw `helpers.bulk` / `helpers.parallel_bulk` of
the same documents."""
import statistics
from collections import defaultdict

from django.conf import settings
from django_elasticsearch_dsl.registries import registry
from elasticsearch import helpers

from articles import indexing
from articles.indexing import ArticleDocument, for_index, index_name
from articles.models import Article

from .common import Timer, settle, wait_for_quiet_node

PREPARE_CHUNK = 2500  # articles per query when preparing documents for raw _bulk


class ReindexComparison:
    """The Command's reindex measurement (`self.options`, `self.out` and `self.client`, the
    Elasticsearch client, are the Command's)."""

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

    def timed(self, run):
        """(what `run` returns, its seconds), on a settled database (the app's runs leave a dead
        row version per article, which autovacuum would otherwise clean up during a later run)
        and a quiet node."""
        settle()
        wait_for_quiet_node(self.client)
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
