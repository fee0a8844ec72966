"""Staff curation of entities: merge, rename, split off an alias, block.

Each change moves or removes the mentions in the database at once, records itself as a
`Curation` (who, when, what) and re-indexes exactly the articles it touched, through
the same queue and reconciler as enrichment. Merges, splits and blocks are also rules:
`apply_rules` runs them over every extraction, so re-running enrichment keeps them.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum

from articles import pipeline
from articles.entities import FoundEntity, normalise_key
from articles.entities.gazetteer import COUNTRY, country_name, lookup
from articles.models import Curation, Entity, Judgement, Mention


@dataclass
class Rules:
    """The curation rules in force, by (kind, key)."""

    blocked: set = field(default_factory=set)
    merged: dict = field(default_factory=dict)  # (kind, key) -> key it was merged into
    split: dict = field(default_factory=dict)  # (kind, key, surface) -> key it was split into
    names: dict = field(default_factory=dict)  # (kind, key) -> name of the entity a rule sends mentions to

    def final_key(self, kind, key):
        """Follow merges (a merged entity may itself have been merged later)."""
        seen = set()
        while (kind, key) in self.merged and key not in seen:
            seen.add(key)
            key = self.merged[(kind, key)]
        return key


def load_rules():
    rules = Rules()
    for c in Curation.objects.exclude(action=Curation.Action.RENAME).order_by("created_at"):
        if c.action == Curation.Action.BLOCK:
            rules.blocked.add((c.kind, c.key))
        elif c.action == Curation.Action.MERGE:
            rules.merged[(c.kind, c.key)] = c.target_key
        else:
            rules.split[(c.kind, c.key, c.surface)] = c.target_key
        if c.target_key:
            rules.names[(c.kind, c.target_key)] = c.target_name
    return rules


def apply_rules(found, rules):
    """One article's extracted entities with the curation rules applied."""
    curated = {}
    for item in found:
        for surface, start, end in item.mentions:
            key = rules.split.get((item.kind, item.key, surface), item.key)
            key = rules.final_key(item.kind, key)
            if (item.kind, key) in rules.blocked:
                continue
            name = item.name if key == item.key else rules.names.get((item.kind, key), item.name)
            entity = curated.setdefault((item.kind, key), FoundEntity(item.kind, key, name))
            entity.mentions.append((surface, start, end))
    return list(curated.values())


def ranked_aliases(entity, limit=None):
    """(surface, uses): the distinct ways the archive names `entity`, most used first.

    A country's aliases are its names and demonyms; the cities, capitals and dateline
    places that resolved to it are places in it, not other names for it.
    """
    rows = (
        Mention.objects.filter(entity=entity).exclude(surface=entity.name)
        .values_list("surface").annotate(uses=Sum("count")).order_by("-uses", "surface")
    )
    if entity.kind == Entity.Kind.COUNTRY:
        rows = [(surface, uses) for surface, uses in rows if _names_country(surface, entity.key)]
    return list(rows[:limit] if limit else rows)


def _names_country(surface, code):
    return _country_named(surface) == code


def _country_named(name):
    """The ISO code of the country `name` is a name or demonym of, else None (cities are not)."""
    place = lookup(name)
    return place.code if place and place.tier == COUNTRY else None


# --- Changes -------------------------------------------------------------------------------------

def merge(entities, into, user):
    """Merge `entities` of the same kind into `into`: their mentions become its mentions, and
    they stay only as a pointer to it, so every address naming them leads to `into`."""
    changed = set()
    with transaction.atomic():
        for entity in entities:
            if entity.pk == into.pk or entity.kind != into.kind:
                continue
            Curation.objects.filter(kind=entity.kind, target_key=entity.key).update(
                target_key=into.key, target_name=into.name)  # earlier rules now lead to `into`
            moved = absorb(entity, into)
            _record(Curation.Action.MERGE, entity, user, moved, target=into)
            Judgement.record(entity, into, Judgement.Verdict.SAME, Judgement.Judge.STAFF, "merged by staff", user)
            changed |= moved
    return pipeline.reindex(changed)


def absorb(entity, into):
    """Make `entity` part of `into`: its mentions move, and it stays only as a pointer to
    `into` (as do the entities merged into it before). Returns the ids of the articles
    whose mentions moved; the caller re-indexes them. Staff merges and the archive's
    resolver both join entities through here."""
    moved = _move_mentions(Mention.objects.filter(entity=entity), into)
    Entity.objects.filter(merged_into=entity).update(merged_into=into)
    entity.merged_into = into
    entity.save(update_fields=["merged_into"])
    return moved


