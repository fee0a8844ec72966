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
calls `python -m benchmarks.resolution [--limit N] [--rounds N]`.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.models import Article, Judgement, NameEvidence, ResolutionProgress
from articles.tasks import resolve_entities
from newsarchive.celery import app

from .common import SHARED, run, settle
from .enrichment import add_options, alternating_rounds, load_articles, reset_enrichment, time_end_to_end

REUTERS_2006 = SHARED / "reuters2006" / "reuters_2006_2013.jsonl.xz"


class Scheduler:
    """Sends `resolve_entities` every RESOLVE_INTERVAL seconds of the timed run, from its start."""

    def __init__(self):
        self.sent = 0

    def __call__(self, elapsed):
        if elapsed >= self.sent * settings.RESOLVE_INTERVAL:
            resolve_entities.delay()
            self.sent += 1


def wait_for_resolver(patience=600):
    """Drop the resolver runs still queued and wait until none holds the resolver (twice
    in a row, a second apart), so that the reset does not pull rows from under a run that
    is still writing its judgements, and no run of one side spills into the next."""
    app.control.purge()
    deadline, free = time.monotonic() + patience, 0
    while free < 2:
        if time.monotonic() > deadline:
            raise CommandError(f"a resolver run still held the resolver after {patience} s")
        held = ResolutionProgress.objects.filter(pk=1, held_until__gt=timezone.now()).exists()
        free = 0 if held else free + 1
        time.sleep(1)


def reset():
    wait_for_resolver()
    reset_enrichment()
    Judgement.objects.all().delete()
    ResolutionProgress.objects.all().delete()
    NameEvidence.objects.all().delete()
    Article.objects.update(recalled_at=None)


class Command(BaseCommand):
    help = "The resolver's cost to an import: end-to-end enrichment with and without it, side by side."

    def add_arguments(self, parser):
        add_options(parser, "reuters2006", 5000)

    def handle(self, **options):
        articles = load_articles(options["limit"], REUTERS_2006)
        self.stdout.write(f"{len(articles)} reuters2006 articles; the resolver every {settings.RESOLVE_INTERVAL:g} s")
        joined = []

        def measure(side):
            reset()
            settle()
            seconds = time_end_to_end(articles, Scheduler() if side == "with" else None)
            if side == "with":
                joined.append(Judgement.objects.count())
            # Printed as each side ends: a long run shows its first side before the second ends.
            self.stdout.write(f"{side} the resolver: {len(articles) / seconds:.1f} articles/s ({seconds:.1f} s)")
            return seconds

        def report(number, seconds):
            self.stdout.write(f"round {number}: with the resolver {len(articles) / seconds['with'][-1]:.1f}"
                              f" articles/s ({joined[-1]} joins), without {len(articles) / seconds['without'][-1]:.1f}")

        seconds = alternating_rounds(options["rounds"], ("with", "without"), measure, report)
        with_, without = sum(seconds["with"]), sum(seconds["without"])
        done = len(articles) * options["rounds"]
        self.stdout.write(f"without the resolver: {done / without:8.1f} articles/s ({without:.1f} s)")
        self.stdout.write(f"with the resolver:    {done / with_:8.1f} articles/s ({with_:.1f} s)")
        self.stdout.write(f"time with / without: {with_ / without:.3f}")


if __name__ == "__main__":
    run(Command(), "benchmarks.resolution")
