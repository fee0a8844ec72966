"""The organizations the archive knows, found in the articles whose extraction missed them.

Extraction decides within one article, and the model misses organizations it reads well
elsewhere ("The World Bank is launching..." right after a dateline). Each resolver run reads
the articles enriched since it last read them and gives them the mentions of known
organizations they lack. A name is known when:
- it is shaped like a name (`articles.entities.known_names`);
- the archive writes it for one live organization in `KNOWN_MIN_ARTICLES` articles or more,
  `DOMINANCE` times as many as for any other entity (a candidate);
- the model reads it so consistently: of the articles read since it became a candidate that
  write it, the model found that organization in `CONSISTENCY` of them or more
  (`NameEvidence`). "Third World" or "Golden Globe", tagged now and then, stay unknown.
Only article bodies are read (mentions carry offsets into the body). Staff's blocks hold: a
blocked organization is never known.
"""
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from articles import pipeline
from articles.enrichment import curation
from articles.enrichment.resolution.names import DOMINANCE
from articles.entities.known_names import KnownNames, is_recallable
from articles.models import KNOWN_NAMES_UNREAD, Article, Entity, Mention, NameEvidence

ORGANIZATION = Entity.Kind.ORGANIZATION
KNOWN_MIN_ARTICLES = 5
# The share of the articles writing a name that the model tagged it in, and how many articles
# writing it must have been read before that share says anything.
CONSISTENCY = 0.5
EVIDENCE_MIN_ARTICLES = 5
# Articles read per run at most, so a run stays short while a large import is enriched.
ARTICLES_PER_RUN = 2_000
# What the database may cheaply keep of the names to look for: several words, or one in capitals.
_NAME_SHAPED = Q(surface__contains=" ") | Q(surface__regex=r"^[A-Z]{2,6}$")


def unread_articles():
    """The enriched articles the known names have not been looked for in since their last enrichment."""
    return Article.objects.filter(KNOWN_NAMES_UNREAD, enrichment_status=Article.Enrichment.ENRICHED)


def recall_known_organizations(limit=ARTICLES_PER_RUN):
    """Read up to `limit` unread articles: weigh the candidates' evidence in them, then give
    them the mentions of the known organizations they lack. Returns the mentions added."""
    started = timezone.now()
    articles = list(unread_articles().order_by("id").only("id", "body")[:limit])
    if not articles:
        return 0
    candidates = candidate_organizations()
    finder = KnownNames(candidates)
    written = {article.id: finder.find(article.body) for article in articles} if finder else {}
    present = _present_mentions([article_id for article_id, found in written.items() if found])
    known = _weigh(candidates, written, present)
    added = [mention for article_id, found in written.items()
             for mention in _missing(article_id, [f for f in found if f[2] in known], present[article_id])]
    with transaction.atomic():
        Mention.objects.bulk_create(added, ignore_conflicts=True)
        pipeline.reindex({mention.article_id for mention in added})
        Article.objects.filter(id__in=[a.id for a in articles], enriched_at__lte=started).update(
            recalled_at=F("enriched_at"))
    return len(added)


def candidate_organizations():
    """{name as written: organization id} of the name-shaped surfaces written in
    KNOWN_MIN_ARTICLES articles or more for one live, unblocked organization, DOMINANCE times
    the articles of any other entity written so."""
    blocked = curation.load_rules().blocked
    counts = defaultdict(dict)
    rows = (Mention.objects.filter(_NAME_SHAPED).values("surface", "entity_id")
            .annotate(articles=Count("article_id")).filter(articles__gte=2)
            .values_list("surface", "entity_id", "articles"))
    for surface, entity_id, articles in rows:
        counts[surface][entity_id] = articles
    leads = {}
    for surface, by_entity in counts.items():
        ranked = sorted(by_entity.values(), reverse=True)
        lead = max(by_entity, key=by_entity.__getitem__)
        runner_up = ranked[1] if len(ranked) > 1 else 0
        if ranked[0] >= KNOWN_MIN_ARTICLES and ranked[0] >= DOMINANCE * runner_up and is_recallable(surface):
            leads[surface] = lead
    live = {pk for pk, key in Entity.objects.filter(pk__in=set(leads.values()), kind=ORGANIZATION,
                                                    merged_into__isnull=True).values_list("pk", "key")
            if (ORGANIZATION, key) not in blocked}
    return {surface: lead for surface, lead in leads.items() if lead in live}


def _present_mentions(article_ids):
    """{article id: ({entity ids}, [body spans])} of their mentions."""
    present = defaultdict(lambda: (set(), []))
    for article_id, entity_id, offsets in Mention.objects.filter(article_id__in=article_ids).values_list(
            "article_id", "entity_id", "offsets"):
        present[article_id][0].add(entity_id)
        present[article_id][1].extend(offsets)
    return present


def _weigh(candidates, written, present):
    """Add what these articles show to each candidate's NameEvidence; the candidates known now."""
    seen = defaultdict(lambda: [0, 0])
    for article_id, found in written.items():
        for surface in {surface for _, _, surface, _ in found}:
            seen[surface][0] += 1
            seen[surface][1] += candidates[surface] in present[article_id][0]
    evidence = {row.surface: row for row in NameEvidence.objects.filter(surface__in=list(candidates))}
    new = [NameEvidence(surface=surface) for surface in seen if surface not in evidence]
    evidence.update((row.surface, row) for row in new)
    for surface, (articles, tagged) in seen.items():
        evidence[surface].written += articles
        evidence[surface].tagged += tagged
    NameEvidence.objects.bulk_update([evidence[s] for s in seen if evidence[s].pk], ["written", "tagged"], batch_size=500)
    NameEvidence.objects.bulk_create(new, batch_size=500)  # one run at a time (the resolver's hold)
    return {surface for surface, row in evidence.items()
            if row.written >= EVIDENCE_MIN_ARTICLES and row.tagged_share >= CONSISTENCY}


def _missing(article_id, found, present):
    """Mentions of the known organizations `found` in an article's body that it lacks: none
    of its entities already, and written where none of its mentions lies."""
    entities, spans = present
    places = defaultdict(list)
    for start, end, surface, entity_id in found:
        if entity_id not in entities and not any(start < other_end and other_start < end for other_start, other_end in spans):
            places[(entity_id, surface)].append([start, end])
    return [Mention(article_id=article_id, entity_id=entity_id, surface=surface, count=len(spans_of), offsets=spans_of)
            for (entity_id, surface), spans_of in places.items()]
