"""Historical states are countries of their own (issue 22, item 5): the Soviet Union is not
Russia. Against the real database and Elasticsearch, through HTTP."""
from datetime import date

import pytest

from .archive import RUSSIA, build_archive

SOVIET_UNION = ("country", "SUHH", "Soviet Union")
UKRAINE, FRANCE = ("country", "UA", "Ukraine"), ("country", "FR", "France")

# key: (title, body, source, published day, [(entity, surface), ...])
ARCHIVE = {
    "grain": ("Soviet grain purchases", "The Soviet Union bought more wheat this season.", "Reuters",
              date(1987, 3, 5), [(SOVIET_UNION, "Soviet Union")]),
    "summit": ("Leaders meet in Moscow", "Russia hosted the talks.", "Bloomberg", date(2023, 3, 20),
               [(RUSSIA, "Russia")]),
    "harvest": ("Harvest in Ukraine", "Ukraine expects a record harvest.", "Reuters", date(2023, 8, 1),
                [(UKRAINE, "Ukraine")]),
    "fashion": ("Fashion week", "France opened its fashion week.", "Reuters", date(2023, 9, 1),
                [(FRANCE, "France")]),
}


@pytest.fixture
def history(search_index):
    return build_archive(ARCHIVE)


def api(client, **query):
    return client.get("/api/search", query).json()


def titles(body):
    return sorted(hit["title"] for hit in body["hits"])


@pytest.mark.parametrize("typed", ["Soviet Union", "USSR", "SUHH"])
def test_the_soviet_union_is_not_russia(client, history, typed):
    body = api(client, country=typed)

    assert titles(body) == ["Soviet grain purchases"]
    assert [(i["value"], i["label"]) for i in body["facets"]["country"] if i["selected"]] == [("SUHH", "Soviet Union")]
    assert titles(api(client, country="Russia")) == ["Leaders meet in Moscow"]
