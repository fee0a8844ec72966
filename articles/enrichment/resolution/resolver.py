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
from collections import Counter, defaultdict
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from articles import pipeline
from articles.enrichment import curation
from articles.enrichment.resolution import names, recall
from articles.enrichment.resolution.organizations import OrganizationQuestions
from articles.enrichment.resolution.surnames import SharedSurnames
from articles.entities import normalise_key
from articles.entities.lexicon import is_name_like
from articles.models import Curation, Entity, Judgement, Mention, ResolutionProgress

logger = logging.getLogger(__name__)
PERSON, ORGANIZATION = Entity.Kind.PERSON, Entity.Kind.ORGANIZATION
# Mentions read per run at most, so a run stays short while a large import is enriched.
MENTIONS_PER_RUN = 50_000
# Articles read per entity to know the entities it appears beside.
CONTEXT_ARTICLES = 200
# A name the archive sees as a person and as an organization is the kind with at least
# TYPE_MAJORITY times the other's articles, and TYPE_MIN_ARTICLES; an organization's name
# only becomes a person's when it is shaped like one (a given name first), because the model
# reads many firms named for people ("Archer Daniels Midland") as people.
TYPE_MAJORITY = 1.5
TYPE_MIN_ARTICLES = 3


def resolve_new_mentions(limit=MENTIONS_PER_RUN):
    """One run: the known organizations found in the articles enriched since the last run
    (`recall`), then the entities touched by mentions added since the last run. Returns the
    number of entities joined, or None when another run holds the resolver."""
    if not _hold():
        return None
    try:
        recalled = recall.recall_known_organizations()
        if recalled:
            logger.info("Known organizations found where extraction missed them: %s mentions", recalled)
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
    """Whether mentions were added, or articles enriched, since the last run."""
    progress = ResolutionProgress.objects.filter(pk=1).first()
    return (Mention.objects.filter(id__gt=progress.last_mention_id if progress else 0).exists()
            or recall.unread_articles().exists())


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
    joined, waiting = 0, sorted(entity_ids, reverse=True)
    while waiting:
        entity = archive.entities.get(waiting.pop())
        if entity is None:
            continue
        try:
            into_ids = _settle(archive, entity)
        except (SoftTimeLimitExceeded, *pipeline.TRANSIENT_DB_ERRORS):
            raise  # out of time, or the database is away: the next run reads these mentions again
        except Exception:
            # One entity whose names a rule did not foresee must not stop the archive's
            # resolution: the run would stop there again, and every run after it.
            logger.exception("Resolving %s (%s) failed; the run goes on without it", entity.name, entity.ref)
            archive.mentions_moved(entity)
            continue
        joined += len(into_ids)
        waiting.extend(into_ids)  # with more articles, they may settle questions that were open
    return joined


def _settle(archive, entity):
    """Undo a bundle of names, then make the joins the evidence about `entity` supports;
    the ids of the entities something joined."""
    archive.unbundle(entity)
    return [into.pk for name, into, reason in archive.questions(entity) if archive.join(name, into, reason)]


def _sweep_merged(entity_ids):
    """Mentions that reached an entity after it was merged away (an enrichment racing the
    merge) follow it to its survivor."""
    merged = Entity.objects.filter(pk__in=entity_ids, merged_into__isnull=False, mentions__isnull=False)
    for entity in merged.distinct().select_related("merged_into"):
        with transaction.atomic():
            pipeline.reindex(curation.absorb(entity, entity.merged_into))


