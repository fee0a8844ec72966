"""Version groups (articles.stories): precision and recall on a labelled set, the share of the
archive in groups, and what grouping costs enrichment.

1. The labelled set, built from reuters2006 with a fixed seed: base articles, each with two
   realistic edits of its own text (an updated lead, appended paragraphs, a correction, a trimmed
   copy; the new words are taken from another article of that day), filed an hour or more after
   it; hard negatives, other stories of the base's day that share a name of its headline; and
   real version pairs, articles with the same headline and near-identical text (Jaccard >= 0.5).
   Real pairs whose edit is large (Jaccard < 0.7, or filed more than a day apart) count only as
   judged by hand in stories_judged.csv (beside this file; every headline with a judged pair is
   in the set), which also holds the hand verdicts on hard negatives that turned out to be
   versions. Every article is stored and placed by the
   product's own code (`place_unplaced`, the LSH bands in the database), oldest first; precision
   and recall are over the pairs of articles the set labels as one story or as two.
2. The whole of reuters2006 (one article for each distinct title and text, as importing stores it)
   placed the same way but its newest `--limit` articles, timed (placing alone); those are then
   enriched in this process batch by batch, each batch enriched with grouping off and then
   placed, timed apart, so that the busy minutes of a shared machine fall on both alike: the
   time placing adds to enrichment, against a full archive's bands. Then the share of the
   archive in a story with other versions.
3. Enrichment end to end (as `benchmarks.enrichment` times it, a Celery worker of 2 processes)
   with STORY_GROUPING on and off, alternating which goes first (each from an empty archive).

Run with `make benchmark-stories` (starts the services; its own database and index): it calls
`python -m benchmarks.stories [--bases N] [--real N] [--limit N] [--rounds N] [--skip-archive]
[--skip-throughput]`.
"""
import csv
import json
import lzma
import os
import random
import re
import time
from collections import defaultdict
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from articles.enrichment import enrich_articles
from articles.entities import BATCH_SIZE
from articles.models import Article, Entity, Mention, Story, Version, VersionBand
from articles.stories import hold_lock, place_unplaced, place_versions
from articles.stories import signatures as sig

from .common import ROOT, SHARED, Timer, run, settle, start_worker, stop_worker
from .enrichment import load_articles, reset_enrichment, time_end_to_end

REUTERS_2006 = SHARED / "reuters2006" / "reuters_2006_2013.jsonl.xz"
JUDGED = Path(__file__).with_name("stories_judged.csv")
SEED = 26
EDITS = ["updated lead", "appended paragraphs", "correction", "trimmed copy"]
NAME = re.compile(r"\b[A-Z][a-zA-Z&]{3,}\b")
TITLE_WORDS_SKIPPED = {"UPDATE", "Factbox", "FACTBOX", "Analysis", "ANALYSIS", "Timeline", "TIMELINE", "Reuters",
                       "CORRECTED", "With", "From", "Into", "After", "Over", "Says", "Sees", "Will"}
SMALL_EDIT = 0.7  # Jaccard at or above which a real pair's edit is small enough to label without reading it


