"""The archive-level resolver's questions about organizations: acronyms and long forms,
short forms, names written as another's mention, countries run into names, and fragments
made of several names. A mixin of `resolver.Archive`, whose evidence it reads."""
import logging
from bisect import bisect_left
from itertools import islice, takewhile

from django.db import transaction
from django.db.models import Count

from articles import pipeline
from articles.enrichment import curation
from articles.enrichment.resolution import names
from articles.entities import normalise_key
from articles.entities.gazetteer import CURRENCY_WORDS
from articles.models import Entity, Judgement, Mention

logger = logging.getLogger(__name__)
ORGANIZATION = Entity.Kind.ORGANIZATION
# Candidates compared by context when none has the lead in articles.
CONTENDERS = 5


class OrganizationQuestions:
    """Questions about organizations, asked by `Archive.questions`; "Fragments" (names
    made of several) are undone by `unbundle` before any question."""

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
        keys = names.shorter_keys(entity.key)
        if keys:
            keys |= {letters.lower() for letters in names.acronyms_of(entity.name)}
        return [self.by_key[(ORGANIZATION, key)] for key in keys if (ORGANIZATION, key) in self.by_key]

    def _short_form_question(self, short):
        """An acronym ("IMF", "Opec") or a short form ("Moody", "Fed") and the one long
        form the archive all but always means by it, appearing beside the same entities.
        Evidence, best first: long forms with its letters that articles also call by it,
        long forms with its letters, other entities articles call by it, longer names
        that begin with it."""
        if short.pk not in self.entities:
            return
        letters = names.acronym_key(short.key)
        written, expanded = names.expansion(letters, self._surfaces(short)) if letters else (None, False)
        if expanded:  # its own articles say what it stands for; no other long form
            if self._give_other_long_forms(short, letters, written):
                written, _ = names.expansion(letters, self._surfaces(short))
            yield from self._expansion_question(short, written)
            return
        calling = self._calling_it(short)
        letters = self._long_forms_by_letters(short, calling)
        both = [e for e in letters if e in calling]
        if both or letters or calling:
            reason = ("acronym of the long form" + (", which articles call so" if both else "")
                      if both or letters else "named so in the articles of the long form")
            # An acronym in capitals may join a long form written once; a word ("Fed", "Opec")
            # needs a long form written more often, since it may be no acronym at all.
            minimum = 1 if names.is_acronym(short.name) else names.MIN_ARTICLES
            matches = list(self._best_match(short, both or letters or calling, reason, minimum))
            if matches:
                yield from matches
                return
        if short.key in CURRENCY_WORDS:
            return  # a currency the model read as an organization ("Euro"): no body's short form
        first_word = short.key.split()[0]
        extended = names.can_stand_for_another(short.key, short.name)  # clipped, if not
        longer = [e for first in self._first_words_from(first_word) if extended or first != first_word
                  for e in self.organizations_by_first_word[first] if names.is_short_form(short.key, e.key)]
        into = self._dominant([e for e in longer if e.pk != short.pk])
        if into is not None and self._not_a_part(short, into):
            yield from self._if_seen_together(short, into, "short form of the dominant long form")

    def _surfaces(self, entity):
        """{written form: articles} of an entity's mentions, read once per run."""
        if entity.pk not in self._written:
            self._written[entity.pk] = dict(Mention.objects.filter(entity=entity).values("surface")
                                            .annotate(n=Count("article_id", distinct=True)).values_list("surface", "n"))
        return self._written[entity.pk]

    def expansion_of(self, entity):
        """The long form an acronym's entity's own articles write it as, if one leads."""
        letters = names.acronym_key(entity.key) if entity.kind == ORGANIZATION else None
        return names.expansion(letters, self._surfaces(entity))[0] if letters else None

    def _long_form(self, written, acronym):
        """The live organization of a long form as written, other than the acronym's own
        (which its first article may have named so), if the archive has one."""
        same = [*self.by_name.get((ORGANIZATION, names.same_name_form(written)), []),
                self._live(ORGANIZATION, normalise_key(ORGANIZATION, written))]
        return self._dominant([e for e in same if e is not None and e.pk != acronym.pk], minimum=1)

    def _give_other_long_forms(self, short, letters, leading):
        """An acronym two bodies share ("ADB"): its mentions in the articles (MIN_ARTICLES
        or more) that write it out as another long form than `leading` (the one most of its
        articles write, if any) go to that long form's entity. Returns whether any moved."""
        if (ORGANIZATION, short.key) in self.curated:
            return False
        mentions = Mention.objects.filter(entity=short)
        # Read once: articles enriched while the run goes on may write it out in new ways.
        rows = list(mentions.values_list("article_id", "surface"))
        moved, targets = set(), []
        for form, article_ids in names.written_out_in(letters, rows).items():
            if len(article_ids) < names.MIN_ARTICLES:
                continue  # one article's "European Court ... EC" may mean the Community
            written = next(s for _, s in rows if names.same_name_form(s) == form)
            target = self._long_form(written, short) if not leading or form != names.same_name_form(leading) else None
            if target is None or frozenset((short.pk, target.pk)) in self.dismissed:
                continue
            with transaction.atomic():
                changed = curation.give_mentions(mentions.filter(article_id__in=article_ids), target)
                Judgement.record(short, target, Judgement.Verdict.UNSURE, Judgement.Judge.RESOLVER,
                                 f"{short.name} is written out as {written} in {len(changed)} articles")
                pipeline.reindex(changed)
            logger.info("Gave %s (%s) in %s articles to %s", short.name, short.ref, len(changed), target.name)
            moved |= changed
            targets.append(target)
        if moved:
            self.mentions_moved(short, *targets)
        return bool(moved)

    def _expansion_question(self, short, written):
        """An acronym's entity whose articles write it out ("European Community (EC)") joins
        the entity of that long form elsewhere. None when its articles write it out several
        ways with no lead (an acronym two bodies share)."""
        into = self._long_form(written, short) if written else None
        if into is not None:
            yield short, into, f"the long form its articles write it as, {written}"

    def _alias_question(self, entity):
        """An organization whose name other articles write as a mention of another (where
        the extraction tied "EC Commission" to "EC") joins that one, when it holds the name
        in DOMINANCE times the articles of any other and in at least a DOMINANCE-th of the
        name's own articles ("Reuters" written in Reuters Holdings' articles stays the
        agency), and the two appear beside the same entities; not another body of the same
        acronym (`names.other_body_of_its_letters`)."""
        if entity.pk not in self.entities:
            return
        holders = dict(Mention.objects.filter(surface=entity.name, entity__kind=ORGANIZATION).exclude(entity=entity)
                       .values("entity_id").annotate(n=Count("article_id", distinct=True))
                       .values_list("entity_id", "n"))
        into = self.entities.get(names.dominant({pk: n for pk, n in holders.items() if pk in self.entities}))
        if into is None or names.other_body_of_its_letters(entity.name, into.name):
            return
        if holders[into.pk] * names.DOMINANCE >= self.articles(entity)[entity.pk]:
            yield from self._if_seen_together(entity, into, f"written as its mention in {holders[into.pk]} articles")

    def _long_forms_by_letters(self, short, calling):
        """Long forms with an acronym's letters: its initials, or more letters of a word
        (`_spelled_by`). Two letters ("NJ", "J.C.") fit too many bodies, and so many names
        spell some acronym ("POSCO" in "POlitburo Standing COmmittee"), that these count
        only where articles call the long form by the acronym (`calling`) or write the two
        together, in MIN_ARTICLES of the acronym's articles or more."""
        def written_with_it(long):
            return long in calling or self.neighbours(short).get(long.pk, 0) >= names.MIN_ARTICLES

        acronym = names.acronym_of_word(short.key, short.name)
        initials = self.organizations_by_letters.get(acronym, [])
        if acronym and len(acronym) < 3:
            initials = list(filter(written_with_it, initials))
        return initials or list(filter(written_with_it, self._spelled_by(short)))

    def _spelled_by(self, short):
        """Long forms an acronym in capitals, of three letters or more, reads as with more
        than their initials ("ICCO" of "International Cocoa Organization")."""
        acronym = names.acronym_of_word(short.key, short.name)
        if not names.is_acronym(short.name) or len(acronym) < 3:
            return []  # a word such as "Sony" is read as no long name's letters
        return [e for initials in names.initials_within(acronym) - {acronym}
                for e in self.organizations_by_letters.get(initials, []) if names.spells(acronym, e.name)]

    def _best_match(self, short, candidates, reason, minimum):
        """The candidate with far more articles than the others, or, among a few with no
        such lead, the one whose neighbours are clearly the most like `short`'s ("ICO"
        beside coffee news is the coffee organization, not the cocoa one)."""
        candidates = [e for e in candidates if e.pk != short.pk and e.pk in self.entities]
        into = self._dominant(candidates, minimum)
        if into is not None:
            yield from self._if_seen_together(short, into, f"{reason}, the most frequent")
            return
        counts = self.articles(*candidates)
        contenders = sorted((e for e in candidates if counts[e.pk] >= minimum),
                            key=lambda e: -counts[e.pk])[:CONTENDERS]
        similar = sorted(((names.cosine(*self._shared_context(short, e)), e) for e in contenders),
                         key=lambda pair: -pair[0])
        if similar and similar[0][0] >= names.CONTEXT_SIMILARITY and (
                len(similar) == 1 or similar[0][0] >= names.DOMINANCE * similar[1][0]):
            yield short, similar[0][1], f"{reason}, the most alike in context ({similar[0][0]:.2f})"

    def _calling_it(self, short):
        """Long forms with mentions written as `short`'s acronym (the article they are in
        tied "ICCO" to "International Cocoa Organization"); names holding the acronym as a
        word ("World Bank and IMF") are fragments, not long forms."""
        letters = names.acronym_of_word(short.key, short.name)
        if not letters:
            return []
        ids = (Mention.objects.filter(surface__in={short.name, letters})
               .exclude(entity_id=short.pk).values_list("entity_id", flat=True).distinct())
        found = [self.entities.get(pk) for pk in ids]
        return [e for e in found if e is not None and e.kind == ORGANIZATION
                and " " in e.key and letters.lower() not in e.key.split()]

    def _not_a_part(self, short, long):
        """A long form with a small share of the short form's articles is a part of what
        the short form names ("Nintendo Europe" of "Nintendo"), not its full name."""
        counts = self.articles(short, long)
        return counts[long.pk] * names.DOMINANCE >= counts[short.pk]

    def _first_words_from(self, word):
        """First words of organizations that `word` is, or clips ("fed" -> "federal")."""
        start = bisect_left(self.first_words, word)
        return list(takewhile(lambda first: first.startswith(word), islice(self.first_words, start, None)))

    def _qualified_question(self, entity):
        """A country run into an organization's name ("Guatemalan ICO"): it joins the
        organization when that has DOMINANCE times its articles."""
        rest = names.qualified_by_country(entity.key, entity.name)
        plain = self._live(ORGANIZATION, rest) if rest else None
        if plain is not None and plain.pk != entity.pk:
            counts = self.articles(entity, plain)
            if counts[plain.pk] >= max(names.MIN_ARTICLES, names.DOMINANCE * counts[entity.pk]):
                yield from self._if_seen_together(
                    entity, plain, "a country run into the name of a far more frequent organization")

    def unbundle(self, entity):
        """A fragment of organizations' names ("World Bank and IMF", "Non-OPEC") whose parts
        are organizations with DOMINANCE times its articles: its mentions written as a part,
        and of two names joined its mentions of the whole, go to the parts. Returns the
        number of articles changed."""
        if (entity.kind != ORGANIZATION or entity.pk not in self.entities
                or (ORGANIZATION, entity.key) in self.curated):
            return 0
        parts = {part: self._part(part) for part in names.fragment_parts(entity.name)}
        if not parts or any(part is None or part.pk == entity.pk for part in parts.values()):
            return 0
        counts = self.articles(entity, *parts.values())
        if any(counts[part.pk] < max(names.MIN_ARTICLES, names.DOMINANCE * counts[entity.pk])
               for part in parts.values()):
            return 0
        first, *others = parts.values()
        together = self.neighbours(first) if others else {}
        if any(together.get(other.pk, 0) < names.MIN_ARTICLES for other in others):
            return 0  # names never written apart in one article ("Savings and Loan") are one
        with transaction.atomic():
            changed = curation.unbundle(entity, parts, whole=len(parts) > 1)
            for part in parts.values() if changed else ():
                Judgement.record(entity, part, Judgement.Verdict.NOT_SAME, Judgement.Judge.RESOLVER,
                                 f"{entity.name}: a fragment holding {part.name}")
            pipeline.reindex(changed)
        if changed:
            self.mentions_moved(entity, *parts.values())
            logger.info("Unbundled %s (%s) into %s", entity.name, entity.ref, ", ".join(p.name for p in parts.values()))
        return len(changed)

    def _part(self, written):
        """The live organization a part of a fragment names: by its own key, or an acronym's
        survivor ("IMF"); None for a name that lives only as part of another."""
        key = normalise_key(ORGANIZATION, written)
        return self.by_key.get((ORGANIZATION, key)) or (
            self._live(ORGANIZATION, key) if names.is_acronym(written) else None)
