"""Enrichment stores entities as rows: one per person across the archive, idempotently."""
import pytest

from articles.enrichment import enrich_articles, save_entities
from articles.enrichment.curation import ranked_aliases
from articles.entities import FoundEntity
from articles.models import Article, Entity, Mention

from .conftest import SEED

pytestmark = pytest.mark.django_db


def seed_article():
    title, body = SEED.read_text(encoding="utf-8").split("\n", 1)
    return Article.objects.create(title=title, body=body, content_hash="seed")


def names(kind):
    return set(Entity.objects.filter(kind=kind).values_list("name", flat=True))


def test_seed_enrichment_stores_its_people_and_countries():
    article = seed_article()

    enrich_articles(Article.objects.filter(id=article.id))

    article.refresh_from_db()
    assert article.enrichment_status == "enriched" and article.enriched_at is not None
    assert names("person") == {"Xi Jinping", "Vladimir Putin", "Li Qiang", "Joe Biden", "Wang Yi"}
    assert set(Entity.objects.filter(kind="country").values_list("key", flat=True)) == {
        "CN", "RU", "UA", "US", "SA", "IR", "IN", "ID"
    }


def test_surname_mentions_are_mentions_of_the_full_name_with_offsets_into_the_body():
    article = seed_article()
    enrich_articles(Article.objects.filter(id=article.id))

    putin = Entity.objects.get(kind="person", name="Vladimir Putin")
    surfaces = {m.surface: m for m in Mention.objects.filter(entity=putin)}
    assert set(surfaces) == {"Vladimir Putin", "Putin"}
    assert [surface for surface, _ in ranked_aliases(putin)] == ["Putin"]
    for start, end in surfaces["Putin"].offsets:
        assert article.body[start:end] == "Putin"


def test_re_running_enrichment_gives_the_same_rows():
    article = seed_article()
    enrich_articles(Article.objects.filter(id=article.id))
    before = (Entity.objects.count(), sorted(Mention.objects.values_list("surface", "count")))

    enrich_articles(Article.objects.filter(id=article.id))

    assert (Entity.objects.count(), sorted(Mention.objects.values_list("surface", "count"))) == before


def test_one_person_is_one_entity_across_articles_whatever_the_title_or_possessive():
    Article.objects.create(title="Talks", body="Vladimir Putin met envoys in Moscow on Monday.", content_hash="a")
    Article.objects.create(title="Budget", body="President Vladimir Putin's budget was approved.", content_hash="b")

    enrich_articles(Article.objects.all())

    assert Entity.objects.filter(kind="person", name="Vladimir Putin").count() == 1
    assert Mention.objects.filter(entity__name="Vladimir Putin").values("article").distinct().count() == 2


def test_editor_tags_in_metadata_never_become_entities():
    article = Article.objects.create(title="Cocoa", body="Showers continued in the cocoa zone.",
                                     content_hash="c", metadata={"places": ["brazil"], "people": ["smith"]})

    enrich_articles(Article.objects.filter(id=article.id))

    assert not Entity.objects.filter(key__in=["BR", "smith"]).exists()


def test_one_article_the_model_cannot_analyse_fails_alone_and_its_batch_is_enriched(monkeypatch):
    """A failure injected for one text (a stand-in for a model crash on odd input)."""
    from articles.enrichment import persist as enrichment

    real_extract = enrichment.extract_entities

    def extract_failing_on_poison(texts, **options):
        texts = list(texts)
        if any("POISON" in text for text in texts):
            raise ValueError("the model choked")
        return real_extract(texts, **options)

    monkeypatch.setattr(enrichment, "extract_entities", extract_failing_on_poison)
    good = Article.objects.create(title="Talks", body="Vladimir Putin met envoys in Moscow.", content_hash="a")
    bad = Article.objects.create(title="POISON", body="Unreadable.", content_hash="b")

    enrich_articles(Article.objects.all())

    good.refresh_from_db(), bad.refresh_from_db()
    assert good.enrichment_status == "enriched" and "Vladimir Putin" in names("person")
    assert bad.enrichment_status == "failed" and "the model choked" in bad.enrichment_error


def test_two_names_found_apart_that_now_stand_for_one_entity_share_their_mentions():
    survivor = Entity.objects.create(kind="organization", key="akzo nobel", name="Akzo Nobel")
    Entity.objects.create(kind="organization", key="akzo", name="Akzo", merged_into=survivor)
    Entity.objects.create(kind="person", key="akzo nobel", name="Akzo Nobel", merged_into=survivor)
    title, body = "Akzo results", "Akzo Nobel said profits rose. Akzo shares fell. Akzo said more."
    article = Article.objects.create(title=title, body=body, content_hash="akzo")
    at = [len(title) + 2 + body.index(text, after) for text, after in [("Akzo Nobel", 0), ("Akzo", 20), ("Akzo", 45)]]
    found = [FoundEntity("person", "akzo nobel", "Akzo Nobel",
                         [("Akzo Nobel", at[0], at[0] + 10), ("Akzo", at[1], at[1] + 4)]),
             FoundEntity("organization", "akzo", "Akzo", [("Akzo", at[2], at[2] + 4)])]

    save_entities([(article, found)])

    article.refresh_from_db()
    assert article.enrichment_status == "enriched"
    mentions = {m.surface: m for m in Mention.objects.filter(article=article)}
    assert {surface: (m.entity, m.count) for surface, m in mentions.items()} == {
        "Akzo Nobel": (survivor, 1), "Akzo": (survivor, 2)}
    assert [body[start:end] for start, end in mentions["Akzo"].offsets] == ["Akzo", "Akzo"]
