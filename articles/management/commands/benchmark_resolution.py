"""The archive-level resolver's cost to an import: the pipeline with and without it, side by
side in one run.

Both sides enrich and index the same reuters2006 articles end to end (queue -> Celery worker
(2 processes) -> spaCy NER -> entity rows -> Elasticsearch), timed until every article is
enriched and indexed. "With" also sends the `resolve_entities` task every RESOLVE_INTERVAL
seconds, as `make run`'s scheduler does, to the same worker; "without" sends none. Rounds
alternate which side goes first, each side starting from no entities, pending articles and an
empty index. Prints every round, both throughputs over all rounds, their ratio, and what the
resolver joined.

Run with `make benchmark-resolution` (starts the services; its own database and index): it
calls `manage.py benchmark_resolution [--limit N] [--rounds N]`.
"""
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.management.commands.benchmark_enrichment import (
    ROOT,
    load_articles,
    reset_enrichment,
    settle,
    start_worker,
    time_end_to_end,
)
from articles.models import Judgement, ResolutionProgress
from articles.tasks import resolve_entities

REUTERS_2006 = ROOT.parent / "shared" / "data" / "reuters2006" / "reuters_2006_2013.jsonl.xz"


class Scheduler:
    """Sends `resolve_entities` every RESOLVE_INTERVAL seconds of the timed run, from its start."""

    def __init__(self):
        self.sent = 0

    def __call__(self, elapsed):
        if elapsed >= self.sent * settings.RESOLVE_INTERVAL:
            resolve_entities.delay()
            self.sent += 1


def reset():
    reset_enrichment()
    Judgement.objects.all().delete()
    ResolutionProgress.objects.all().delete()


class Command(BaseCommand):
    help = "The resolver's cost to an import: end-to-end enrichment with and without it, side by side."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=5000, help="reuters2006 items to use (default 5000)")
        parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of both (default 2)")

    def handle(self, **options):
        articles = load_articles(options["limit"], REUTERS_2006)
        self.stdout.write(f"{len(articles)} reuters2006 articles; the resolver every {settings.RESOLVE_INTERVAL:g} s")
        seconds, joined = {"with": [], "without": []}, []
        worker = start_worker()
        try:
            time.sleep(15)  # the worker processes load the model before anything is timed
            for number in range(options["rounds"]):
                for side in ("with", "without") if number % 2 == 0 else ("without", "with"):
                    reset()
                    settle()
                    seconds[side].append(time_end_to_end(articles, Scheduler() if side == "with" else None))
                    if side == "with":
                        joined.append(Judgement.objects.count())
                self.stdout.write(f"round {number + 1}: with the resolver {len(articles) / seconds['with'][-1]:.1f}"
                                  f" articles/s ({joined[-1]} joins), without {len(articles) / seconds['without'][-1]:.1f}")
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        with_, without = sum(seconds["with"]), sum(seconds["without"])
        done = len(articles) * options["rounds"]
        self.stdout.write(f"without the resolver: {done / without:8.1f} articles/s ({without:.1f} s)")
        self.stdout.write(f"with the resolver:    {done / with_:8.1f} articles/s ({with_:.1f} s)")
        self.stdout.write(f"time with / without: {with_ / without:.3f}")
