"""Which entity an address names: stable ids first, typed names second.

Every address (entity pages, facet filters, saved searches, feeds, compare, rising, the
API) names an entity by its `Entity.ref`: "p12" for a person, "o7" for an organization,
the ISO code for a country. A rename changes no ref; a merged entity's ref leads to the
entity it was merged into. A name typed by hand ("?person=reagan", "?country=Russia") is
resolved to a ref, insensitive to case, accents and punctuation (the same normalised key
extraction uses, or the gazetteer's country names).
"""
import re

from django.db.models import Q

from .entities import normalise_key
from .entities.gazetteer import COUNTRY, COUNTRY_NAMES, country_name, lookup
from .models import REF_PREFIXES, Entity

_REF = re.compile(r"^([a-z])([1-9][0-9]{0,17})$")
_KIND_OF_PREFIX = {prefix: kind for kind, prefix in REF_PREFIXES.items()}
MAX_MERGE_HOPS = 20  # merges of merges; a longer chain is a loop


class Ref(str):
    """An entity's ref that also knows its label (a str, so URLs and comparisons see the ref)."""

    label: str

    def __new__(cls, ref, label):
        value = super().__new__(cls, ref)
        value.label = label
        return value


def label(entity):
    """How an entity is named on a page: a country by the gazetteer's name for its code."""
    return country_name(entity.key) if entity.kind == Entity.Kind.COUNTRY else entity.name


def ref_of(entity):
    return Ref(entity.ref, label(entity))


def survivor(entity):
    """The live entity an entity stands for: itself, or where its merges lead."""
    for _ in range(MAX_MERGE_HOPS):
        if entity.merged_into_id is None:
            return entity
        entity = entity.merged_into
    return entity


def is_ref(kind, text):
    """Whether `text` has the form of a ref of `kind` (which a URL can carry)."""
    if kind == Entity.Kind.COUNTRY:
        return bool(re.fullmatch(r"[A-Z]{2,4}", text))
    match = _REF.match(text)
    return bool(match) and _KIND_OF_PREFIX.get(match[1]) == kind


def _name_key(kind, text):
    try:
        return normalise_key(kind, text)[:200]
    except ValueError:
        return ""


def _country_code(text):
    """The ISO code a typed country names: a code in any case, or a country's name."""
    if text.upper() in COUNTRY_NAMES:
        return text.upper()
    place = lookup(text)
    return place.code if place and place.tier == COUNTRY else text.upper()


def _wanted(kind, text):
    """The rows that could be what `text` names, as a query."""
    if kind == Entity.Kind.COUNTRY:
        return Q(kind=kind, key=_country_code(text))
    match = _REF.match(text)
    if match and _KIND_OF_PREFIX.get(match[1]) == kind:
        return Q(kind=kind, pk=int(match[2]))
    key = _name_key(kind, text)
    return Q(kind=kind, key=key) if key else Q(pk__in=[])


def _named_by(entity, kind, text):
    if entity.kind != kind:
        return False
    if kind == Entity.Kind.COUNTRY:
        return entity.key == _country_code(text)
    match = _REF.match(text)
    if match and _KIND_OF_PREFIX.get(match[1]) == kind:
        return entity.pk == int(match[2])
    return entity.key == _name_key(kind, text)


def resolve(wanted):
    """{(kind, text): Ref or None} for the typed values `wanted` ((kind, text) pairs).

    Countries the gazetteer knows resolve without the database; the rest in one query (and
    one more per merge hop, rare). Anything unknown resolves to None.
    """
    found, rest = {}, []
    for kind, text in dict.fromkeys(wanted):
        code = _country_code(text) if kind == Entity.Kind.COUNTRY else None
        if code in COUNTRY_NAMES:
            found[(kind, text)] = Ref(code, country_name(code))
        else:
            rest.append((kind, text))
    if not rest:
        return found
    query = Q(pk__in=[])
    for kind, text in rest:
        query |= _wanted(kind, text)
    rows = list(Entity.objects.filter(query).select_related("merged_into"))
    for kind, text in rest:
        entity = next((row for row in rows if _named_by(row, kind, text)), None)
        found[(kind, text)] = ref_of(survivor(entity)) if entity else None
    return found


def entity_at(kind, text):
    """The entity an address names (a ref, or a name or key typed by hand), or None;
    merged entities are returned as they are, for the caller to redirect."""
    if kind not in Entity.Kind.values:
        return None
    return Entity.objects.filter(_wanted(kind, text)).select_related("merged_into").first()