class Archive(OrganizationQuestions, SharedSurnames):
    """The live people and organizations, indexed by the name forms the rules look up,
    with their article counts and neighbours read from the database on demand."""

    def __init__(self, rows, joined_keys, curated, dismissed):
        self.entities = {row.pk: row for row in rows}
        self.joined_keys = joined_keys  # (kind, key) of an entity merged away -> its survivor's id
        self.curated = curated  # (kind, key) staff curated: never joined away
        self.dismissed = dismissed  # pairs of ids staff judged not the same
        self.by_key = {(e.kind, e.key): e for e in rows}
        self.by_name = defaultdict(list)
        self.people_by_surname = defaultdict(list)
        self.organizations_by_letters = defaultdict(list)
        self.organizations_by_words = defaultdict(list)
        self.organizations_by_first_word = defaultdict(list)
        for entity in rows:
            self.by_name[(entity.kind, names.same_name_form(entity.name))].append(entity)
            if entity.kind == PERSON and " " in entity.key:
                self.people_by_surname[names.surname(entity.key)].append(entity)
            elif entity.kind == ORGANIZATION and " " in entity.key:
                for letters in names.acronyms_of(entity.name):
                    self.organizations_by_letters[letters].append(entity)
                self.organizations_by_words[tuple(sorted(names.significant_words(entity.key)))].append(entity)
                self.organizations_by_first_word[entity.key.split()[0]].append(entity)
        self.first_words = sorted(self.organizations_by_first_word)
        # Names as written, live or joined away (so that joins do not shift this evidence),
        # without the headline fragments ("Reagan Signs Gnma").
        people = [key.split() for key in {e.key for e in rows if e.kind == PERSON} | {
            key for kind, key in joined_keys if kind == PERSON} if names.is_name_shaped(key)]
        self._as_first_word = Counter(words[0] for words in people)
        self._as_last_word = Counter(words[-1] for words in people)
        self._in_names = Counter(word for words in people for word in set(words))
        self._articles = {}
        self._written = {}
        self._neighbours = {}

    @classmethod
    def load(cls):
        everyone = Entity.objects.filter(kind__in=[PERSON, ORGANIZATION])
        rows = list(everyone.filter(merged_into__isnull=True).only("id", "kind", "key", "name"))
        joined = {(kind, key): into for kind, key, into in
                  everyone.filter(merged_into__isnull=False).values_list("kind", "key", "merged_into_id")}
        curated = set()
        for kind, key, target in Curation.objects.values_list("kind", "key", "target_key"):
            curated |= {(kind, key), (kind, target)}
        staff_doubts = Judgement.objects.filter(judge=Judgement.Judge.STAFF).exclude(verdict=Judgement.Verdict.SAME)
        dismissed = {frozenset(pair) for pair in staff_doubts.values_list("left_id", "right_id")}
        return cls(rows, joined, curated, dismissed)

    # --- Evidence ---------------------------------------------------------------------------

    def is_mostly_given_name(self, word):
        """Whether the archive's full names use `word` more often first than last: alone it
        is someone's given name ("Charles", "David"), not a surname that names one person."""
        return self._as_first_word[word] > self._as_last_word[word]

    def is_stray_word(self, word):
        """An initial, or a word in no more than one full name of the archive (the one
        asked about) that English does not mostly write capitalised: a misspelling or a
        word run in ("Athough", "Gnma"), not a rare name's word ("Hardwick")."""
        return len(word) == 1 or (self._in_names[word] <= 1 and not is_name_like(word))

    def articles(self, *entities):
        """{entity id: number of articles it is mentioned in}, read once per run."""
        missing = [e.pk for e in entities if e.pk not in self._articles]
        if missing:
            counts = dict(Mention.objects.filter(entity_id__in=missing).values("entity_id")
                          .annotate(n=Count("article_id", distinct=True)).values_list("entity_id", "n"))
            self._articles.update({pk: counts.get(pk, 0) for pk in missing})
        return {e.pk: self._articles[e.pk] for e in entities}

    def neighbours(self, entity):
        """{entity id: articles}: the entities mentioned beside `entity` in (some of) its
        articles, read once per run and kept up to date by `_forget`."""
        if entity.pk not in self._neighbours:
            sample = list(Mention.objects.filter(entity=entity).order_by("-article_id")
                          .values_list("article_id", flat=True).distinct()[:CONTEXT_ARTICLES])
            self._neighbours[entity.pk] = dict(
                Mention.objects.filter(article_id__in=sample).exclude(entity=entity)
                .values("entity_id").annotate(n=Count("article_id", distinct=True)).values_list("entity_id", "n"))
        return self._neighbours[entity.pk]

    def _dominant(self, candidates, minimum=names.MIN_ARTICLES):
        candidates = [c for c in candidates if c.pk in self.entities]
        pick = names.dominant(self.articles(*candidates), minimum) if candidates else None
        return self.entities.get(pick)

    # --- Questions ----------------------------------------------------------------------------

    def questions(self, entity):
        """(name, entity it may be, reason) for the joins the archive's evidence supports
        that involve `entity`, as the name joined away or as the entity it joins."""
        yield from self._same_name_question(entity)
        if entity.kind == PERSON:
            yield from self._type_question(entity)
            if " " in entity.key:
                yield from self._surname_type_question(self.by_key.get((ORGANIZATION, names.surname(entity.key))))
            for short in [entity.key, *names.surnames(entity.key)]:
                yield from self._surname_question(self.by_key.get((PERSON, short)), by_article=short == entity.key)
            yield from self._fragment_question(entity)
            yield from self._initials_question(entity)
        else:
            yield from self._type_question(self.by_key.get((PERSON, entity.key)))
            yield from self._surname_type_question(entity)
            yield from self._reordered_question(entity)
            for short in self._short_forms_of(entity):
                yield from self._short_form_question(short)
            yield from self._short_form_question(entity)
            yield from self._qualified_question(entity)
            yield from self._alias_question(entity)

    def _same_name_question(self, entity):
        """Two entities of one kind shown under the same name (an acronym's entity named by
        its long form, "SEC" as "Securities and Exchange Commission"): the one with fewer
        articles joins the other."""
        if self._named_apart(entity):
            return
        for other in self.by_name.get((entity.kind, names.same_name_form(entity.name)), []):
            if (other.pk != entity.pk and other.pk in self.entities and entity.pk in self.entities
                    and not self._named_apart(other)):
                counts = self.articles(entity, other)
                fewer, more = sorted((entity, other), key=lambda e: (counts[e.pk], -e.pk))
                yield fewer, more, "the same name"

    def _named_apart(self, entity):
        """An acronym's entity whose name is not what its articles mostly write it out as
        (EC named "European Commission" by its first article, "European Community" in most):
        its name is no evidence."""
        written = self.expansion_of(entity)
        return written is not None and names.same_name_form(written) != names.same_name_form(entity.name)

    def _type_question(self, person):
        """A name the archive sees as a person and as an organization is the kind it mostly
        sees it as ("Merrill Lynch" the firm, whatever one article's model said). The
        organizations whose names it begins ("Merrill Lynch Capital Markets") count for
        the organization; an organization becomes a person only when some article writes
        that person by surname alone (`_written_by_surname`)."""
        if person is None or person.pk not in self.entities or (PERSON, person.key) in self.curated:
            return
        firm = self.by_key.get((ORGANIZATION, person.key))
        extending = self._extensions(person.key) if " " in person.key else []
        if firm is None and len(extending) < 2:
            return
        counts = self.articles(person, *filter(None, [firm]), *extending)
        as_person = counts[person.pk]
        as_firm = sum(counts.values()) - as_person
        if as_firm >= max(TYPE_MIN_ARTICLES, TYPE_MAJORITY * as_person):
            firm = firm or self._new_organization(person)
            if firm is not None:
                yield person, firm, f"seen as an organization in {as_firm} articles, as a person in {as_person}"
        elif (firm is not None and not extending and names.has_given_name_first(person.key)
              and as_person >= max(TYPE_MIN_ARTICLES, TYPE_MAJORITY * as_firm) and self._written_by_surname(person)):
            yield firm, person, f"seen as a person in {as_person} articles, as an organization in {as_firm}"

    def _written_by_surname(self, person):
        """Some article writes the person by surname alone, as news writes people after their
        first mention; a firm named like one ("Alfa Romeo") is not written "Romeo" alone."""
        surname = person.key.split()[-1]
        return any(normalise_key(PERSON, surface) == surname for surface in self._surfaces(person))

    def _extensions(self, key):
        """Live organizations whose names begin with the words of `key`."""
        return [e for e in self.organizations_by_first_word.get(key.split()[0], [])
                if e.key.startswith(key + " ")]

    def _new_organization(self, person):
        """The organization of a person's name, made for the person's mentions to move to."""
        firm, _ = Entity.objects.get_or_create(kind=ORGANIZATION, key=person.key, defaults={"name": person.name})
        if firm.merged_into_id:
            return None
        self.entities[firm.pk] = self.by_key[(ORGANIZATION, firm.key)] = firm
        return firm

    def _surname_type_question(self, firm):
        """A one-word organization that is the surname of the one full name the archive
        means by it ("Icahn" of Carl Icahn, "Sprinkel"), far more often seen as that person
        than as an organization (its own articles and those of organizations it begins):
        the model misread the person."""
        if (firm is None or " " in firm.key or firm.pk not in self.entities
                or (ORGANIZATION, firm.key) in self.curated or not names.can_stand_for_another(firm.key, firm.name)):
            return
        full = self._dominant([e for e in self.people_by_surname.get(firm.key, []) if e.key.endswith(" " + firm.key)])
        if full is None or not names.has_given_name_first(full.key):
            return  # "L.F. Rothschild" may be a firm the model read as a person
        extending = self._extensions(firm.key)
        counts = self.articles(firm, full, *extending)
        as_firm = sum(counts.values()) - counts[full.pk]
        if counts[full.pk] >= max(TYPE_MIN_ARTICLES, names.DOMINANCE * as_firm):
            yield from self._if_seen_together(
                firm, full, f"surname of the dominant full name, seen as a person in {counts[full.pk]} articles, "
                            f"as an organization in {as_firm}")

    def _surname_question(self, short, by_article=False):
        """A surname alone ("Reagan", "De Clercq") and the one full name with it that the
        archive all but always means, appearing beside the same entities, in a third of its
        articles or more (`keeps_company_of`). When it has none, and `by_article`, each article's
        mention may go to a full name (`give_by_company`)."""
        if short is None or not names.is_surname_only(short.key) or short.pk not in self.entities:
            return
        if self.is_mostly_given_name(short.key):
            return
        full_names = [e for e in self.people_by_surname.get(names.surname(short.key), [])
                      if e.key.endswith(" " + short.key)]
        full = self._dominant(full_names)
        joins = (list(self._if_seen_together(short, full, "surname of the dominant full name"))
                 if full and self.keeps_company_of(short, full) else [])
        yield from joins
        if not joins and by_article:
            self.give_by_company(short, full_names)

    def _initials_question(self, entity):
        """A name with a middle initial ("Ivan F. Boesky") joins the same name without it
        when that is far more frequent; two frequent forms are two people as often as not
        ("George W. Bush", "George Bush")."""
        plain = self.by_key.get((PERSON, names.without_initials(entity.key)))
        if plain is not None and plain.pk != entity.pk:
            counts = self.articles(entity, plain)
            if counts[plain.pk] >= max(names.MIN_ARTICLES, names.DOMINANCE * counts[entity.pk]):
                yield from self._if_seen_together(entity, plain, "the same name with a middle initial")

    def _named_for(self, entity, inner):
        """A one-word name with one word after it that some article writes whole in its text
        ("Ross Stores"): a firm or thing named for `inner`, not a headline about it. One only
        in headlines ("SUMITA SAYS", its article's "Sumita" tied to it) is a headline."""
        if not inner or not names.names_another_thing(entity.key, inner):
            return False
        written = Mention.objects.filter(entity=entity).exclude(offsets=[]).values_list("surface", flat=True)
        return any(normalise_key(entity.kind, surface) == entity.key for surface in written.distinct())

    def _shared_context(self, first, second):
        """Both entities' neighbours, each without the other (their joint articles say nothing)."""
        pair = {first.pk, second.pk}
        return ({k: v for k, v in self.neighbours(entity).items() if k not in pair} for entity in (first, second))

    def _fragment_question(self, entity):
        """A name with ordinary words run into it from a headline ("Reagan Hopes To Lift
        Japan", "Energy Subroto"): it joins the person whose name it holds (not a lone given
        name: "David Page" is not "David"; not one word after a one-word name, written in an
        article's text: "Ross Stores" is a firm named for a Ross)."""
        def is_known(key):
            return self._live(PERSON, key) is not None and not self.is_mostly_given_name(key)

        inner = names.name_within(entity.key, is_known)
        if self._named_for(entity, inner):
            return
        whole = self._live(PERSON, inner) if inner else None
        if whole is not None and whole.pk != entity.pk:
            counts = self.articles(entity, whole)
            if counts[whole.pk] >= counts[entity.pk]:
                yield entity, whole, "ordinary words run into a name"
            return
        # Words no other name of the archive has (a misspelt title, an acronym from a
        # headline: "Athough Reagan", "Miniister H. Onno Ruding") count as filler too, when
        # the name they run into is far more frequent and seen beside the same entities.
        inner = names.name_within(entity.key, is_known, self.is_stray_word)
        if self._named_for(entity, inner):
            return
        whole = self._live(PERSON, inner) if inner else None
        # Only into a person's full name: a bare "Smith" is no one in particular, and
        # "Phillips" may have been joined into a firm.
        if whole is not None and whole.pk != entity.pk and whole.kind == PERSON and " " in whole.key:
            counts = self.articles(entity, whole)
            if counts[whole.pk] >= max(names.MIN_ARTICLES, names.DOMINANCE * counts[entity.pk]):
                yield from self._if_seen_together(entity, whole, "stray words run into a far more frequent name")

    def _live(self, kind, key):
        """The live entity a key stands for: its own, or the one it was joined into."""
        entity = self.by_key.get((kind, key))
        if entity is None and (kind, key) in self.joined_keys:
            entity = self.entities.get(self.joined_keys[(kind, key)])
        return entity

    def _if_seen_together(self, name, into, reason):
        """The join, when the two appear beside the same entities (a "United" beside
        football clubs is not the United Nations)."""
        similarity = names.cosine(*self._shared_context(name, into))
        if similarity >= names.CONTEXT_SIMILARITY:
            yield name, into, f"{reason}; context similarity {similarity:.2f}"

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
            pipeline.reindex(moved)
        self._forget(name, into)
        logger.info("Resolved %s (%s) into %s (%s): %s", name.name, name.ref, into.name, into.ref, reason)
        return True

    def mentions_moved(self, *entities):
        """Mentions of these entities moved: what was read of them is read again when asked."""
        for entity in entities:
            for cache in (self._articles, self._written, self._neighbours):
                cache.pop(entity.pk, None)

    def _forget(self, name, into):
        """`name` is no longer live; `into` now has its articles."""
        del self.entities[name.pk]
        self.by_key.pop((name.kind, name.key), None)
        self.joined_keys[(name.kind, name.key)] = into.pk
        for key, pk in self.joined_keys.items():
            if pk == name.pk:
                self.joined_keys[key] = into.pk
        self._written.pop(into.pk, None)  # it is now written as `name` was too
        for pk in (name.pk, into.pk):
            self._neighbours.pop(pk, None)
        for beside in self._neighbours.values():
            if name.pk in beside:  # an upper bound, as for the article counts below
                beside[into.pk] = beside.get(into.pk, 0) + beside.pop(name.pk)
        merged = self._articles.pop(name.pk, 0)
        if into.pk in self._articles:
            self._articles[into.pk] += merged  # an upper bound: some articles mention both
