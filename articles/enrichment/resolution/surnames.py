"""A surname several people share, resolved article by article: a mixin of `resolver.Archive`.

"Brown" alone is Gordon Brown in a story beside Tony Blair and the Labour party, and
somebody else in a football line-up or in "Wagner and Brown": no one full name has the lead
that joins the whole entity (`_surname_question`). Each article's mention goes instead to
the full name whose usual company that article keeps: the people and organizations it
mentions that appear beside the full name in `CONTEXT_MIN_ARTICLES` of its articles or more
(countries, beside everyone, say nothing). It moves when that company counts
`CONTEXT_MIN_ENTITIES` or more and no other full name with the surname keeps a third as much
of it; the rest stays with the surname alone.
"""
import logging
from collections import defaultdict

from django.db import transaction

from articles import pipeline
from articles.enrichment import curation
from articles.enrichment.resolution import names
from articles.models import Entity, Judgement, Mention

logger = logging.getLogger(__name__)
PERSON, COUNTRY = Entity.Kind.PERSON, Entity.Kind.COUNTRY
CONTEXT_MIN_ARTICLES = 2
CONTEXT_MIN_ENTITIES = 2


class SharedSurnames:
    """Gives a shared surname's mentions to the full names their articles point to."""

    def give_by_company(self, short, full_names):
        """Move each of `short`'s articles' mentions to the one of `full_names` (live people
        with its surname, MIN_ARTICLES or more) whose company the article keeps. Returns
        whether any moved."""
        if (PERSON, short.key) in self.curated:
            return False
        counts = self.articles(*full_names)
        full_names = [f for f in full_names if counts[f.pk] >= names.MIN_ARTICLES
                      and frozenset((short.pk, f.pk)) not in self.dismissed]
        if not full_names:
            return False
        company = {f.pk: self._company(f) for f in full_names}
        by_target = defaultdict(set)
        for article_id, others in self._others_by_article(short).items():
            kept = sorted(((len(others & company[f.pk]), f) for f in full_names), key=lambda pair: -pair[0])
            best, runner_up = kept[0][0], kept[1][0] if len(kept) > 1 else 0
            if best >= CONTEXT_MIN_ENTITIES and best >= names.DOMINANCE * runner_up:
                by_target[kept[0][1]].add(article_id)
        for target, article_ids in by_target.items():
            with transaction.atomic():
                changed = curation.give_mentions(Mention.objects.filter(entity=short, article_id__in=article_ids), target)
                Judgement.record(short, target, Judgement.Verdict.UNSURE, Judgement.Judge.RESOLVER,
                                 f"{short.name} is {target.name} by the company it keeps in {len(changed)} articles")
                pipeline.reindex(changed)
            logger.info("Gave %s (%s) in %s articles to %s", short.name, short.ref, len(changed), target.name)
        if by_target:
            self.mentions_moved(short, *by_target)
        return bool(by_target)

    def keeps_company_of(self, short, full):
        """Whether a DOMINANCE-th of `short`'s articles or more keep `full`'s company (one of
        its usual people or organizations or more), when it has MIN_ARTICLES to judge by:
        "Reagan" alone does Ronald Reagan's; "Brown" alone, in line-ups and firms' names
        ("Prescott, Ball and Turben") more often than beside Tony Blair, does not."""
        by_article = self._others_by_article(short)
        if len(by_article) < names.MIN_ARTICLES:
            return True
        company = self._company(full)
        kept = sum(bool(others & company) for others in by_article.values())
        return kept * names.DOMINANCE >= len(by_article)

    def _company(self, full):
        """The entities beside `full` in CONTEXT_MIN_ARTICLES of its articles or more."""
        return {e for e, n in self.neighbours(full).items() if n >= CONTEXT_MIN_ARTICLES}

    def _others_by_article(self, short):
        """{article id: the people and organizations it mentions besides `short`}."""
        articles = Mention.objects.filter(entity=short).values("article_id")
        others = defaultdict(set)
        rows = (Mention.objects.filter(article_id__in=articles).exclude(entity=short)
                .exclude(entity__kind=COUNTRY).values_list("article_id", "entity_id"))
        for article_id, entity_id in rows:
            others[article_id].add(entity_id)
        return others
