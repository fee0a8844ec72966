"""Possible duplicates: pairs of live entities that may be one, for staff to merge or dismiss.

The resolver joins a name to another only when the archive all but always means that one
by it; the pairs it leaves are for people to decide. They are found from the names alone
(similar names, acronyms, short forms, bare surnames, by the rules of `names`) and from
the aliases two entities share. A pair anyone judged (staff merged or dismissed it, the
resolver joined it) is never proposed again.
"""
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from django.db.models import Count, Max, Min
from rapidfuzz import fuzz, process

from articles.enrichment.resolution import names
from articles.models import Entity, Judgement, Mention

PERSON, ORGANIZATION = Entity.Kind.PERSON, Entity.Kind.ORGANIZATION
# Countries are ISO codes from a gazetteer: they have no near-duplicates.
KINDS = (PERSON, ORGANIZATION)
# Similar names: rapidfuzz's ratio (0-100) of the two keys with their words sorted, which
# is its token_sort_ratio with the sorting done once per key rather than once per pair
# (the faster; docs/performance.md, "Possible duplicates"). 88 lets one letter in
# nine differ: "gorbachev" / "gorbachov".
SIMILAR = 88
# Every name is compared with every other only among the MOST_MENTIONED entities of a kind,
# so that part costs the same whatever the archive's size: comparing all of a kind grows
# with the square of its entities (docs/performance.md, "Possible duplicates", for the
# times on the Reuters and BBC archive). Past the first 3,000, that archive's people and
# organizations have one or two articles each: merging one fixes one or two articles.
MOST_MENTIONED = 3000
# Aliases exactly two entities are written as, the most mentioned first. A surface more
# entities share ("Bank": 26 organizations, "Johnson": 21 people) says nothing of any pair.
SHARED_SURFACES = 500
# An acronym, short form or bare surname that could stand for more than this many longer
# names ("CC": 61 names, "United": 87, "Johnson": 21) is left out: nobody could tell which
# it is without reading its articles.
READINGS = 3


class Candidate(NamedTuple):
    """An entity as the rules read it: a plain row, as a hundred thousand model instances
    take a second to make."""

    pk: int
    kind: str
    key: str
    name: str
    articles: int

    @property
    def ref(self):
        return Entity(pk=self.pk, kind=self.kind, key=self.key).ref


@dataclass
class Pair:
    """Two live entities of one kind that may be one, and why. `first` has the more articles,
    so merging `second` into it is the default."""

    first: Candidate
    second: Candidate
    reasons: list

    @property
    def entities(self):
        return self.first, self.second

    def rank(self):
        """Best first: more kinds of evidence, then more articles a merge would fix."""
        return (-len(self.reasons), -self.second.articles, -self.first.articles, self.first.pk, self.second.pk)


def possible_duplicates(kind=None):
    """The pairs of live people and organizations (of `kind`, if given) that may be one
    entity and that nobody judged, best first."""
    articles = dict(Mention.objects.values_list("entity_id").annotate(n=Count("article_id", distinct=True)))
    rows = Entity.objects.filter(kind__in=[kind] if kind else KINDS, merged_into=None)
    entities = [Candidate(*row, articles.get(row[0], 0)) for row in rows.values_list("id", "kind", "key", "name")]
    return find_pairs(entities, shared_aliases(), judged_pairs())


def shared_aliases(limit=SHARED_SURFACES):
    """(surface, entity id, entity id) for the surfaces exactly two entities are written as."""
    return list(
        Mention.objects.values("surface")
        .annotate(entities=Count("entity_id", distinct=True), low=Min("entity_id"), high=Max("entity_id"),
                  mentions=Count("id"))
        .filter(entities=2).order_by("-mentions", "surface").values_list("surface", "low", "high")[:limit]
    )


def judged_pairs():
    """(lower id, higher id) of every pair with a judgement, whatever it says and whoever gave it."""
    return set(Judgement.objects.values_list("left_id", "right_id"))


