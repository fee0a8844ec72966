"""The article's search-index document: full text plus entity facet fields.

Words are folded before they are indexed or searched: case, accents (`asciifolding`:
Zürich is Zurich) and the dots of initialisms (U.S. is US). English stemming uses the
core `hunspell` token filter (en_US dictionary in the node's config/hunspell/en_US).
The slim Elasticsearch distribution has no analysis-common module; scripts/es-assemble.sh
adds the two filters it would provide, under its names, so the same mapping works on
the official image.
"""
from django.conf import settings
from django_elasticsearch_dsl import Document, fields
from django_elasticsearch_dsl.registries import registry
from elasticsearch.dsl import analyzer, token_filter

from articles.enrichment.identity import label
from articles.models import Article, Entity, Mention
from articles.stories import story_key

english_hunspell = token_filter("english_hunspell", type="hunspell", locale="en_US", dedup=True)
# The standard tokenizer keeps "U.S." as the one word "u.s": a dot between single letters goes.
initialism_dots = token_filter("initialism_dots", type="pattern_replace", pattern=r"(?<=^\p{L}|\.\p{L})\.",
                               replacement="")
FOLDING = ["lowercase", initialism_dots, "asciifolding"]
english = analyzer("english_folded", tokenizer="standard", filter=[*FOLDING, english_hunspell])
names = analyzer("names_folded", tokenizer="standard", filter=FOLDING)  # bylines: folded, not stemmed


def index_name():
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-articles"


@registry.register_document
class ArticleDocument(Document):
    title = fields.TextField(analyzer=english, fields={"raw": fields.KeywordField(ignore_above=500)})
    body = fields.TextField(analyzer=english, term_vector="with_positions_offsets")
    author = fields.TextField(analyzer=names)
    source = fields.KeywordField()
    url = fields.KeywordField(index=False)
    published_at = fields.DateField()
    # Each entity facet twice: the entities' refs (`Entity.ref`, what filters match) and
    # "ref|label" (what facets and hits show, so a search needs no database).
    persons = fields.KeywordField(multi=True)
    persons_labelled = fields.KeywordField(multi=True)
    countries = fields.KeywordField(multi=True)  # ISO 3166-1 alpha-2 codes
    countries_labelled = fields.KeywordField(multi=True)
    organizations = fields.KeywordField(multi=True)
    organizations_labelled = fields.KeywordField(multi=True)
    # The story the article is a version of (`story_key`): what collapsing and counting by story read.
    story = fields.KeywordField()

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
    # django-elasticsearch-dsl's own commands), the entity fields from their `entities`.
    def prepare_persons(self, article):
        return refs(article, Entity.Kind.PERSON)

    def prepare_persons_labelled(self, article):
        return labelled(article, Entity.Kind.PERSON)

    def prepare_countries(self, article):
        return refs(article, Entity.Kind.COUNTRY)

    def prepare_countries_labelled(self, article):
        return labelled(article, Entity.Kind.COUNTRY)

    def prepare_organizations(self, article):
        return refs(article, Entity.Kind.ORGANIZATION)

    def prepare_organizations_labelled(self, article):
        return labelled(article, Entity.Kind.ORGANIZATION)

    def prepare_story(self, article):
        return story_key(article["id"], article["version__story"])


LABEL_SEPARATOR = "|"  # refs never hold it: "p12|Vladimir Putin" is split at the first one


def refs(article, kind):
    return [ref for ref, _ in article["entities"][kind]]


def labelled(article, kind):
    return [f"{ref}{LABEL_SEPARATOR}{label}" for ref, label in article["entities"][kind]]


# The article's own columns the document indexes (the other fields are prepared from its
# entities), and updated_at: the version a copy in the index is of.
ROW_FIELDS = ["id", "title", "body", "author", "source", "url", "published_at"]


def for_index(queryset):
    """The articles of `queryset` as ArticleDocument.prepare reads them: a list of dicts of
    ROW_FIELDS, updated_at and the id of its story (`version__story`, None when it has none),
    each with `entities` ({entity kind: sorted (ref, label) pairs}).

    Plain rows, because a rebuild spent most of its time on objects: prefetched mentions
    with their entities and model instances of the articles were many times slower to make
    than these (article, kind, key, name) rows and the articles' rows (docs/performance.md,
    "Reindex path"); django-elasticsearch-dsl's fields read a dict's keys as they read
    attributes.
    """
    articles = list(queryset.values(*ROW_FIELDS, "updated_at", "version__story"))
    values = {article["id"]: {kind: set() for kind in Entity.Kind.values} for article in articles}
    rows = _mentions_of(list(values)).values_list(
        "article_id", "entity_id", "entity__kind", "entity__key", "entity__name")
    for article_id, entity_id, kind, key, name in rows:
        if article_id in values:
            entity = Entity(pk=entity_id, kind=kind, key=key, name=name)
            values[article_id][kind].add((entity.ref, label(entity)))
    for article in articles:
        article["entities"] = {kind: sorted(found) for kind, found in values[article["id"]].items()}
    return articles


def _mentions_of(ids):
    """The mentions of the articles `ids` (and, for a dense run of ids, of the few others in
    its range, which the caller skips). A range instead of an IN list of thousands of
    parameters, which Django and psycopg prepare one by one (the comparison is in
    docs/performance.md, "Reindex path")."""
    if ids and max(ids) - min(ids) < 2 * len(ids):
        return Mention.objects.filter(article_id__gte=min(ids), article_id__lte=max(ids))
    return Mention.objects.filter(article_id__in=ids)
