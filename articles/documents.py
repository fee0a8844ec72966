"""The article's search-index document: full text plus entity facet fields.

English stemming uses the core `hunspell` token filter (en_US dictionary in the
node's config/hunspell/en_US), because the slim Elasticsearch distribution has no
analysis-common module; the same mapping works on the official image.
"""
from django.conf import settings
from django_elasticsearch_dsl import Document, fields
from django_elasticsearch_dsl.registries import registry
from elasticsearch.dsl import analyzer, token_filter

from .entities.gazetteer import country_name
from .models import Article, Entity, Mention

english_hunspell = token_filter("english_hunspell", type="hunspell", locale="en_US", dedup=True)
english = analyzer(
    "english_stemmed",
    tokenizer="standard",
    filter=["lowercase", english_hunspell],
)


def index_name():
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-articles"


@registry.register_document
class ArticleDocument(Document):
    title = fields.TextField(analyzer=english, fields={"raw": fields.KeywordField(ignore_above=500)})
    body = fields.TextField(analyzer=english, term_vector="with_positions_offsets")
    source = fields.KeywordField()
    url = fields.KeywordField(index=False)
    published_at = fields.DateField()
    persons = fields.KeywordField(multi=True)
    countries = fields.KeywordField(multi=True)  # ISO 3166-1 alpha-2 codes
    country_names = fields.KeywordField(multi=True)  # their display names, in the same order
    organizations = fields.KeywordField(multi=True)

    class Index:
        name = index_name()
        # From ELASTICSEARCH_SHARDS and ELASTICSEARCH_REPLICAS (the right side reads django.conf's settings).
        settings = {
            "number_of_shards": settings.ELASTICSEARCH_SHARDS,
            "number_of_replicas": settings.ELASTICSEARCH_REPLICAS,
        }

    class Django:
        model = Article
        fields = ["id"]

    # Articles come as `for_index` loads them (dicts; indexing.py drives all indexing, never
    # django-elasticsearch-dsl's own commands), the entity fields from their `entity_values`.
    def prepare_persons(self, article):
        return article["entity_values"][Entity.Kind.PERSON]

    def prepare_countries(self, article):
        return article["entity_values"][Entity.Kind.COUNTRY]

    def prepare_country_names(self, article):
        return [country_name(code) for code in self.prepare_countries(article)]

    def prepare_organizations(self, article):
        return article["entity_values"][Entity.Kind.ORGANIZATION]


# The article's own columns the document indexes (the other fields are prepared from its
# entities), and updated_at: the version a copy in the index is of.
ROW_FIELDS = ["id", "title", "body", "source", "url", "published_at"]


def for_index(queryset):
    """The articles of `queryset` as ArticleDocument.prepare reads them: a list of dicts of
    ROW_FIELDS and updated_at, each with `entity_values` ({entity kind: sorted facet
    values, the ISO codes of countries and the names of the others}).

    Plain rows, because a rebuild spent most of its time on objects: prefetching the
    mentions with their entities cost 1,401 ms per 5,000 articles, these (article, kind,
    key, name) rows 66 ms; model instances of the articles 141 ms per 2,500, their rows
    37 ms (django-elasticsearch-dsl's fields read a dict's keys as they read attributes).
    """
    articles = list(queryset.values(*ROW_FIELDS, "updated_at"))
    kinds = Entity.Kind.values
    values = {article["id"]: {kind: set() for kind in kinds} for article in articles}
    rows = _mentions_of(list(values)).values_list("article_id", "entity__kind", "entity__key", "entity__name")
    for article_id, kind, key, name in rows:
        if article_id in values:
            values[article_id][kind].add(key if kind == Entity.Kind.COUNTRY else name)
    for article in articles:
        article["entity_values"] = {kind: sorted(found) for kind, found in values[article["id"]].items()}
    return articles


def _mentions_of(ids):
    """The mentions of the articles `ids` (and, for a dense run of ids, of the few others in
    its range, which the caller skips). A range instead of an IN list of 2,500 parameters:
    reading the 113,421 articles of the search benchmark took 7.5 s with the lists, 5.5 s
    with a subquery in their place (Django and psycopg prepare every parameter)."""
    if ids and max(ids) - min(ids) < 2 * len(ids):
        return Mention.objects.filter(article_id__gte=min(ids), article_id__lte=max(ids))
    return Mention.objects.filter(article_id__in=ids)
