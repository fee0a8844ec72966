"""What readers see across the stored archive, scored against Reuters editors' tags.

The measures are defined in `manage.py entity_quality`'s docstring (its `--archive` mode).
The scoring is plain functions over plain data, so the rules are tested without a database;
`read_archive` and `top_entities` are the only reads.
"""
import re
from collections import Counter, namedtuple

from django.db.models import Count, Q

from articles.entities.normalise import TITLES, fold, organization_words, person_words
from articles.models import Article, Entity, Mention

# The names and acronyms of the organizations Reuters-21578 editors tagged in train.jsonl
# (32 of the collection's 56 `orgs` slugs), from general knowledge of them.
ORG_NAMES = {
    "adb-africa": ["African Development Bank", "AfDB", "ADB"],
    "adb-asia": ["Asian Development Bank", "ADB"],
    "asean": ["Association of Southeast Asian Nations", "Association of South East Asian Nations",
              "ASEAN"],
    "atpc": ["Association of Tin Producing Countries", "ATPC"],
    "bis": ["Bank for International Settlements", "BIS"],
    "comecon": ["Council for Mutual Economic Assistance", "Comecon", "CMEA"],
    "ec": ["European Community", "European Communities", "EC", "European Economic Community", "EEC"],
    "eca": ["Economic Commission for Africa", "United Nations Economic Commission for Africa", "ECA"],
    "efta": ["European Free Trade Association", "EFTA"],
    "eib": ["European Investment Bank", "EIB"],
    "escap": ["Economic and Social Commission for Asia and the Pacific", "ESCAP"],
    "euratom": ["European Atomic Energy Community", "Euratom"],
    "fao": ["Food and Agriculture Organization", "FAO"],
    "gatt": ["General Agreement on Tariffs and Trade", "GATT"],
    "gcc": ["Gulf Cooperation Council", "Cooperation Council for the Arab States of the Gulf", "GCC"],
    "icco": ["International Cocoa Organization", "ICCO"],
    "ico-coffee": ["International Coffee Organization", "ICO"],
    "ida": ["International Development Association", "IDA"],
    "iea": ["International Energy Agency", "IEA"],
    # Renamed the International Maritime Organization in 1982.
    "imco": ["Inter-Governmental Maritime Consultative Organization", "IMCO",
             "International Maritime Organization", "IMO"],
    "imf": ["International Monetary Fund", "IMF"],
    "inro": ["International Natural Rubber Organization", "INRO"],
    "isa": ["International Sugar Agreement", "ISA", "International Sugar Organization", "ISO"],
    "itc": ["International Tin Council", "ITC"],
    "iwc-wheat": ["International Wheat Council", "IWC"],
    "iwcc": ["International Wrought Copper Council", "IWCC"],
    "oapec": ["Organization of Arab Petroleum Exporting Countries", "OAPEC"],
    "oecd": ["Organization for Economic Cooperation and Development", "OECD"],
    "opec": ["Organization of Petroleum Exporting Countries",
             "Organization of the Petroleum Exporting Countries", "OPEC"],
    "un": ["United Nations", "UN"],
    "unctad": ["United Nations Conference on Trade and Development", "UNCTAD"],
    "worldbank": ["World Bank", "International Bank for Reconstruction and Development", "IBRD"],
}

# An entity as found on one article: the surfaces are how that article writes it.
Found = namedtuple("Found", "id name key surfaces")
# One enriched, tagged article: {"people": [...], "orgs": [...]} and {kind: [Found, ...]}.
TaggedArticle = namedtuple("TaggedArticle", "tags found")
Score = namedtuple("Score", "tags articles linked resolved entities_per_tag counted_tags")

_UMLAUT_DIGRAPHS = re.compile(r"([aou])e")


def _person_words(words):
    """German umlauts written out ("weizsaecker") and dropped by fold ("weizsacker") read
    the same: both sides lose the "e" after a, o or u."""
    return [_UMLAUT_DIGRAPHS.sub(r"\1", word) for word in words]


def tag_words(tag):
    """A people slug's words as compared, without titles: "king-fahd" -> ["fahd"]."""
    words = fold(tag.replace("-", " ")).split()
    return _person_words([word for word in words if word not in TITLES] or words)


def person_carries(tag, name):
    """Whether a person written `name` is the person of a people slug: the name has all the
    slug's words ("James A. Baker" for james-baker), or its words are some of the slug's
    words including the last ("Baker"), or, for a two-word slug, one of them ("Zhao" for
    zhao-ziyang, family name first). Case, accents and leading titles do not count."""
    wanted, words = tag_words(tag), set(_person_words(person_words(name)))
    if not words:
        return False
    return set(wanted) <= words or words <= set(wanted) and (
        wanted[-1] in words or len(wanted) == 2 and len(words) == 1)


def _organization_form(name):
    """An organization name as compared: organization_words (no case, accents, "the" or
    legal form), British spellings ("Organisation", "Co-operation") read as American."""
    text = " ".join(organization_words(name)).replace("organisation", "organization")
    return text.replace("co operation", "cooperation")


_ORG_FORMS = {slug: {_organization_form(name) for name in names} for slug, names in ORG_NAMES.items()}


def organization_carries(tag, name):
    """Whether an organization written `name` (a name, key or surface) is the organization
    of an orgs slug: it is one of the slug's names or acronyms in ORG_NAMES."""
    return _organization_form(name) in _ORG_FORMS.get(tag, ())


