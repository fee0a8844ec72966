"""Store extracted entities as rows: one Entity per person/country/organization
across the archive, one Mention per surface form in each article.

Re-running enrichment replaces an article's mentions, so it is idempotent.
"""
import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from .entities import extract_entities
from .models import Article, Entity, Mention

logger = logging.getLogger(__name__)
NLP_BATCH_SIZE = 64


def article_text(article):
    """The text entities are extracted from; offsets past the title fall in the body."""
    return f"{article.title}\n\n{article.body}"


def enrich_articles(queryset):
    """Extract entities for the articles in batches (nlp.pipe) and store them."""
    articles = list(queryset.only("id", "title", "body"))
    if not articles:
        return
    try:
        results = extract_entities([article_text(a) for a in articles], batch_size=NLP_BATCH_SIZE)
        found_by_article = list(results)
    except Exception as exc:  # a model failure must mark the articles, not vanish in a log
        logger.exception("Entity extraction failed")
        _mark_failed([a.id for a in articles], f"entity extraction failed: {exc}")
        return
    for article, found in zip(articles, found_by_article):
        try:
            save_entities(article, found)
        except Exception as exc:
            logger.exception("Saving entities of article %s failed", article.id)
            _mark_failed([article.id], f"saving entities failed: {exc}")


def save_entities(article, found):
    """Replace the article's mentions with `found` and mark it enriched."""
    body_start = len(article.title) + 2
    with transaction.atomic():
        entities = _upsert_entities(found)
        mentions = []
        for item in found:
            entity = entities[(item.kind, item.key)]
            by_surface = defaultdict(list)
            for surface, start, end in item.mentions:
                by_surface[surface].append((start, end))
            for surface, spans in by_surface.items():
                body_spans = [[s - body_start, e - body_start] for s, e in spans if s >= body_start]
                mentions.append(
                    Mention(
                        article_id=article.id,
                        entity=entity,
                        surface=surface[:300],
                        count=len(spans),
                        offsets=body_spans,
                    )
                )
        Mention.objects.filter(article_id=article.id).delete()
        Mention.objects.bulk_create(mentions)
        now = timezone.now()
        Article.objects.filter(id=article.id).update(
            enrichment_status=Article.Enrichment.ENRICHED,
            enrichment_error="",
            enriched_at=now,
            updated_at=now,
        )


def _upsert_entities(found):
    """Get or create the Entity rows for `found`, recording new aliases."""
    wanted = {(item.kind, item.key): item for item in found}
    if not wanted:
        return {}
    Entity.objects.bulk_create(
        [Entity(kind=k, key=key[:200], name=item.name[:300]) for (k, key), item in wanted.items()],
        ignore_conflicts=True,
    )
    rows = {}
    for kind in {k for k, _ in wanted}:
        keys = [key for k, key in wanted if k == kind]
        for entity in Entity.objects.select_for_update().filter(kind=kind, key__in=keys):
            rows[(entity.kind, entity.key)] = entity
    for pair, entity in rows.items():
        new_aliases = {s for s, _, _ in wanted[pair].mentions} - set(entity.aliases) - {entity.name}
        if new_aliases:
            entity.aliases = sorted(set(entity.aliases) | new_aliases)
            entity.save(update_fields=["aliases"])
    return rows


def _mark_failed(article_ids, reason):
    Article.objects.filter(id__in=article_ids).update(
        enrichment_status=Article.Enrichment.FAILED,
        enrichment_error=reason[:2000],
        updated_at=timezone.now(),
    )