def rename(entity, name, user):
    """Give `entity` a new name; its key (how extraction finds it) stays."""
    with transaction.atomic():
        old_name = entity.name
        entity.name = name
        entity.save(update_fields=["name"])
        changed = set(entity.mentions.values_list("article_id", flat=True))
        _record(Curation.Action.RENAME, entity, user, changed, name=old_name, target_name=name)
        Curation.objects.filter(kind=entity.kind, target_key=entity.key).update(target_name=name)
    return pipeline.reindex(changed)


def split(entity, surface, name, user):
    """Make the mentions written `surface` an entity of their own, named `name`.

    Returns the entity they now belong to (an existing one if its key is taken). Raises
    ValueError for a country name the gazetteer does not know (countries are ISO codes).
    """
    if entity.kind == Entity.Kind.COUNTRY:
        key = _country_named(name)
        if not key:
            raise ValueError(f"{name} is not a country name the gazetteer knows.")
        name = country_name(key)
    else:
        key = normalise_key(entity.kind, name)
    with transaction.atomic():
        target, _ = Entity.objects.get_or_create(kind=entity.kind, key=key[:200], defaults={"name": name[:300]})
        if target.merged_into_id:  # the name of an entity merged away: it lives again
            target.merged_into = None
            target.save(update_fields=["merged_into"])
        changed = _move_mentions(Mention.objects.filter(entity=entity, surface=surface), target)
        _record(Curation.Action.SPLIT, entity, user, changed, surface=surface, target=target)
        Judgement.record(entity, target, Judgement.Verdict.NOT_SAME, Judgement.Judge.STAFF,
                         f"{surface!r} split off by staff", user)
    pipeline.reindex(changed)
    return target


def block(entity, user):
    """Remove `entity` and never extract it again (a false entity such as "Viewses")."""
    with transaction.atomic():
        changed = set(entity.mentions.values_list("article_id", flat=True))
        _record(Curation.Action.BLOCK, entity, user, changed)
        entity.delete()  # its mentions go with it
    return pipeline.reindex(changed)


def unbundle(entity, parts, whole):
    """Give `entity`'s mentions written as one of `parts` ({written name: entity}) to that
    entity, and with `whole` each mention of `entity`'s own name to every part, at the
    part's place in it ("World Bank and IMF" is a mention of each). Returns the ids of the
    articles whose mentions moved; the caller re-indexes them."""
    changed = set()
    keys = {normalise_key(entity.kind, written): target for written, target in parts.items()}
    for mention in list(Mention.objects.filter(entity=entity)):
        key = normalise_key(entity.kind, mention.surface)
        if key in keys:
            _add_mention(mention, keys[key], mention.surface, 0)
        elif whole and key == entity.key and all(written.lower() in mention.surface.lower() for written in parts):
            for written, target in parts.items():
                at = mention.surface.lower().index(written.lower())
                _add_mention(mention, target, mention.surface[at:at + len(written)], at)
        else:
            continue
        changed.add(mention.article_id)
        mention.delete()
    return changed


def _add_mention(mention, target, surface, at):
    """A mention of `target` where `mention` is, written `surface` from `at` characters in."""
    offsets = [[start + at, start + at + len(surface)] for start, _ in mention.offsets]
    kept, created = Mention.objects.get_or_create(
        article_id=mention.article_id, entity=target, surface=surface,
        defaults={"count": mention.count, "offsets": offsets})
    if not created:
        kept.count += mention.count
        kept.offsets = sorted(kept.offsets + offsets)
        kept.save(update_fields=["count", "offsets"])


def give_mentions(mentions, target):
    """Give some of an entity's `mentions` (those of the articles that write an acronym
    out as another body's name) to `target`; returns the ids of the articles changed."""
    return _move_mentions(mentions, target)


def _move_mentions(mentions, target):
    """Give `mentions` to `target`, adding into a mention it already has of the same surface."""
    changed = set()
    existing = {(m.article_id, m.surface): m for m in Mention.objects.filter(
        entity=target, article_id__in=mentions.values("article_id"))}
    for mention in list(mentions):
        changed.add(mention.article_id)
        kept = existing.get((mention.article_id, mention.surface))
        if kept:
            kept.count += mention.count
            kept.offsets = sorted(kept.offsets + mention.offsets)
            kept.save(update_fields=["count", "offsets"])
            mention.delete()
        else:
            mention.entity = target
            mention.save(update_fields=["entity"])
    return changed


def _record(action, entity, user, changed, surface="", target=None, name=None, target_name=""):
    Curation.objects.create(
        action=action, kind=entity.kind, key=entity.key, name=name or entity.name, surface=surface,
        target_key=target.key if target else "", target_name=target.name if target else target_name,
        articles=len(changed), created_by=user,
    )
