"""A country's place in history, as its page and the API show it: the countries that
succeeded a historical state (the Soviet Union: Russia, Ukraine, ...), and the historical
states a country succeeded (Germany: East Germany). The data is the gazetteer's."""
from articles.entities.gazetteer import country_name
from articles.entities.history import predecessors, successors
from articles.models import Entity
from articles.search.results import entity_url


def lineage(entity):
    """{"successors": [...], "predecessors": [...]} of a country, each a {"id", "label", "url"};
    the url is None for a country no article names (it has no page). Empty for others."""
    if entity.kind != Entity.Kind.COUNTRY:
        return {"successors": [], "predecessors": []}
    related = {"successors": successors(entity.key), "predecessors": predecessors(entity.key)}
    codes = [code for group in related.values() for code in group]
    known = set(Entity.objects.filter(kind=Entity.Kind.COUNTRY, key__in=codes).values_list("key", flat=True))
    return {
        name: [{"id": code, "label": country_name(code),
                "url": entity_url(Entity.Kind.COUNTRY, code) if code in known else None} for code in group]
        for name, group in related.items()
    }
