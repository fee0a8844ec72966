"""The article and entity a URL names, or a 404 with a message fit for the API."""
from django.http import Http404

from .models import Article, Entity
from .search import storable


def get_article(article_id):
    """The article with its mentions and their entities (one query each)."""
    try:
        return Article.objects.prefetch_related("mentions__entity").get(pk=article_id)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None


def get_entity(kind, key):
    if kind not in Entity.Kind.values or not storable(key):  # a NUL would fail the query itself
        raise Http404("No such entity.")
    try:
        return Entity.objects.get(kind=kind, key=key)
    except Entity.DoesNotExist:
        raise Http404("No such entity.") from None
