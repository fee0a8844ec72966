"""The article and entity a URL names, or a 404 with a message fit for the API."""
from django.http import Http404

from articles.enrichment import identity
from articles.models import Article
from articles.search import storable

MAX_ID = 2**63 - 1  # the largest primary key (a bigint)


def get_article(article_id):
    """The article with its mentions and their entities (one query each)."""
    if not 1 <= article_id <= MAX_ID:  # a larger number would fail the query itself
        raise Http404("No such article.")
    try:
        return Article.objects.prefetch_related("mentions__entity").get(pk=article_id)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None


def get_entity(kind, text):
    """The live entity an address names: by ref, or by a name or key typed by hand; a
    merged entity's address names the entity it was merged into."""
    if not storable(text):  # a NUL would fail the query itself
        raise Http404("No such entity.")
    entity = identity.entity_at(kind, text)
    if entity is None:
        raise Http404("No such entity.")
    return identity.survivor(entity)
