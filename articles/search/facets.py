"""The one registry of the search facets.

Each facet's URL parameter, index field, entity kind, titles and value labels are
named here and nowhere else: the parameters, the query, the results, the pages, the
CSV export and the API description all read this registry.
"""
from dataclasses import dataclass

from articles.enrichment.identity import Ref, ref_of
from articles.entities.gazetteer import country_name
from articles.indexing.documents import LABEL_SEPARATOR
from articles.models import Entity

# The value that selects the articles with no value of a facet that offers it ("Unknown source").
UNKNOWN = "~"


@dataclass(frozen=True)
class Facet:
    name: str  # URL parameter and key of the facet in results ("person")
    field: str  # index field, and the name of the list in hits, articles and the CSV ("persons")
    title: str  # what one value is ("Person"): the sidebar's heading, a filter chip's prefix
    plural: str  # heading of a list of values ("People")
    kind: str = ""  # Entity.Kind of the values; empty when the values are not entities
    unknown: str = ""  # the label of UNKNOWN, for a facet that counts and selects articles without a value

    @property
    def is_entity(self):
        return bool(self.kind)

    @property
    def shown_field(self):
        """The index field whose values facets and hits show: "ref|label" for entities."""
        return f"{self.field}_labelled" if self.is_entity else self.field

    def label(self, value):
        """How a value reads on a page: an entity's Ref carries its label; a bare country
        code reads as the gazetteer's name; anything else as it is."""
        if isinstance(value, Ref):
            return value.label
        if value == UNKNOWN and self.unknown:
            return self.unknown
        return country_name(value) if self.kind == Entity.Kind.COUNTRY else value

    def shown_value(self, text):
        """A value of `shown_field` as the value it selects (a Ref for entities)."""
        if not self.is_entity:
            return text
        ref, _, label = text.partition(LABEL_SEPARATOR)
        return Ref(ref, label)

    def value_of(self, entity):
        """The value that selects `entity`: its ref."""
        return ref_of(entity)


FACETS = {
    facet.name: facet
    for facet in (
        Facet("person", "persons", "Person", "People", Entity.Kind.PERSON),
        Facet("country", "countries", "Country", "Countries", Entity.Kind.COUNTRY),
        Facet("org", "organizations", "Organization", "Organizations", Entity.Kind.ORGANIZATION),
        Facet("source", "source", "Source", "Sources", unknown="Unknown source"),
    )
}
ENTITY_FACETS = [facet for facet in FACETS.values() if facet.is_entity]
COUNTRY = FACETS["country"]

# The CSV export: the article's own fields around the facets' values and its story (`indexing.story_key`).
CSV_COLUMNS = ["id", "title", FACETS["source"].field, "published_at", *(f.field for f in ENTITY_FACETS), "story", "url"]


def for_kind(kind):
    """The facet whose values are entities of `kind`."""
    return next(facet for facet in ENTITY_FACETS if facet.kind == kind)
