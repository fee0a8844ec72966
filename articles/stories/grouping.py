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
    On SQLite every transaction already takes the one write lock as it begins (IMMEDIATE,
    newsarchive/settings.py)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


@dataclass
class _Text:
    """An article's text as grouping reads it, and what is made of it."""

    id: int
    published: object
    body: str

    @cached_property
    def shingles(self):
        return sig.shingles(self.body)

    @cached_property
    def signature(self):
        return sig.signature(self.shingles)

    @cached_property
    def keys(self):
        return sig.band_keys(self.signature) if len(self.shingles) else []


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
    before = {v.article_id: v for v in Version.objects.filter(article_id__in=[t.id for t in texts])}
    candidates = _Candidates(texts)
    stories = {}
    for text in texts:
        stories[text.id] = _decide(candidates.matches(text), before.get(text.id))
        candidates.add(text, stories[text.id])
    _save(texts, stories, before)
    return {article_id: _story_id(story) for article_id, story in stories.items()}


def _date_order(item):
    return (item.published is None, item.published.timestamp() if item.published else 0.0, item.id)


class _Candidates:
    """Who may be an earlier version of the batch's articles: the stored versions that share a
    band key with them (one query for the keys, one for the versions, one for the texts of those
    near enough to compare), and the batch's articles as they are placed (which replace what was
    stored of them: placed again, a story's versions find each other)."""

    def __init__(self, texts):
        self.by_key = {}
        for article_id, key in _sharing_keys({key for text in texts for key in text.keys}):
            self.by_key.setdefault(key, set()).add(article_id)
        stored = {a for found in self.by_key.values() for a in found}
        self.known = {
            row["article_id"]: {"story": row["story"], "published": row["article__published_at"],
                                "signature": sig.from_bytes(row["signature"]), "text": None}
            for row in Version.objects.filter(article_id__in=stored).values(
                "article_id", "story", "article__published_at", "signature")
        }
        wanted = {article_id for text in texts for article_id in self._near(text)}
        for article in Article.objects.filter(id__in=wanted).only("id", "title", "body", "published_at"):
            self.known[article.id]["text"] = _text_of(article)

    def add(self, text, story):
        for key in text.keys:
            self.by_key.setdefault(key, set()).add(text.id)
        self.known[text.id] = {"story": story, "published": text.published, "signature": text.signature,
                               "text": text}

    def _near(self, text):
        """The MAX_CANDIDATES known articles sharing a band with `text`, filed within the window,
        whose signatures estimate a Jaccard of at least ESTIMATE_MIN, most similar first."""
        near = []
        for article_id in {a for key in text.keys for a in self.by_key.get(key, ())} - {text.id}:
            other = self.known.get(article_id)
            if other is not None and sig.within_window(text.published, other["published"]):
                estimate = sig.estimated_jaccard(text.signature, other["signature"])
                if estimate >= sig.ESTIMATE_MIN:
                    near.append((estimate, article_id))
        return [article_id for _, article_id in sorted(near, reverse=True)[:MAX_CANDIDATES]]

    def matches(self, text):
        """(Jaccard, story) of each candidate that is a version of `text`, on their exact shingles."""
        matches = []
        for article_id in self._near(text):
            other = self.known[article_id]
            found = sig.resemblance(text.shingles, other["text"].shingles)
            if found.versions:
                matches.append((found.jaccard, other["story"]))
        return matches


def _sharing_keys(keys):
    """(article id, key) of the stored bands with one of `keys`. On PostgreSQL one array
    parameter instead of an IN list of a batch's thousands of keys, which took the largest share
    of placing's time in a profile (docs/performance.md, "Stories")."""
    if connection.vendor != "postgresql":
        return VersionBand.objects.filter(key__in=keys).values_list("article_id", "key")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT article_id, key FROM {VersionBand._meta.db_table} WHERE key = ANY(%s)", [list(keys)])
        return cursor.fetchall()


def _decide(matches, before):
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


def _save(texts, stories, before):
    """Store the batch's versions, bands and new stories (their canonical versions among the
    batch's texts), and set the canonical version of the stored stories they joined or left."""
    new = {id(s): s for s in stories.values() if isinstance(s, Story)}
    for story in new.values():
        story.canonical_id = sig.canonical([(t.id, t.published, len(t.shingles)) for t in texts
                                            if stories[t.id] is story])
    Story.objects.bulk_create(list(new.values()))
    rows = [Version(article_id=t.id, story_id=_story_id(stories[t.id]), signature=sig.to_bytes(t.signature),
                    shingles=len(t.shingles)) for t in texts]
    Version.objects.bulk_update([row for row in rows if row.article_id in before],
                                ["story", "signature", "shingles"])
    Version.objects.bulk_create([row for row in rows if row.article_id not in before])
    if before:
        VersionBand.objects.filter(article_id__in=list(before)).delete()
    _insert_bands([(t.id, key) for t in texts for key in t.keys])
    stored = {story for story in stories.values() if not isinstance(story, Story)}
    refresh_stories(stored | {v.story_id for v in before.values()})


def _insert_bands(rows):
    """Store (article id, key) rows. On PostgreSQL one INSERT of two arrays instead of a model
    instance per row, which took the second largest share of placing's time in a profile
    (docs/performance.md, "Stories")."""
    if connection.vendor != "postgresql":
        VersionBand.objects.bulk_create([VersionBand(article_id=a, key=k) for a, k in rows], batch_size=2000)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {VersionBand._meta.db_table} (article_id, key) "
                       "SELECT * FROM unnest(%s::bigint[], %s::bigint[])", [[a for a, _ in rows], [k for _, k in rows]])


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