def find_pairs(entities, shared=(), judged=frozenset()):
    """The possible duplicates among `entities` (live `Candidate`s), given the aliases pairs
    share, leaving out the `judged` pairs, best first."""
    by_id = {entity.pk: entity for entity in entities}
    reasons = defaultdict(list)
    evidence = chain(
        similar_names(entities), acronyms(entities), short_forms(entities), bare_surnames(entities),
        ((by_id.get(one), by_id.get(other), f"shared alias '{surface}'") for surface, one, other in shared),
    )
    for one, other, reason in evidence:
        if one is None or other is None or one.kind != other.kind:
            continue  # an alias shared with a country, or with an entity of another kind or merged
        pair = (min(one.pk, other.pk), max(one.pk, other.pk))
        if pair not in judged and reason not in reasons[pair]:
            reasons[pair].append(reason)
    pairs = [
        Pair(*sorted((by_id[low], by_id[high]), key=lambda entity: (-entity.articles, entity.pk)), found)
        for (low, high), found in reasons.items()
    ]
    return sorted(pairs, key=Pair.rank)


def similar_names(entities, most_mentioned=MOST_MENTIONED):
    """Names of one kind whose keys, words sorted, differ by little ("Mikhail Gorbachev" and
    "Mikhail Gorbachov", "Xi Jinping" and "Jinping Xi"), among the most mentioned entities."""
    for kind in KINDS:
        known = sorted((e for e in entities if e.kind == kind), key=lambda e: (-e.articles, e.pk))[:most_mentioned]
        if len(known) < 2:
            continue
        words = [" ".join(sorted(entity.key.split())) for entity in known]
        scores = process.cdist(words, words, scorer=fuzz.ratio, score_cutoff=SIMILAR, dtype="uint8")
        for i, j in zip(*(axis.tolist() for axis in scores.nonzero())):
            if i < j:
                yield known[i], known[j], f"similar names {scores[i, j]}"


def acronyms(entities):
    """An acronym ("IMF", "U.S.D.A.") and the names of its kind with those initials."""
    long_forms = defaultdict(list)
    for entity in entities:
        if " " in entity.key:
            long_forms[(entity.kind, names.acronym_letters(entity.name))].append(entity)
    for entity in entities:
        if names.is_acronym(entity.name):
            longer = long_forms.get((entity.kind, entity.name.replace(".", "").upper()), [])
            yield from _readings(entity, longer, f"acronym {entity.name}")


def short_forms(entities):
    """An organization's first words or a clipping of its first word ("Moody", "Fed") and
    the longer names it may stand for, when it may stand for another name at all (not "Bank")."""
    organizations = {entity.key: entity for entity in entities if entity.kind == ORGANIZATION}
    longer = defaultdict(list)
    for long in organizations.values():
        for key in names.shorter_keys(long.key):
            if key in organizations and names.is_short_form(key, long.key):
                longer[key].append(long)
    for key, found in longer.items():
        short = organizations[key]
        if len(found) <= READINGS and names.can_stand_for_another(key, short.name):
            yield from _readings(short, found, f"short form {short.name}")


def bare_surnames(entities):
    """A surname alone ("Reagan") and the people's full names ending in it."""
    full_names = defaultdict(list)
    for entity in entities:
        if entity.kind == PERSON and " " in entity.key:
            full_names[names.surname(entity.key)].append(entity)
    for entity in entities:
        if entity.kind == PERSON and " " not in entity.key:
            yield from _readings(entity, full_names.get(entity.key, []), f"bare surname {entity.name}")


def _readings(short, longer, reason):
    """(short, long, reason) for each longer name `short` may stand for, unless it may stand for too many."""
    if len(longer) <= READINGS:
        for long in longer:
            yield short, long, reason


def dismiss_pair(first, second, user):
    """Staff say the pair is not one entity: it is never proposed again, and the resolver
    never joins it."""
    return Judgement.record(first, second, Judgement.Verdict.NOT_SAME, Judgement.Judge.STAFF,
                            "dismissed by staff", user)


def live_pair(first_id, second_id):
    """The two entities staff act on, by their ids; ValueError says why they cannot be a pair."""
    try:
        ids = [int(value) for value in (first_id, second_id)]
    except (TypeError, ValueError):
        raise ValueError("Choose two entities.") from None
    if ids[0] == ids[1] or not all(0 < pk < 2**63 for pk in ids):
        raise ValueError("Choose two different entities.")
    found = Entity.objects.in_bulk(ids)
    if len(found) != 2:
        raise ValueError("One of these entities no longer exists.")
    first, second = found[ids[0]], found[ids[1]]
    for entity in (first, second):
        if entity.merged_into_id:
            raise ValueError(f"{entity.name} was already merged into another entity.")
    if first.kind != second.kind or first.kind not in KINDS:
        raise ValueError(f"{first.name} ({first.kind}) and {second.name} ({second.kind}) cannot be one entity.")
    return first, second
