"""Placing articles in stories as they are enriched, with the LSH index in the database.

Each article's band keys are rows (`VersionBand`, indexed by key), so finding candidates is one
indexed query, every worker sees what the others stored, and a restarted worker or a rebuilt
search index keeps every group: nothing lives in a process's memory. Placing takes the story
lock (`hold_lock`) for the rest of the caller's transaction, so two workers never place two
versions of one story apart because neither saw the other's uncommitted rows.
"""
from dataclasses import dataclass
from functools import cached_property

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from articles.models import Article, Story, Version, VersionBand
from articles.stories import signatures as sig

LOCK_ID = 0x5707_1E5  # the PostgreSQL advisory lock of story placement
MAX_CANDIDATES = 20  # most similar candidates (by estimate) whose text is read per article
CHUNK = 500  # articles placed per transaction by `place_unplaced`


def hold_lock():
    """Hold the story lock until the current transaction ends. Taken first in a transaction,
    before any row is locked, so no one holding it waits for a transaction that waits for it.
    SQLite has one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


@dataclass
class _Text:
    """An article's text as grouping reads it."""

    id: int
    published: object
    body: str

    @cached_property
    def shingles(self):
        return sig.shingles(self.body)


def _text_of(article):
    return _Text(article.id, article.published_at, article.body or article.title)


def place_versions(articles):
    """Place each article (with id, title, body and published_at loaded) in a story: that of the
    most similar earlier version, or a new one; returns {article id: story id}. Call inside a
    transaction that took `hold_lock` first.

    An article placed before keeps its story if it is still a version of one of its members,
    and always if staff placed it there; articles of one batch are placed in date order, so a
    batch may hold several versions of one story."""
    texts = sorted((_text_of(a) for a in articles), key=_date_order)
    if not texts:
        return {}
    ids = [t.id for t in texts]
    signatures = {t.id: sig.signature(t.shingles) for t in texts}
    keys = {t.id: sig.band_keys(signatures[t.id]) if len(t.shingles) else [] for t in texts}
    earlier = _Candidates(keys)
    before = {v.article_id: v for v in Version.objects.filter(article_id__in=ids)}
    stories = {}
    for text in texts:
        stories[text.id] = _decide(text, signatures[text.id], earlier.of(text, keys[text.id], signatures[text.id]),
                                   before.get(text.id))
        earlier.add(text, keys[text.id], signatures[text.id], stories[text.id])
    _save(texts, signatures, keys, stories, before)
    return {article_id: _story_id(story) for article_id, story in stories.items()}


def _date_order(item):
    return (item.published is None, item.published.timestamp() if item.published else 0.0, item.id)


class _Candidates:
    """The stored versions sharing a band key with the batch, read in one query, and the batch's
    articles as they are placed (which replace what was stored of them)."""

    def __init__(self, keys):
        wanted = {key for article_keys in keys.values() for key in article_keys}
        self.by_key = {}
        # The batch's own stored versions too: placed again, a story's versions find each other.
        for article_id, key in VersionBand.objects.filter(key__in=wanted).values_list("article_id", "key"):
            self.by_key.setdefault(key, set()).add(article_id)
        stored = {a for found in self.by_key.values() for a in found}
        self.known = {
            row["article_id"]: {"story": row["story"], "published": row["article__published_at"],
                                "signature": sig.from_bytes(row["signature"]), "text": None}
            for row in Version.objects.filter(article_id__in=stored).values("article_id", "story", "article__published_at", "signature")
        }
        self._texts = {}

    def add(self, text, keys, signature, story):
        for key in keys:
            self.by_key.setdefault(key, set()).add(text.id)
        self.known[text.id] = {"story": story, "published": text.published, "signature": signature, "text": text}

    def of(self, text, keys, signature):
        """(candidate's story, resemblance) of the earlier versions this text is a version of."""
        found = {a for key in keys for a in self.by_key.get(key, ()) if a != text.id}
        near = []
        for article_id in found:
            other = self.known.get(article_id)
            if other is None or not sig.within_window(text.published, other["published"]):
                continue
            estimate = sig.estimated_jaccard(signature, other["signature"])
            if estimate >= sig.ESTIMATE_MIN:
                near.append((estimate, article_id))
        near = [article_id for _, article_id in sorted(near, reverse=True)[:MAX_CANDIDATES]]
        self._read([a for a in near if self.known[a]["text"] is None])
        matches = []
        for article_id in near:
            found = sig.resemblance(text.shingles, self.known[article_id]["text"].shingles)
            if found.versions:
                matches.append((found.jaccard, self.known[article_id]["story"]))
        return matches

    def _read(self, article_ids):
        for article in Article.objects.filter(id__in=article_ids).only("id", "title", "body", "published_at"):
            self.known[article.id]["text"] = _text_of(article)


