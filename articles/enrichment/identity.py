"""Which entity an address names: stable ids first, typed names second.

Every address (entity pages, facet filters, saved searches, feeds, compare, rising, the
API) names an entity by its `Entity.ref`: "p12" for a person, "o7" for an organization,
the ISO code for a country. A rename changes no ref; a merged entity's ref leads to the
entity it was merged into. A name typed by hand ("?person=reagan", "?country=Russia") is
resolved to a ref, insensitive to case, accents and punctuation (the same normalised key
extraction uses, or the gazetteer's country names).
"""
import re

from django.db.models import Q, Sum

from articles.entities import normalise_key
from articles.entities.gazetteer import COUNTRY, COUNTRY_NAMES, country_name, lookup
from articles.models import REF_PREFIXES, Entity, Mention

_REF = re.compile(r"^([a-z])([1-9][0-9]{0,17})$")
_KIND_OF_PREFIX = {prefix: kind for kind, prefix in REF_PREFIXES.items()}


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
    """The live entity an entity stands for: itself, or the one it was merged into (a merge
    re-points the entities merged into the one it removes, so there is never a second hop)."""
    return entity.merged_into or entity


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


def _target(kind, text):
    """(field, value) of the row `text` names among entities of `kind`: its pk for a ref,
    its key for a name or a country; None when nothing could be named."""
    if kind == Entity.Kind.COUNTRY:
        return "key", _country_code(text)
    match = _REF.match(text)
    if match and _KIND_OF_PREFIX.get(match[1]) == kind:
        return "pk", int(match[2])
    key = _name_key(kind, text)
    return ("key", key) if key else None


def _query(targets):
    """The rows of the (kind, (field, value)) targets, as one query."""
    query = Q(pk__in=[])
    for kind, (field, value) in targets:
        query |= Q(kind=kind, **{field: value})
    return Entity.objects.filter(query).select_related("merged_into")


def resolve(wanted):
    """{(kind, text): Ref or None} for the typed values `wanted` ((kind, text) pairs).

    Countries the gazetteer knows resolve without the database; the rest in one query.
    Anything unknown resolves to None.
    """
    found, targets = {}, {}
    for kind, text in dict.fromkeys(wanted):
        target = _target(kind, text)
        if kind == Entity.Kind.COUNTRY and target[1] in COUNTRY_NAMES:
            found[(kind, text)] = Ref(target[1], country_name(target[1]))
        elif target:
            targets[(kind, text)] = (kind, target)
        else:
            found[(kind, text)] = None
    if targets:
        rows = {}
        for row in _query(targets.values()):
            rows[(row.kind, "pk", row.pk)] = rows[(row.kind, "key", row.key)] = row
        for wanted_value, (kind, (field, value)) in targets.items():
            entity = rows.get((kind, field, value))
            found[wanted_value] = ref_of(survivor(entity)) if entity else None
    return found


def entity_at(kind, text):
    """The entity an address names (a ref, or a name or key typed by hand), or None;
    merged entities are returned as they are, for the caller to redirect."""
    target = _target(kind, text) if kind in Entity.Kind.values else None
    return _query([(kind, target)]).first() if target else None


def _country_named(text):
    """The ISO code of the country `text` names: a code written in capitals, or a name."""
    if text in COUNTRY_NAMES:
        return text
    place = lookup(text)
    return place.code if place and place.tier == COUNTRY else None


def named(texts):
    """{text: [(kind, Ref), ...]}: the entities each of `texts` (words as a reader wrote them, such as a
    line of a batch list) names, at most one of each kind.

    A country by one of its names (a code counts only in capitals: "US", not "us"); a person or
    organization by its name (the key extraction gives it) or else by an alias the archive writes
    it as (a mention's surface, as written or in title or upper case), the entity most often
    written so. A country's aliases are left out: they include its cities. Three queries in all.
    """
    people_and_orgs = (Entity.Kind.PERSON, Entity.Kind.ORGANIZATION)
    keys = {(kind, text): _name_key(kind, text) for text in texts for kind in people_and_orgs}
    by_key = {(row.kind, row.key): row for row in _query(
        [(kind, ("key", key)) for (kind, _), key in keys.items() if key])}
    variants = {variant: text for text in texts for variant in (text, text.title(), text.upper())}
    uses = (Mention.objects.filter(surface__in=list(variants), entity__kind__in=people_and_orgs)
            .values_list("surface", "entity_id", "entity__kind").annotate(uses=Sum("count")).order_by("-uses"))
    by_alias = {}
    for surface, entity_id, kind, _ in uses:
        by_alias.setdefault((kind, variants[surface]), entity_id)
    aliased = {row.pk: row for row in Entity.objects.filter(pk__in=set(by_alias.values())).select_related("merged_into")}
    found = {}
    for text in texts:
        code = _country_named(text)
        refs = [(Entity.Kind.COUNTRY, Ref(code, country_name(code)))] if code else []
        for kind in people_and_orgs:
            entity = by_key.get((kind, keys[(kind, text)])) or aliased.get(by_alias.get((kind, text)))
            if entity:
                refs.append((kind, ref_of(survivor(entity))))
        found[text] = refs
    return found
