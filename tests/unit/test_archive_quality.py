"""The archive measures of `entity_quality --archive`: who carries a Reuters tag, and the rates."""
import json

import pytest

from articles.enrichment.quality import (
    ORG_NAMES,
    Found,
    TaggedArticle,
    organization_carries,
    person_carries,
    score,
    top_table,
)

from ..conftest import SHARED_DATA


@pytest.mark.parametrize("tag, name", [
    ("reagan", "Ronald Reagan"),
    ("reagan", "President Reagan"),
    ("james-baker", "James A. Baker"),
    ("james-baker", "Baker"),
    ("james-baker", "James"),
    ("zhao-ziyang", "Zhao"),
    ("mancera-aguayo", "Mancera"),
    ("de-clercq", "Willy De Clercq"),
    ("de-la-madrid", "Madrid"),
    ("king-fahd", "King Fahd"),
    ("king-fahd", "Fahd"),
    ("von-weizsaecker", "Richard von Weizsäcker"),
    ("von-weizsaecker", "Weizsaecker"),
    ("poehl", "Karl Otto Pöhl"),
    ("lawson", "Lawson's"),
])
def test_a_person_carries_a_slug_by_all_its_words_or_some_with_the_last(tag, name):
    assert person_carries(tag, name)


@pytest.mark.parametrize("tag, name", [
    ("james-baker", "Howard Baker"),
    ("reagan", "Nancy"),
    ("de-la-madrid", "De La"),
    ("james-miller", "James Baker"),
    ("king-fahd", "King"),
])
def test_a_person_does_not_carry_a_slug_without_its_last_word(tag, name):
    assert not person_carries(tag, name)


@pytest.mark.parametrize("tag, name", [
    ("ec", "European Community"),
    ("ec", "the European Economic Community"),
    ("ec", "EC"),
    ("imf", "I.M.F."),
    ("opec", "Opec"),
    ("oecd", "Organisation for Economic Co-operation and Development"),
    ("adb-asia", "ADB"),
    ("adb-africa", "ADB"),
    ("worldbank", "International Bank for Reconstruction and Development"),
])
def test_an_organization_carries_a_slug_by_one_of_its_names(tag, name):
    assert organization_carries(tag, name)


@pytest.mark.parametrize("tag, name", [
    ("ec", "European Commission"),
    ("imf", "Fund"),
    ("adb-asia", "African Development Bank"),
    ("no-such-slug", "No Such Slug"),
])
def test_an_organization_does_not_carry_a_slug_by_another_name(tag, name):
    assert not organization_carries(tag, name)


def test_every_orgs_slug_of_reuters_train_has_names():
    with open(SHARED_DATA / "reuters21578" / "train.jsonl", encoding="utf-8") as lines:
        slugs = {slug for line in lines for slug in json.loads(line)["orgs"]}
    assert slugs == set(ORG_NAMES)


def people(*tags_and_found):
    return [TaggedArticle({"people": tags}, {"person": found}) for tags, found in tags_and_found]


REAGAN, RONALD_REAGAN = Found(1, "Reagan", "reagan", ["Reagan"]), Found(2, "Ronald Reagan", "ronald reagan", [])


def test_a_tag_is_resolved_on_the_articles_of_its_top_entity():
    result = score(people((["reagan"], [REAGAN]), (["reagan"], [REAGAN]), (["reagan"], [RONALD_REAGAN])),
                   "people", "person", person_carries)
    assert (result.tags, result.articles, result.linked, result.entities_per_tag) == (1, 3, 1.0, 2.0)
    assert result.resolved == pytest.approx(2 / 3)


def test_an_entity_carries_a_tag_by_its_surface_on_the_article():
    nickname = Found(3, "Gipper", "gipper", ["Gipper", "Reagan"])
    result = score(people((["reagan"], [nickname])), "people", "person", person_carries)
    assert (result.linked, result.resolved) == (1.0, 1.0)


def test_entities_per_tag_counts_only_tags_with_a_linked_article():
    result = score(people((["reagan"], [REAGAN]), (["reagan"], [RONALD_REAGAN]), (["volcker"], [REAGAN])),
                   "people", "person", person_carries)
    assert (result.tags, result.articles, result.linked) == (2, 3, 2 / 3)
    assert (result.entities_per_tag, result.counted_tags) == (2.0, 1)


def test_a_tie_for_the_top_entity_goes_to_the_oldest_row():
    result = score(people((["reagan"], [RONALD_REAGAN]), (["reagan"], [REAGAN])), "people", "person", person_carries)
    assert result.resolved == 0.5


def test_the_top_lists_stand_side_by_side_however_long():
    assert top_table([("Reagan", 2)], [("IMF", 3), ("EC", 1)])[2:] == [
        "| 1 | Reagan | 2 | IMF | 3 |", "| 2 |  |  | EC | 1 |"]
