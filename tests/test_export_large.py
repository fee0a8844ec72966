"""The exports hold a search's whole result set past Elasticsearch's result window of 10,000,
and release their point in time when read to the end and when the client hangs up.

The archive is made once for the module, as cheaply as the project can: LARGE rows stored
with bulk_create, indexed by the project's own bulk indexing (articles/indexing, as
`sync_index` does), then rolled back, because the exports read only the index (no test here
names an entity, the one thing a search would look up in the database). The index has a prefix
of its own: the worker's reconciler, alive among the transactional tests once a worker test
has run, would take the copies of rolled-back rows in the suite's index for orphans.
"""
import socket
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import override_settings

from articles import indexing
from articles.models import Article

from .conftest import wait_until
from .exports import EXPORTS, exported_ids, json_rows, open_contexts

# Transactional like the live server's test, which pytest-django runs after the others: all of
# them together, so the module's archive is made once.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
LARGE = 10_050  # past the result window (10,000), and past ten export pages of 1,000
FIRST_DAY = datetime(2001, 1, 1, 12, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def large_index(django_db_setup, django_db_blocker):
    """LARGE articles in the index: every third has "harbour" in its title, odd ones come from
    Wire and even ones from Desk, every tenth is undated and the others share 200 days (so
    that many tie on the date)."""
    with override_settings(ELASTICSEARCH_INDEX_PREFIX="test-newsarchive-export"), django_db_blocker.unblock():
        indexing.delete_index()
        with transaction.atomic():
            Article.objects.bulk_create(
                (Article(
                    title=f"Dispatch {n}" + (" from the harbour" if n % 3 == 0 else ""),
                    body=f"Report number {n} of the day.",
                    source="Wire" if n % 2 else "Desk",
                    published_at=None if n % 10 == 0 else FIRST_DAY + timedelta(days=n % 200),
                    content_hash=f"{n:064x}",
                    enrichment_status=Article.Enrichment.ENRICHED,
                ) for n in range(LARGE)),
                batch_size=2000,
            )
            assert indexing.index_articles(Article.objects.all(), refresh=True) == LARGE
            transaction.set_rollback(True)
        yield
        indexing.delete_index()


@pytest.mark.parametrize("path", EXPORTS)
def test_an_export_past_the_result_window_has_exactly_total_rows_all_distinct(client, large_index, path):
    total = client.get("/api/search").json()["articles"]  # an export is of articles, not stories

    response = client.get(path)
    ids = exported_ids(response)

    assert (total, response["X-Total-Count"]) == (LARGE, str(LARGE))
    assert (len(ids), len(set(ids))) == (total, total)


def test_filters_narrow_an_export_to_the_searchs_articles_in_its_order(client, large_index):
    params = {"q": "harbour", "source": "Wire", "date_from": "2001-02-01", "date_to": "2001-02-28", "sort": "date"}
    search = client.get("/api/search", {**params, "page_size": 100}).json()
    searched = [hit["id"] for page in range(1, search["pages"] + 1)
                for hit in client.get("/api/search", {**params, "page_size": 100, "page": page}).json()["hits"]]

    exported = [row["id"] for row in json_rows(client.get("/api/search.jsonl", params))]

    assert 0 < search["total"] < LARGE / 10
    assert exported == searched


@pytest.mark.parametrize("path", EXPORTS)
def test_an_export_read_to_the_end_closes_its_point_in_time(client, large_index, path):
    chunks = iter(client.get(path).streaming_content)
    next(chunks)
    assert open_contexts() == 1  # open while the rows are being sent

    for _ in chunks:
        pass

    assert open_contexts() == 0


def test_an_export_abandoned_by_its_client_closes_its_point_in_time(live_server, large_index):
    """A real HTTP client reads the first bytes and hangs up; the server's next write fails and
    it closes the response. Closed then, not expired: the PIT would live a minute."""
    address = urlsplit(live_server.url)
    with socket.socket() as connection:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # the server cannot run far ahead
        connection.connect((address.hostname, address.port))
        connection.sendall(f"GET /api/search.jsonl HTTP/1.1\r\nHost: {address.netloc}\r\n\r\n".encode())
        assert connection.recv(4096).startswith(b"HTTP/1.1 200")
        assert open_contexts() == 1

    wait_until(lambda: open_contexts() == 0, timeout=10, message="the abandoned export's PIT to close")