def _decide(text, signature, matches, before):
    """The story of an article: staff's placement; else the one it is in, if it is still a
    version of a member; else that of its most similar version; else a new one."""
    if before is not None and before.staff_placed_at is not None:
        return before.story_id
    if before is not None and any(_story_id(story) == before.story_id for _, story in matches):
        return before.story_id
    if matches:
        return max(matches, key=lambda match: match[0])[1]
    return Story()


def _story_id(story):
    """A stored story's id; a story made in this batch has none until it is saved."""
    return story.pk if isinstance(story, Story) else story


def _save(texts, signatures, keys, stories, before):
    new = [story for story in {id(s): s for s in stories.values() if isinstance(s, Story) and s.pk is None}.values()]
    Story.objects.bulk_create(new)
    story_ids = {article_id: _story_id(story) for article_id, story in stories.items()}
    rows = [Version(article_id=t.id, story_id=story_ids[t.id], signature=sig.to_bytes(signatures[t.id]),
                    shingles=len(t.shingles)) for t in texts]
    changed = [row for row in rows if row.article_id in before]
    Version.objects.bulk_update(changed, ["story", "signature", "shingles"])
    Version.objects.bulk_create([row for row in rows if row.article_id not in before])
    VersionBand.objects.filter(article_id__in=list(stories)).delete()
    VersionBand.objects.bulk_create([VersionBand(article_id=t.id, key=key) for t in texts for key in keys[t.id]],
                                    batch_size=2000)
    left = {v.story_id for v in before.values()}
    refresh_stories(set(story_ids.values()) | left)


def refresh_stories(story_ids):
    """Set the canonical version of each story, and delete the stories left without versions."""
    members = {}
    for row in Version.objects.filter(story_id__in=story_ids).values_list(
            "story_id", "article_id", "article__published_at", "shingles"):
        members.setdefault(row[0], []).append(row[1:])
    Story.objects.filter(id__in=set(story_ids) - set(members)).delete()
    updates = [Story(pk=story_id, canonical_id=sig.canonical(versions)) for story_id, versions in members.items()]
    Story.objects.bulk_update(updates, ["canonical"], batch_size=1000)


def place_unplaced(limit=None, progress=None):
    """Place the enriched articles that have no story yet (enriched before grouping existed, or
    while it was turned off), oldest first, CHUNK per transaction, marking their index copies
    stale; returns how many were placed. `progress(placed)` after each chunk."""
    placed = 0
    unplaced = Article.objects.filter(enrichment_status=Article.Enrichment.ENRICHED).filter(
        ~Exists(Version.objects.filter(article_id=OuterRef("pk"))))
    while limit is None or placed < limit:
        size = CHUNK if limit is None else min(CHUNK, limit - placed)
        with transaction.atomic():
            hold_lock()
            chunk = list(unplaced.order_by(F("published_at").asc(nulls_last=True), "id").only("id", "title", "body", "published_at")[:size])
            if not chunk:
                break
            place_versions(chunk)
            Article.objects.filter(id__in=[a.id for a in chunk]).update(updated_at=timezone.now())
        placed += len(chunk)
        if progress:
            progress(placed)
    return placed

