"""Keep deletions out of the search index.

Saving an article queues nothing by itself: whoever changes articles calls
`pipeline.queue_articles` (the one way into enrichment), and rows saved any other
way are found by the reconciler. A deletion, though, leaves no row to find, so it is
sent to the worker as it happens.
"""
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from articles import pipeline
from articles.models import Article


@receiver(post_delete, sender=Article)
def remove_deleted_article_from_index(sender, instance, **kwargs):
    article_id = instance.pk
    transaction.on_commit(lambda: pipeline.queue_index_removal(article_id))
