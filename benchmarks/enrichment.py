"""Enrichment throughput: the whole pipeline against raw spaCy, side by side in one run.

End to end = queue -> Celery worker (2 processes) -> spaCy NER -> entity rows in the
database -> Elasticsearch bulk indexing, timed from queueing the first task until
every article is enriched and indexed. Raw = `nlp.pipe` over the same texts with the
same model and components on the same two cores (n_process=2).

Both are timed in alternating rounds (end to end first in odd rounds, raw first in
even ones), each started once the writes of the step before are on disk, so that
neither pays for the other's writeback and a slow minute of the machine does not
land on one side only. Prints every round, then both throughputs over all rounds
and their ratio.

Run with `make benchmark` (starts the services; uses its own database and index):
it calls `python -m benchmarks.enrichment [--limit N] [--rounds N]`. `load_articles`,
`reset_enrichment`, `time_end_to_end`, `add_options` and `alternating_rounds` serve the resolution
benchmark too.
"""
import json
import lzma
import time

from celery import current_app
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles import indexing
from articles.enrichment.nlp import get_nlp
from articles.entities import BATCH_SIZE, article_text
from articles.models import Article, Entity, Mention
from articles.pipeline import queue_articles

from .common import ROOT, SHARED, run, settle, start_worker, stop_worker

REUTERS = SHARED / "reuters21578" / "train.jsonl"


def load_articles(limit, path=REUTERS):
    """Store Reuters items (JSON Lines, xz-compressed or not) as pending articles, not yet
    sent (the timed part sends them).

    Marked as sent all the same, so the reconciler that runs at worker start leaves them
    to the benchmark instead of sending them first."""
    Article.objects.all().delete()
    Entity.objects.all().delete()
    rows = []
    with (lzma.open if path.suffix == ".xz" else open)(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            text = item.get("text") or item.get("body")
            if not text:
                continue
            body = f"{item.get('dateline', '')} {text}".strip()
            rows.append(Article(title=item.get("title") or body[:80], body=body,
                                content_hash=f"bench-{item['id']}", source="Reuters",
                                queued_at=timezone.now()))
            if len(rows) == limit:
                break
    Article.objects.bulk_create(rows, batch_size=1000)
    return list(Article.objects.order_by("id"))


def reset_enrichment():
    """Back to the state `load_articles` leaves: every article pending, no entity, an empty index."""
    Mention.objects.all().delete()
    Entity.objects.all().delete()
    Article.objects.update(enrichment_status=Article.Enrichment.PENDING, enrichment_attempts=0,
                           enriched_at=None, claimed_by="", queued_at=timezone.now())
    indexing.delete_index()
    indexing.ensure_index()


def time_raw_spacy(texts):
    nlp = get_nlp()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=2):
        pass
    return time.perf_counter() - start


def start_timed_worker():
    """The worker (2 processes), once it has loaded the model: nothing timed waits for that."""
    worker = start_worker(ROOT / ".var" / "benchmark-worker.log")
    time.sleep(17)
    return worker


def time_end_to_end(articles, every_second=None):
    """Seconds from queueing the articles until all are enriched and indexed; `every_second`,
    if given, is called about once a second meanwhile (as a scheduler would send tasks)."""
    ids = [a.id for a in articles]
    start = time.perf_counter()
    queue_articles(ids)
    while Article.objects.filter(indexed_at__isnull=True).exists() or Article.objects.filter(
        enrichment_status=Article.Enrichment.PENDING
    ).exists():
        if every_second:
            every_second(time.perf_counter() - start)
        time.sleep(1 if every_second else 0.2)
    return time.perf_counter() - start


def add_options(parser, corpus, limit):
    parser.add_argument("--limit", type=int, default=limit, help=f"{corpus} items to use (default {limit})")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of both (default 2)")


def alternating_rounds(rounds, sides, measure, report):
    """{side: seconds of each round}: `measure(side)` times one side on a settled machine, with a
    worker started beforehand; the first of `sides` goes first in odd rounds, last in even ones.
    `report(number, seconds)` after each round."""
    seconds = {side: [] for side in sides}
    worker = start_timed_worker()
    try:
        for number in range(rounds):
            for side in sides if number % 2 == 0 else sides[::-1]:
                seconds[side].append(measure(side))
            report(number + 1, seconds)
    finally:
        stop_worker(worker)
    return seconds


class Command(BaseCommand):
    help = "Enrichment throughput: the whole pipeline against raw spaCy, side by side in one run."

    def add_arguments(self, parser):
        add_options(parser, "Reuters", 4000)

    def handle(self, **options):
        indexing.delete_index()
        indexing.ensure_index()
        articles = load_articles(options["limit"])
        # Deleting the last run's rows queued their index removals: the index is new anyway.
        current_app.control.purge()
        texts = [article_text(a.title, a.body) for a in articles]
        nlp = get_nlp()
        self.stdout.write(f"{len(texts)} Reuters articles, model {nlp.meta['name']} {nlp.meta['version']}, "
                          f"components {nlp.pipe_names}")
        enriched = []

        def measure(side):
            if side == "e2e" and enriched:
                reset_enrichment()
            settle()
            if side == "raw":
                return time_raw_spacy(texts)
            enriched.append(True)
            return time_end_to_end(articles)

        def report(number, seconds):
            self.stdout.write(f"round {number}: raw {len(texts) / seconds['raw'][-1]:.1f} articles/s, "
                              f"end to end {len(texts) / seconds['e2e'][-1]:.1f} articles/s")

        seconds = alternating_rounds(options["rounds"], ("e2e", "raw"), measure, report)
        raw, e2e = sum(seconds["raw"]), sum(seconds["e2e"])
        done = len(texts) * options["rounds"]
        failed = Article.objects.filter(enrichment_status=Article.Enrichment.FAILED).count()
        self.stdout.write(f"raw spaCy nlp.pipe (n_process=2): {done / raw:8.1f} articles/s ({raw:.1f} s)")
        self.stdout.write(f"end to end (queue, worker x2, NER, DB, index): {done / e2e:8.1f} articles/s "
                          f"({e2e:.1f} s)")
        self.stdout.write(f"ratio end-to-end / raw: {raw / e2e:.2f}   (failed articles in the last round: {failed})")


if __name__ == "__main__":
    run(Command(), "benchmarks.enrichment")