def read_archive():
    """reuters2006 items with a body: dicts of id, title, published, body, in file order."""
    items = []
    with lzma.open(REUTERS_2006, "rt", encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if item["body"].strip():
                items.append({"id": item["id"], "title": item["title"], "body": item["body"],
                              "published": datetime.fromisoformat(item["date"])})
    return items


def edited(words, kind, donor, rng):
    """A realistic edit of `words`; new words come from `donor` (another story's words)."""
    if kind == "updated lead":
        lead_end = next((i + 1 for i, w in enumerate(words[:60]) if i >= 15 and w.endswith(".")), 30)
        return donor[: rng.randint(25, 45)] + words[lead_end:]
    if kind == "appended paragraphs":
        extra = int(len(words) * rng.uniform(0.15, 0.5))
        start = rng.randint(0, max(len(donor) - extra, 0))
        return words + donor[start:start + extra]
    if kind == "correction":
        changed = list(words)
        numbers = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
        for i in rng.sample(numbers, min(3, len(numbers))):
            changed[i] = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), changed[i], count=1)
        if not numbers:
            changed.insert(len(words) // 2, "reportedly")
        return changed + ["(Corrects", "figures", "in", "earlier", "version)"]
    keep = int(len(words) * rng.uniform(0.5, 0.9))
    return words[:keep]


def resemblance(first, second):
    return sig.resemblance(sig.shingles(first), sig.shingles(second))


def load_judged():
    """{(first id, second id): True when judged versions of one story}."""
    with open(JUDGED, encoding="utf-8") as handle:
        return {tuple(sorted((row["first"], row["second"]))): row["verdict"] == "same"
                for row in csv.DictReader(handle)}


def labelled_set(items, bases, real_groups, rng):
    """(articles, cluster label of each, counts): articles are dicts of key, title, body, published,
    each once; two articles share a label when they are versions of one story."""
    judged = load_judged()
    by_day = defaultdict(list)
    titles = defaultdict(list)
    for item in items:
        by_day[item["published"].date()].append(item)
        titles[item["title"].strip().lower()].append(item)
    articles, same, counts = {}, _Labels(), defaultdict(int)

    def add(item, key=None, body=None, published=None):
        articles[key or item["id"]] = {"key": key or item["id"], "title": item["title"], "body": body or item["body"],
                                       "published": published or item["published"]}

    unique = [i for i in items if len(titles[i["title"].strip().lower()]) == 1 and len(i["body"].split()) >= 150]
    for base in rng.sample(unique, bases):
        words = base["body"].split()
        same_day = [i for i in by_day[base["published"].date()] if i["id"] != base["id"]]
        add(base)
        for number, kind in enumerate(rng.sample(EDITS, 2), start=1):
            donor = rng.choice(same_day)["body"].split() if same_day else words[::-1]
            key = f"{base['id']}~{kind}"
            add(base, key=key, body=" ".join(edited(words, kind, donor, rng)),
                published=base["published"] + timedelta(hours=number * rng.uniform(1, 6)))
            same.join(base["id"], key)
            counts[kind] += 1
        names = set(NAME.findall(base["title"])) - TITLE_WORDS_SKIPPED
        negatives = [i for i in same_day if i["id"] not in articles and names & set(NAME.findall(i["title"]))
                     and i["title"].strip().lower() != base["title"].strip().lower()]
        if negatives:
            add(rng.choice(negatives))
            counts["hard negative"] += 1
    groups, left_out = _real_groups(titles, judged, articles)
    read = [g for g in groups if any(tuple(sorted((a["id"], b["id"]))) in judged for a, b in combinations(g[0], 2))]
    rest = [g for g in groups if g not in read]
    for group, pairs in read + rng.sample(rest, max(min(real_groups - len(read), len(rest)), 0)):
        for item in group:
            add(item)
        for first, second in pairs:
            same.join(first, second)
        counts["real version pairs"] += len(pairs)
        counts["real pairs judged two stories"] += len(group) * (len(group) - 1) // 2 - len(pairs)
    counts["headlines left out (a large edit not judged)"] = left_out
    for (first, second), verdict in judged.items():  # hand verdicts on any two articles of the set
        if verdict and first in articles and second in articles:
            same.join(first, second)
    keys = list(articles)
    return [articles[k] for k in keys], [same.find(k) for k in keys], counts


class _Labels:
    """Union-find over article keys: `find` is the label of a key's story."""

    def __init__(self):
        self.parent = {}

    def find(self, key):
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def join(self, first, second):
        self.parent[self.find(first)] = self.find(second)


def _real_groups(titles, judged, taken):
    """Headlines shared by 2 to 4 articles with near-identical text (Jaccard >= 0.5, not identical)
    and every pair labelled: a small edit, or judged by hand. ([(articles, same-story pairs)],
    headlines left out because a large edit was not judged)."""
    groups, left_out = [], 0
    for group in titles.values():
        if not 2 <= len(group) <= 4 or any(i["id"] in taken for i in group):
            continue
        pairs, complete, near = [], True, False
        for first, second in combinations(sorted(group, key=lambda i: i["published"]), 2):
            if first["body"] == second["body"]:
                complete = False  # identical copies are import's to skip, not grouping's
                break
            found = resemblance(first["body"], second["body"])
            near |= found.jaccard >= sig.JACCARD_MIN
            key = tuple(sorted((first["id"], second["id"])))
            small = found.jaccard >= SMALL_EDIT and abs(first["published"] - second["published"]) <= timedelta(days=1)
            if key in judged:
                pairs += [key] if judged[key] else []
            elif small:
                pairs.append(key)
            elif found.jaccard >= sig.JACCARD_MIN or found.containment >= sig.CONTAINMENT_MIN:
                complete = False
        if complete and near:
            groups.append((group, pairs))
        elif near:
            left_out += 1
    return groups, left_out


def store(articles, status=Article.Enrichment.ENRICHED):
    """Store the articles, not yet placed, as enriched (grouping reads nothing else) or pending;
    returns their ids."""
    rows = [Article(title=a["title"][:500], body=a["body"], published_at=a["published"], source="Reuters",
                    content_hash=f"stories-{status}-{n}", enrichment_status=status, queued_at=timezone.now())
            for n, a in enumerate(articles)]
    Article.objects.bulk_create(rows, batch_size=1000)
    return [row.pk for row in rows]


def clear():
    """No articles, stories or entities. TRUNCATE (scripts/benchmark.sh runs on PostgreSQL): deleting
    a hundred thousand articles through the ORM loads each and queues each one's index removal."""
    tables = [model._meta.db_table for model in (VersionBand, Version, Story, Mention, Entity, Article)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def pair_scores(labels, stories):
    """Pairwise precision, recall and the wrong pairs: (precision, recall, [(i, j, kind)])."""
    tp = fp = fn = 0
    wrong = []
    for i, j in combinations(range(len(labels)), 2):
        same, grouped = labels[i] == labels[j], stories[i] == stories[j]
        tp += same and grouped
        if grouped and not same:
            fp += 1
            wrong.append((i, j, "false positive"))
        if same and not grouped:
            fn += 1
            wrong.append((i, j, "false negative"))
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), wrong


class Command(BaseCommand):
    help = "Version groups: precision and recall on a labelled set, the archive's share in groups, the cost to enrichment."

    def add_arguments(self, parser):
        parser.add_argument("--bases", type=int, default=400, help="base articles edited twice (default 400)")
        parser.add_argument("--real", type=int, default=300,
                            help="headlines with real versions, those judged by hand among them (default 300)")
        parser.add_argument("--limit", type=int, default=3000, help="reuters2006 articles enriched per side (default 3000)")
        parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of enrichment (default 2)")
        parser.add_argument("--skip-archive", action="store_true", help="leave out placing the whole archive")
        parser.add_argument("--skip-throughput", action="store_true", help="leave out the enrichment rounds")

    def handle(self, **options):
        rng = random.Random(SEED)
        items = read_archive()
        self.stdout.write(f"reuters2006: {len(items)} articles with a body; seed {SEED}")
        self.quality(items, options, rng)
        if not options["skip_archive"]:
            self.archive_share(items, options["limit"])
        if not options["skip_throughput"]:
            self.throughput(options)

    def quality(self, items, options, rng):
        articles, labels, counts = labelled_set(items, options["bases"], options["real"], rng)
        clear()
        ids = store(articles)
        place_unplaced()
        story_of = dict(Version.objects.values_list("article_id", "story_id"))
        precision, recall, wrong = pair_scores(labels, [story_of[i] for i in ids])
        self.stdout.write(f"labelled set: {len(articles)} articles; " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        self.stdout.write(f"precision {precision:.4f}, recall {recall:.4f} (pairs of articles)")
        for i, j, kind in wrong[:40]:
            found = resemblance(articles[i]["body"], articles[j]["body"])
            self.stdout.write(f"  {kind}: {articles[i]['key']} / {articles[j]['key']} "
                              f"(J {found.jaccard:.2f}, contained {found.containment:.2f}): "
                              f"{articles[i]['published']:%Y-%m-%d %H:%M} {articles[i]['title']!r} / "
                              f"{articles[j]['published']:%Y-%m-%d %H:%M} {articles[j]['title']!r}")

    def archive_share(self, items, newest):
        """Place the archive but its `newest` articles, then enrich those in this process, batch
        by batch, each batch enriched with grouping off and then placed (its own transaction),
        so that a busy minute of the shared machine falls on both: the time placing adds to
        enriching, with the archive's bands in the table. Then the share of the archive in groups."""
        clear()
        # As importing stores it: one article for each distinct title and text.
        distinct = list({(i["title"].strip(), i["body"].strip()): i for i in reversed(items)}.values())
        distinct.sort(key=lambda i: i["published"])
        store(distinct[:-newest] if newest else distinct)
        with Timer() as placing:
            placed = place_unplaced()
        self.stdout.write(f"placing alone: {placed} articles in {placing.seconds:.0f} s, "
                          f"{placed / placing.seconds:.0f} articles/s")
        if newest:
            self.enrich_and_place(store(distinct[-newest:], Article.Enrichment.PENDING))
        sizes = defaultdict(int)
        for story_id in Version.objects.values_list("story_id", flat=True):
            sizes[story_id] += 1
        grouped = sum(size for size in sizes.values() if size > 1)
        self.stdout.write(f"archive: {grouped} of {len(distinct)} articles ({grouped / len(distinct):.1%}) in "
                          f"{sum(size > 1 for size in sizes.values())} stories of two versions or more")
        clear()

    def enrich_and_place(self, ids):
        settings.STORY_GROUPING = False
        enriching = grouping = 0.0
        for start in range(0, len(ids), BATCH_SIZE):
            batch = Article.objects.filter(id__in=ids[start:start + BATCH_SIZE])
            with Timer() as enriched:
                enrich_articles(batch)
            with Timer() as placed, transaction.atomic():
                hold_lock()
                place_versions(list(batch.only("id", "title", "body", "published_at")))
            enriching, grouping = enriching + enriched.seconds, grouping + placed.seconds
        self.stdout.write(f"enriching the {len(ids)} newest in this process: {enriching:.1f} s; placing them: "
                          f"{grouping:.1f} s ({grouping / enriching:.1%} of enriching): throughput with / without "
                          f"grouping {enriching / (enriching + grouping):.3f}")

    def throughput(self, options):
        articles = load_articles(options["limit"], REUTERS_2006)
        current_app.control.purge()  # index removals queued by deleting the last run's articles
        seconds = {"with": [], "without": []}
        for number in range(options["rounds"]):
            for side in ("with", "without") if number % 2 == 0 else ("without", "with"):
                reset_enrichment()
                for model in (VersionBand, Version, Story):
                    model.objects.all().delete()
                os.environ["STORY_GROUPING"] = "1" if side == "with" else "0"
                worker = start_worker(ROOT / ".var" / "benchmark-worker.log")
                time.sleep(17)  # the worker loads the model before anything is timed
                settle()
                try:
                    seconds[side].append(time_end_to_end(articles))
                finally:
                    stop_worker(worker)
            self.stdout.write(f"round {number + 1}: with grouping {len(articles) / seconds['with'][-1]:.1f} "
                              f"articles/s, without {len(articles) / seconds['without'][-1]:.1f}")
        with_, without = sum(seconds["with"]), sum(seconds["without"])
        done = len(articles) * options["rounds"]
        self.stdout.write(f"enrichment without grouping: {done / without:.1f} articles/s ({without:.1f} s)")
        self.stdout.write(f"enrichment with grouping:    {done / with_:.1f} articles/s ({with_:.1f} s)")
        self.stdout.write(f"throughput with / without: {without / with_:.3f}")


if __name__ == "__main__":
    run(Command(), "benchmarks.stories")
