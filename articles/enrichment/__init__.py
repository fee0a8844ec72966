"""Enrichment: the Django side of the entities. It runs the extraction (articles.entities, free
of Django) on stored articles and persists what it finds (persist), applies staff's curation,
resolves names to stable identities and joins entities across the archive (resolution)."""
from articles.enrichment.persist import enrich_articles, save_entities

__all__ = ["enrich_articles", "save_entities"]