def carriers(tag, found, carries):
    """The ids of the entities on an article that carry the tag by their name, key or one of
    their surfaces on it."""
    return {entity.id for entity in found
            if any(carries(tag, name) for name in (entity.name, entity.key, *entity.surfaces))}


def score(articles, field, kind, carries):
    """Linked and resolved rates over an editors' field's (tag, article) pairs, and the
    distinct matching entities per tag, averaged over the tags with a linked article."""
    matches = {}  # tag -> [ids of the carriers on each of its articles]
    for article in articles:
        for tag in set(article.tags.get(field) or ()):
            matches.setdefault(tag, []).append(carriers(tag, article.found.get(kind, ()), carries))
    pairs = linked = resolved = 0
    distinct = []
    for tag, per_article in matches.items():
        found_on = Counter(entity for ids in per_article for entity in ids)
        # The tag's top entity: on the most of its articles, the oldest row on a tie.
        top = min(found_on, key=lambda entity: (-found_on[entity], entity), default=None)
        pairs += len(per_article)
        linked += sum(bool(ids) for ids in per_article)
        resolved += sum(top in ids for ids in per_article)
        if found_on:
            distinct.append(len(found_on))
    return Score(
        tags=len(matches), articles=pairs,
        linked=linked / pairs if pairs else 0.0, resolved=resolved / pairs if pairs else 0.0,
        entities_per_tag=sum(distinct) / len(distinct) if distinct else 0.0,
        counted_tags=len(distinct),
    )


# Which editors' field is scored against which entity kind, by which rule, under what label.
FIELDS = (("people", "person", person_carries, "people"),
          ("orgs", "organization", organization_carries, "organizations"))


def read_archive():
    """The enriched articles carrying people or orgs tags, with their people and
    organizations: two queries."""
    tagged = Article.objects.filter(
        Q(metadata__people__0__isnull=False) | Q(metadata__orgs__0__isnull=False),
        enrichment_status=Article.Enrichment.ENRICHED,
    )
    articles = {pk: TaggedArticle(metadata, {}) for pk, metadata in tagged.values_list("id", "metadata")}
    entities = {}  # (article, entity) -> Found
    # Countries are skipped here, not in SQL: given the kind, SQLite's planner walks every
    # entity of it against the articles, hundreds of times slower than filtering here
    # (docs/performance.md, "Entity quality").
    kinds = {kind for _, kind, *_ in FIELDS}
    rows = Mention.objects.filter(article__in=tagged).values_list(
        "article_id", "entity_id", "entity__kind", "entity__name", "entity__key", "surface")
    for article, entity, kind, name, key, surface in rows.iterator(chunk_size=10_000):
        if kind not in kinds:
            continue
        if (article, entity) not in entities:
            entities[article, entity] = Found(entity, name, key, [])
            articles[article].found.setdefault(kind, []).append(entities[article, entity])
        entities[article, entity].surfaces.append(surface)
    return list(articles.values())


def top_entities(kind, limit=50):
    """[(name, articles)] of the live entities of a kind mentioned in the most enriched
    articles: one aggregate."""
    enriched = Q(mentions__article__enrichment_status=Article.Enrichment.ENRICHED)
    rows = (Entity.objects.filter(kind=kind, merged_into__isnull=True)
            .annotate(articles=Count("mentions__article", distinct=True, filter=enriched))
            .filter(articles__gt=0).order_by("-articles", "name").values_list("name", "articles"))
    return list(rows[:limit])


def score_table(articles):
    """The measures for people and organizations, as a Markdown table."""
    lines = ["| Reuters tags, archive level | linked | resolved | entities per tag |",
             "|---|---|---|---|"]
    counted = []
    for field, kind, carries, label in FIELDS:
        result = score(articles, field, kind, carries)
        lines.append(f"| {label} ({result.tags} tags, {result.articles} articles) | {result.linked:.3f} "
                     f"| {result.resolved:.3f} | {result.entities_per_tag:.2f} |")
        counted.append(f"{result.counted_tags} {label} tags")
    lines.append(f"(entities per tag: averaged over the tags with a linked article, {' and '.join(counted)})")
    unnamed = sorted({tag for article in articles for tag in article.tags.get("orgs") or ()} - set(ORG_NAMES))
    if unnamed:
        lines.append(f"(orgs tags without names in ORG_NAMES, never linked: {', '.join(unnamed)})")
    return lines


def top_table(people, organizations):
    """Two [(name, articles)] lists side by side, as a Markdown table."""
    lines = ["| # | person | articles | organization | articles |", "|---|---|---|---|---|"]
    for rank in range(max(len(people), len(organizations))):
        cells = [f"{rank + 1}"]
        for rows in (people, organizations):
            cells += rows[rank] if rank < len(rows) else ("", "")
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    return lines


def report():
    """The command's lines: the measures, then the top 50 people and organizations."""
    statuses = Counter(dict(Article.objects.values_list("enrichment_status").annotate(Count("id"))))
    articles = read_archive()
    return [f"archive: {sum(statuses.values())} articles, {statuses[Article.Enrichment.ENRICHED]} enriched",
            *score_table(articles), "", "Top 50 by articles mentioning them:",
            *top_table(top_entities("person"), top_entities("organization"))]
