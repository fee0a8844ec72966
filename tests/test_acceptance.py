"""The search acceptance scenario on real data: the seed plus a tenth of Reuters-21578
(every tenth item, so every month it covers, February to June 1987, is there), imported with the real command,
enriched by the real worker and searched through the API."""
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from articles import indexing
from articles.models import Article

from .conftest import SEED, SHARED_DATA, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
REUTERS = SHARED_DATA / "reuters21578" / "train.jsonl"


def api(**params):
    response = Client().get("/api/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def facet(result, name):
    """The facet's values by their labels."""
    return {item["label"]: item for item in result["facets"][name]}


@pytest.fixture
def archive_with_reuters(worker, search_index, tmp_path):
    sample = tmp_path / "reuters-sample.jsonl"
    lines = REUTERS.read_text(encoding="utf-8").splitlines()[::10]
    sample.write_text("\n".join(lines), encoding="utf-8")
    call_command("import_articles", str(SEED), verbosity=0)
    with pytest.raises(CommandError):  # some Reuters items have no body: reported as failed
        call_command("import_articles", str(sample), verbosity=0)
    stored = Article.objects.count()
    assert stored > 1400
    wait_until(
        lambda: not Article.stale_in_index().exists()
        and not Article.objects.filter(enrichment_status="pending").exists(),
        timeout=600, interval=2, message="the worker to enrich and index the archive",
    )
    # The last batch may have gone in less than a refresh interval ago: searchable once refreshed.
    indexing.document_count()
    return stored


@pytest.mark.slow
def test_search_acceptance_on_the_seed_and_reuters(archive_with_reuters):
    putin = api(q="Putin")
    assert any(hit["title"].startswith("Chinese President Xi Jinping") for hit in putin["hits"])
    people = facet(putin, "person")
    assert "Vladimir Putin" in people and "Putin" not in people
    assert "Xi Jinping" in people

    narrowed = api(q="Putin", country="RU", person="Xi Jinping")
    assert any(hit["title"].startswith("Chinese President Xi Jinping") for hit in narrowed["hits"])

    months = {bucket["value"][:7] for bucket in api(date_from="1987-01-01", date_to="1987-12-31")["facets"]["date"]
              if bucket["count"]}
    assert {"1987-02", "1987-03", "1987-04", "1987-06"} <= months  # the months Reuters-21578 train covers

    found_ids = {hit["id"] for hit in api(q="visits", sort="date")["hits"]}
    only_visit = {a.id for a in Article.objects.filter(id__in=found_ids)
                  if re.search(r"\bvisit\b", a.body) and not re.search(r"\bvisits\b", a.title + a.body)}
    assert only_visit, "stemming: 'visits' should find an article that only says 'visit'"
