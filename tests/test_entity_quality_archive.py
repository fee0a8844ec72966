"""`entity_quality --archive` reads the stored archive: enriched articles' Reuters tags against
their entities, and the archive's top people and organizations."""
import hashlib
import io

from django.core.management import call_command

from articles.models import Article, Entity, Mention

REAGAN = ("person", "reagan", "Reagan")
RONALD_REAGAN = ("person", "ronald reagan", "Ronald Reagan")
IMF = ("organization", "imf", "IMF")
MONETARY_FUND = ("organization", "international monetary fund", "International Monetary Fund")


def tagged_article(people, orgs, entities, status=Article.Enrichment.ENRICHED):
    """A Reuters-like article row carrying editors' tags, with one mention per entity."""
    title = f"Article {Article.objects.count() + 1}"
    (article,) = Article.objects.bulk_create([Article(
        title=title, body="Text.", source="Reuters", enrichment_status=status,
        content_hash=hashlib.sha256(title.encode()).hexdigest(),
        metadata={"places": ["usa"], "people": people, "orgs": orgs, "topics": [], "exchanges": []},
    )])
    for kind, key, name in entities:
        entity, _ = Entity.objects.get_or_create(kind=kind, key=key, defaults={"name": name})
        Mention.objects.create(article=article, entity=entity, surface=name)


def test_the_archive_mode_prints_the_rates_computed_by_hand(db):
    tagged_article(["reagan"], ["imf"], [REAGAN, IMF])
    tagged_article(["reagan"], [], [REAGAN])
    tagged_article(["reagan"], [], [RONALD_REAGAN])
    tagged_article([], ["imf"], [MONETARY_FUND])
    tagged_article([], ["ec"], [])
    tagged_article(["reagan"], ["ec"], [REAGAN], status=Article.Enrichment.PENDING)  # not counted
    survivor = Entity.objects.get(key="reagan")
    Entity.objects.create(kind="person", key="ron reagan", name="Ron Reagan", merged_into=survivor)
    out = io.StringIO()

    call_command("entity_quality", "--archive", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "archive: 6 articles, 5 enriched"
    # People: all three pairs linked, the top entity (Reagan) on two, two entities for the tag.
    assert "| people (1 tags, 3 articles) | 1.000 | 0.667 | 2.00 |" in lines
    # Orgs: imf linked twice, and resolved once (a tie: IMF is the older row); ec never linked,
    # so only imf counts in entities per tag.
    assert "| organizations (2 tags, 3 articles) | 0.667 | 0.333 | 2.00 |" in lines
    assert ("(entities per tag: averaged over the tags with a linked article, "
            "1 people tags and 1 organizations tags)") in lines
    top = lines[lines.index("Top 50 by articles mentioning them:") + 3:-1]
    assert top == ["| 1 | Reagan | 2 | IMF | 1 |",
                   "| 2 | Ronald Reagan | 1 | International Monetary Fund | 1 |"]
