"""Store extracted entities as rows: one Entity per person/country/organization
across the archive, one Mention per surface form in each article.

A batch of articles is written in a handful of queries (it is the hot path of bulk
imports). Re-running enrichment replaces an article's mentions, so it is idempotent.
"""
import logging
from collections import defaultdict

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles import stories
from articles.enrichment import curation
from articles.enrichment.identity import survivor
from articles.enrichment.nlp import get_nlp
from articles.entities import article_text, extract_entities
from articles.models import Article, Entity, Mention
from articles.pipeline import TRANSIENT_DB_ERRORS, mark_failed

logger = logging.getLogger(__name__)


def enrich_articles(queryset):
    """Extract entities for the articles in one batch (nlp.pipe) and store them.

    One bad article never fails its batch: when the batch as a whole cannot be
    analysed or saved, each article is tried alone and only the bad one is marked.
    """
    articles = list(queryset.only("id", "title", "body", "published_at"))
    if not articles:
        return
    rules = curation.load_rules()  # staff's merges, splits and blocks, applied to what the model finds
    try:
        found = [curation.apply_rules(entities, rules)
                 for entities in extract_entities([article_text(a.title, a.body) for a in articles], nlp=get_nlp())]
    except SoftTimeLimitExceeded:
        raise  # out of time: the articles stay pending and the reconciler sends them again
    except Exception:
        logger.warning("Entity extraction failed for a batch; retrying article by article")
        for article in articles:
            _enrich_alone(article, rules)
        return
    _save_or_isolate(list(zip(articles, found)))


def _enrich_alone(article, rules):
    try:
        (found,) = extract_entities([article_text(article.title, article.body)], nlp=get_nlp())
        found = curation.apply_rules(found, rules)
    except SoftTimeLimitExceeded:
        raise
    except Exception as exc:  # a model failure must mark the article, not vanish in a log
        logger.exception("Entity extraction failed for article %s", article.id)
        mark_failed([article.id], f"entity extraction failed: {exc}")
        return
    _save_or_isolate([(article, found)])


def _save_or_isolate(pairs):
    try:
        save_entities(pairs)
    except (SoftTimeLimitExceeded, *TRANSIENT_DB_ERRORS):
        raise  # out of time, or the database is away: the batch is retried later
    except Exception:
        if len(pairs) == 1:
            logger.exception("Saving entities of article %s failed", pairs[0][0].id)
            mark_failed([pairs[0][0].id], "saving entities failed")
            return
        logger.warning("Saving a batch of entities failed; retrying article by article")
        for pair in pairs:
            _save_or_isolate([pair])


def save_entities(pairs):
    """Replace the mentions of each (article, found entities) pair, place it among the versions
    of its story (articles.stories; unless STORY_GROUPING is off) and mark it enriched."""
    with transaction.atomic():
        if settings.STORY_GROUPING:
            stories.hold_lock()  # first, before any row is locked (see stories.grouping)
        entities = _upsert_entities([item for _, found in pairs for item in found])
        mentions = [mention for article, found in pairs for mention in _mentions(article, found, entities)]
        article_ids = [article.id for article, _ in pairs]
        Mention.objects.filter(article_id__in=article_ids).delete()
        Mention.objects.bulk_create(mentions, batch_size=1000)
        if settings.STORY_GROUPING:
            stories.place_versions([article for article, _ in pairs])
        now = timezone.now()
        Article.objects.filter(id__in=article_ids).update(
            enrichment_status=Article.Enrichment.ENRICHED,
            enrichment_error="",
            claimed_by="",
            enriched_at=now,
            updated_at=now,
        )


def _mentions(article, found, entities):
    """One Mention per entity and surface form, with its offsets into the article body. Two
    names found apart that now stand for one entity (joined by staff or the resolver: the
    person "Akzo Nobel" and the firm "Akzo", both written "Akzo") share their mentions."""
    body_start = len(article.title) + 2
    spans = defaultdict(set)  # keyed by the entity row, equal to any other of the same id
    for item in found:
        entity = entities[(item.kind, item.key[:200])]
        for surface, start, end in item.mentions:
            spans[(entity, surface[:300])].add((start, end))
    for (entity, surface), positions in spans.items():
        yield Mention(
            article_id=article.id,
            entity=entity,
            surface=surface,
            count=len(positions),
            offsets=[[s - body_start, e - body_start] for s, e in sorted(positions) if s >= body_start],
        )


def _upsert_entities(items):
    """Get or create the Entity rows for the found items: {(kind, key): Entity}.

    An existing entity keeps its name (staff may have renamed it); a merged one stands for
    the entity it was merged into. Inserted in one
    global order, so concurrent workers never deadlock on the unique index.
    """
    names = {}
    for item in items:
        names.setdefault((item.kind, item.key[:200]), item.name[:300])
    if not names:
        return {}
    pairs = sorted(names)
    Entity.objects.bulk_create([Entity(kind=kind, key=key, name=names[(kind, key)]) for kind, key in pairs],
                               ignore_conflicts=True)
    rows = {}
    for kind in sorted({kind for kind, _ in pairs}):
        keys = [key for k, key in pairs if k == kind]
        found = Entity.objects.filter(kind=kind, key__in=keys).select_related("merged_into")
        rows.update({(kind, e.key): survivor(e) for e in found})
    return rows
