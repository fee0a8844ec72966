"""The archive-level resolver: entities that are one across the archive become one.

Extraction sees one article at a time: "Reagan" alone in an article is an entity of its
own, "IMF" without its long form another, "Merrill Lynch" a person where the model misread
it. The resolver reads the archive's evidence instead (how many articles each name has,
which names extend which, which entities they appear beside) and joins a name to the
entity it stands for through the same merge staff use, so a join moves mentions, leaves a
pointer that every address follows and sends the articles to be re-indexed. Later
extractions of the joined name go straight to the survivor.

It runs in the background, incrementally: each run reads the mentions added since the
last one (`ResolutionProgress`), asks only about the entities they touch, and never holds
up enrichment. Staff always win: an entity staff curated is never joined away, and a pair
staff judged "not the same" is never joined; every join is recorded as a `Judgement`.
"""
import logging
from bisect import bisect_left
from collections import defaultdict
from itertools import islice, takewhile
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from articles import curation
from articles.models import Curation, Entity, Judgement, Mention, ResolutionProgress

from . import names

logger = logging.getLogger(__name__)
PERSON, ORGANIZATION = Entity.Kind.PERSON, Entity.Kind.ORGANIZATION
# Mentions read per run at most, so a run stays short while a large import is enriched.
MENTIONS_PER_RUN = 50_000
# Articles read per entity to know the entities it appears beside.
CONTEXT_ARTICLES = 200
# A surname joins a full name only when the two appear beside the same entities at least
# this much (cosine similarity of their neighbours' article counts).
CONTEXT_SIMILARITY = 0.2
# A name the archive sees as one kind joins the same name of the other kind when that
# kind has at least this many times its articles.
TYPE_MAJORITY = 2.0


def resolve_new_mentions(limit=MENTIONS_PER_RUN):
    """One run: the entities touched by mentions added since the last run. Returns the
    number of entities joined, or None when another run holds the resolver."""
    if not _hold():
        return None
    try:
        progress = ResolutionProgress.objects.get(pk=1)
        newer = Mention.objects.filter(id__gt=progress.last_mention_id)
        last = newer.order_by("-id").values_list("id", flat=True)[:1]
        upto = newer.order_by("id").values_list("id", flat=True)[limit - 1:limit] or last
        if not upto:
            return 0
        touched = set(newer.filter(id__lte=upto[0]).values_list("entity_id", flat=True).distinct())
        joined = resolve(touched)
        ResolutionProgress.objects.filter(pk=1).update(last_mention_id=upto[0])
        return joined
    finally:
        ResolutionProgress.objects.filter(pk=1).update(held_until=None)


def unread_mentions():
    """Whether mentions were added since the last run."""
    progress = ResolutionProgress.objects.filter(pk=1).first()
    return Mention.objects.filter(id__gt=progress.last_mention_id if progress else 0).exists()


def _hold():
    """Take the resolver for this run (a run that died lets go after its lease)."""
    now = timezone.now()
    ResolutionProgress.objects.get_or_create(pk=1)
    lease = now + timedelta(seconds=settings.RESOLVE_LEASE)
    return ResolutionProgress.objects.filter(pk=1).filter(
        Q(held_until__isnull=True) | Q(held_until__lt=now)
    ).update(held_until=lease) == 1


def resolve(entity_ids):
    """Ask, for each of these entities, whether it is another entity of the archive, and
    join the ones the evidence settles. Returns how many were joined."""
    archive = Archive.load()
    _sweep_merged(set(entity_ids) - set(archive.entities))
    joined = 0
    for entity_id in sorted(entity_ids):
        entity = archive.entities.get(entity_id)
        for name, into, reason in archive.questions(entity) if entity else ():
            joined += archive.join(name, into, reason)
    return joined


def _sweep_merged(entity_ids):
    """Mentions that reached an entity after it was merged away (an enrichment racing the
    merge) follow it to its survivor."""
    merged = Entity.objects.filter(pk__in=entity_ids, merged_into__isnull=False, mentions__isnull=False)
    for entity in merged.distinct().select_related("merged_into"):
        with transaction.atomic():
            curation.reindex(curation.absorb(entity, entity.merged_into))


