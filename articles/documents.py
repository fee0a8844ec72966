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
from .models import Article, Entity

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
        queryset_pagination = 500

    def get_queryset(self):
        return super().get_queryset().with_mentions()

    def _entity_values(self, article, kind):
        """Facet values of one kind: names, or ISO codes for countries."""
        values = {
            m.entity.key if kind == Entity.Kind.COUNTRY else m.entity.name
            for m in article.mentions.all()
            if m.entity.kind == kind
        }
        return sorted(values)

    def prepare_persons(self, article):
        return self._entity_values(article, Entity.Kind.PERSON)

    def prepare_countries(self, article):
        return self._entity_values(article, Entity.Kind.COUNTRY)

    def prepare_country_names(self, article):
        return [country_name(code) for code in self.prepare_countries(article)]

    def prepare_organizations(self, article):
        return self._entity_values(article, Entity.Kind.ORGANIZATION)