class Archive:
    """The live people and organizations, indexed by the name forms the rules look up,
    with their article counts and neighbours read from the database on demand."""

    def __init__(self, rows, curated, dismissed):
        self.entities = {row.pk: row for row in rows}
        self.curated = curated  # (kind, key) staff curated: never joined away
        self.dismissed = dismissed  # pairs of ids staff judged not the same
        self.by_key = {(e.kind, e.key): e for e in rows}
        self.people_by_surname = defaultdict(list)
        self.organizations_by_letters = defaultdict(list)
        self.organizations_by_words = defaultdict(list)
        self.organizations_by_first_word = defaultdict(list)
        for entity in rows:
            if entity.kind == PERSON and " " in entity.key:
                self.people_by_surname[names.surname(entity.key)].append(entity)
            elif entity.kind == ORGANIZATION and " " in entity.key:
                self.organizations_by_letters[names.acronym_letters(entity.name)].append(entity)
                self.organizations_by_words[tuple(sorted(names.significant_words(entity.key)))].append(entity)
                self.organizations_by_first_word[entity.key.split()[0]].append(entity)
        self.first_words = sorted(self.organizations_by_first_word)
        self._articles = {}

    @classmethod
    def load(cls):
        rows = list(Entity.objects.filter(kind__in=[PERSON, ORGANIZATION], merged_into__isnull=True)
                    .only("id", "kind", "key", "name"))
        curated = set()
        for kind, key, target in Curation.objects.values_list("kind", "key", "target_key"):
            curated |= {(kind, key), (kind, target)}
        dismissed = {
            frozenset(pair) for pair in Judgement.objects.filter(
                judge=Judgement.Judge.STAFF).exclude(verdict=Judgement.Verdict.SAME).values_list("left_id", "right_id")
        }
        return cls(rows, curated, dismissed)

    # --- Evidence ---------------------------------------------------------------------------

    def articles(self, *entities):
        """{entity id: number of articles it is mentioned in}, read once per run."""
        missing = [e.pk for e in entities if e.pk not in self._articles]
        if missing:
            counts = dict(Mention.objects.filter(entity_id__in=missing).values("entity_id")
                          .annotate(n=Count("article_id", distinct=True)).values_list("entity_id", "n"))
            self._articles.update({pk: counts.get(pk, 0) for pk in missing})
        return {e.pk: self._articles[e.pk] for e in entities}

    def neighbours(self, entity):
        """{entity id: articles}: the entities mentioned beside `entity` in (some of) its articles."""
        sample = list(Mention.objects.filter(entity=entity).order_by("-article_id")
                      .values_list("article_id", flat=True).distinct()[:CONTEXT_ARTICLES])
        return dict(Mention.objects.filter(article_id__in=sample).exclude(entity=entity)
                    .values("entity_id").annotate(n=Count("article_id", distinct=True))
                    .values_list("entity_id", "n"))

    def _dominant(self, candidates):
        candidates = [c for c in candidates if c.pk in self.entities]
        pick = names.dominant(self.articles(*candidates)) if candidates else None
        return self.entities.get(pick)

    # --- Questions ----------------------------------------------------------------------------

    def questions(self, entity):
        """(name, entity it may be, reason) for the joins the archive's evidence supports
        that involve `entity`, as the name joined away or as the entity it joins."""
        if entity.kind == PERSON:
            yield from self._type_question(entity, ORGANIZATION)
            yield from self._surname_question(self.by_key.get((PERSON, names.surname(entity.key))))
            yield from self._fragment_question(entity)
        else:
            yield from self._type_question(entity, PERSON)
            yield from self._reordered_question(entity)
            for short in self._short_forms_of(entity):
                yield from self._short_form_question(short)
            yield from self._short_form_question(entity)
            yield from self._qualified_question(entity)

    def _type_question(self, entity, other_kind):
        """The same name as a person and as an organization: the kind the archive mostly
        sees it as wins ("Merrill Lynch" the firm, whatever one article's model said)."""
        other = self.by_key.get((other_kind, entity.key))
        if other is None:
            return
        counts = self.articles(entity, other)
        fewer, more = sorted((entity, other), key=lambda e: counts[e.pk])
        if counts[more.pk] >= max(names.MIN_ARTICLES, TYPE_MAJORITY * counts[fewer.pk]):
            yield fewer, more, f"seen as {more.kind} in {counts[more.pk]} articles, as {fewer.kind} in {counts[fewer.pk]}"

    def _surname_question(self, short):
        """A surname alone ("Reagan") and the one full name with it that the archive all but
        always means, appearing beside the same entities."""
        if short is None or " " in short.key or short.pk not in self.entities:
            return
        full = self._dominant(self.people_by_surname.get(short.key, []))
        if full is None:
            return
        similarity = names.cosine(*self._shared_context(short, full))
        if similarity >= CONTEXT_SIMILARITY:
            yield short, full, f"surname of the dominant full name; context similarity {similarity:.2f}"

    def _shared_context(self, first, second):
        pair = {first.pk, second.pk}
        return ({k: v for k, v in self.neighbours(entity).items() if k not in pair} for entity in (first, second))

    def _fragment_question(self, entity):
        """A name with an ordinary word run into it from a headline ("Energy Subroto")."""
        rest = names.headline_fragment_rest(entity.key)
        whole = self.by_key.get((PERSON, rest)) if rest else None
        if whole is not None:
            counts = self.articles(entity, whole)
            if counts[whole.pk] >= counts[entity.pk]:
                yield entity, whole, "an ordinary word run into a name"

    def _reordered_question(self, entity):
        """The same words in another order ("US Agriculture Department", "US Department of
        Agriculture"): the form with fewer articles joins the other."""
        for other in self.organizations_by_words.get(tuple(sorted(names.significant_words(entity.key))), []):
            if other.pk != entity.pk and names.same_words_reordered(entity.key, other.key):
                counts = self.articles(entity, other)
                fewer, more = sorted((entity, other), key=lambda e: (counts[e.pk], -e.pk))
                yield fewer, more, "the same words in another order"

    def _short_forms_of(self, entity):
        """The live organizations that may be short forms of `entity`: an acronym of it,
        its first words, a clipping of its first word."""
        words = entity.key.split()
        keys = {names.acronym_letters(entity.name).lower()} if len(words) > 1 else set()
        keys |= {" ".join(words[:n]) for n in range(1, len(words))}
        keys |= {words[0][:n] for n in range(3, len(words[0]))} if len(words) > 1 else set()
        return [self.by_key[(ORGANIZATION, key)] for key in keys if (ORGANIZATION, key) in self.by_key]

    def _short_form_question(self, short):
        """An acronym ("IMF") or a short form ("Moody", "Fed") and the one long form the
        archive all but always means by it."""
        if short.pk not in self.entities:
            return
        if names.is_acronym(short.name):
            letters = short.name.replace(".", "").upper()
            longer = self.organizations_by_letters.get(letters, [])
            reason = "acronym of the dominant long form"
        elif names.can_stand_for_another(short.key, short.name):
            words = short.key.split()
            longer = [
                e for first in self._first_words_from(words[0])
                for e in self.organizations_by_first_word[first] if names.is_short_form(short.key, e.key)
            ]
            reason = "short form of the dominant long form"
        else:
            return
        into = self._dominant([e for e in longer if e.pk != short.pk])
        if into is not None:
            yield short, into, reason

    def _first_words_from(self, word):
        """First words of organizations that `word` is, or clips ("fed" -> "federal")."""
        start = bisect_left(self.first_words, word)
        return list(takewhile(lambda first: first.startswith(word), islice(self.first_words, start, None)))

    def _qualified_question(self, entity):
        """A place run into an organization's name ("Guatemalan ICO"): it joins the
        organization when that has DOMINANCE times its articles."""
        rest = names.qualified_by_place(entity.key, entity.name)
        plain = self.by_key.get((ORGANIZATION, rest)) if rest else None
        if plain is not None:
            counts = self.articles(entity, plain)
            if counts[plain.pk] >= max(names.MIN_ARTICLES, names.DOMINANCE * counts[entity.pk]):
                yield entity, plain, "a place run into the name of a far more frequent organization"

    # --- Joining ------------------------------------------------------------------------------

    def join(self, name, into, reason):
        """Join `name` into `into` unless staff decided otherwise; True when joined."""
        if name.pk not in self.entities or into.pk not in self.entities or name.pk == into.pk:
            return False
        if (name.kind, name.key) in self.curated or frozenset((name.pk, into.pk)) in self.dismissed:
            return False
        with transaction.atomic():
            if not Entity.objects.filter(pk__in=[name.pk, into.pk], merged_into__isnull=True).count() == 2:
                return False  # merged meanwhile (by staff, or another run)
            moved = curation.absorb(name, into)
            Judgement.record(name, into, Judgement.Verdict.SAME, Judgement.Judge.RESOLVER,
                             f"{name.name} -> {into.name}: {reason}")
            curation.reindex(moved)
        self._forget(name, into)
        logger.info("Resolved %s (%s) into %s (%s): %s", name.name, name.ref, into.name, into.ref, reason)
        return True

    def _forget(self, name, into):
        """`name` is no longer live; `into` now has its articles."""
        del self.entities[name.pk]
        self.by_key.pop((name.kind, name.key), None)
        merged = self._articles.pop(name.pk, 0)
        if into.pk in self._articles:
            self._articles[into.pk] += merged  # an upper bound: some articles mention both
