"""Scale-out: the app on a real three-node Elasticsearch cluster loses a node and no search,
no document.

A fresh index of three shards, each with one replica on another node (what
ELASTICSEARCH_SHARDS=3 ELASTICSEARCH_REPLICAS=1 give), is filled through the app's importer and
indexer; the app's client knows all three nodes (ELASTICSEARCH_HOSTS). Then the node holding the
most primaries (the elected master, when it holds as many) is stopped while the app's search runs
in a loop: every answer must come back, with the same total as before, and the index must still
hold every document (and take new ones) on the two nodes left.
"""
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from django.conf import settings
from django.http import QueryDict
from elasticsearch.dsl.connections import connections

from articles import indexing
from articles.indexing import lifecycle
from articles.ingest import importing
from articles.ingest.readers import read_path
from articles.models import Article, ImportBatch
from articles.search import parse_search_params, search_articles

from .cluster import Cluster, ClusterError
from .conftest import ROOT
from .stack import reuters_sample

pytestmark = pytest.mark.drill

ARTICLES = 400
SHARDS, REPLICAS = 3, 1
QUERIES = ["", "q=oil", "q=bank OR trade", "q=shares&sort=date"]


def test_shards_replicas_and_cluster_hosts_come_from_the_environment():
    env = {**os.environ, "DEBUG": "1", "ELASTICSEARCH_SHARDS": "3", "ELASTICSEARCH_REPLICAS": "1",
           "ELASTICSEARCH_HOSTS": "http://es01:9200, http://es02:9200,http://es03:9200"}
    program = ("import django, json; django.setup(); from django.conf import settings; "
               "from articles.indexing import lifecycle; s = lifecycle._articles_index().to_dict()['settings']; "
               "print(json.dumps([s['number_of_shards'], s['number_of_replicas'], settings.ELASTICSEARCH_DSL['default']['hosts']]))")
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    shards, replicas, hosts = json.loads(result.stdout.splitlines()[-1])
    assert (shards, replicas) == (3, 1)
    assert hosts == ["http://es01:9200", "http://es02:9200", "http://es03:9200"]


@pytest.fixture(scope="module")
def cluster():
    try:
        cluster = Cluster(size=3).start()
    except ClusterError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture
def app_on_cluster(cluster, db):
    """The app's client on every node of the cluster, its index made with SHARDS and REPLICAS; restored after."""
    index = lifecycle._articles_index()
    before = {key: index.to_dict()["settings"][key] for key in ("number_of_shards", "number_of_replicas")}
    index.settings(number_of_shards=SHARDS, number_of_replicas=REPLICAS)
    connections.create_connection(alias="default", **{**settings.ELASTICSEARCH_DSL["default"], "hosts": cluster.urls})
    try:
        indexing.delete_index()
        yield cluster
    finally:
        connections.create_connection(alias="default", **settings.ELASTICSEARCH_DSL["default"])
        index.settings(**before)


def import_reuters(tmp_path, monkeypatch, count, skip=0):
    """Reuters items through the app's importer (enrichment off); indexing is left to sync_stale."""
    monkeypatch.setattr(importing.pipeline, "queue_articles", lambda ids: 0)  # no worker here
    batch = ImportBatch.objects.create(label="cluster test", enrich=False)
    importing.run_import(read_path(reuters_sample(tmp_path, count, skip)), batch)
    return batch


def total(query):
    return search_articles(parse_search_params(QueryDict(query)))["total"]


@pytest.mark.slow
def test_a_node_stops_and_every_search_still_answers_in_full(app_on_cluster, tmp_path, monkeypatch, caplog):
    cluster = app_on_cluster
    timings = {"cluster start": cluster.started_in}
    client = connections.get_connection()

    started = time.monotonic()
    batch = import_reuters(tmp_path, monkeypatch, ARTICLES)
    indexed = indexing.sync_stale(refresh=True)
    assert batch.created > 0.9 * ARTICLES and indexed == batch.created == Article.objects.count()
    (physical,) = indexing.physical_indices()
    health = client.cluster.health(index=physical, wait_for_status="green", timeout="60s")
    assert health["status"] == "green" and health["active_shards"] == SHARDS * (1 + REPLICAS), health
    timings["import and index"] = time.monotonic() - started

    shards = client.cat.shards(index=physical, format="json")
    primaries = Counter(row["node"] for row in shards if row["prirep"] == "p")
    assert len({row["node"] for row in shards}) == 3  # the copies are spread over all three nodes
    master = client.cat.master(format="json")[0]["node"]
    most = max(primaries.values())  # the node with the most primaries; the elected master among equals
    victim = master if primaries[master] == most else primaries.most_common(1)[0][0]
    expected = {query: total(query) for query in QUERIES}
    assert expected[""] == indexed and all(expected.values())

    answers, errors, phase, done = [], [], ["before"], threading.Event()

    def search_continuously():
        while not done.is_set():
            for query in expected:
                try:
                    answers.append((phase[0], query, total(query)))
                except Exception as exc:  # every failure is a finding here
                    errors.append(f"{phase[0]} {query!r}: {exc!r}")

    searcher = threading.Thread(target=search_continuously)
    searcher.start()
    try:
        time.sleep(3)
        phase[0] = "stopping"
        started = time.monotonic()
        cluster.stop_node(victim)
        timings[f"stop {victim}"] = time.monotonic() - started
        phase[0] = "after"
        health = cluster.wait_for("yellow", nodes=2, timeout=60)
        time.sleep(5)
    finally:
        done.set()
        searcher.join()

    # The client's own failovers: a request that met the stopped node went to another one.
    failovers = sum(1 for r in caplog.records if r.name.startswith("elastic_transport") and "Retrying" in r.getMessage())
    logs = cluster.logs_tail(lines=10)
    assert errors == [], "\n".join(errors[:10]) + "\n" + logs
    wrong = [answer for answer in answers if answer[2] != expected[answer[1]]]
    assert wrong == [], f"{len(wrong)} answer(s) with a wrong total, e.g. {wrong[:5]}"
    per_phase = Counter(answer[0] for answer in answers)
    assert per_phase["before"] >= 8 and per_phase["after"] >= 8, per_phase
    # The stopped node's primaries were promoted elsewhere: nothing is missing, only replicas are.
    assert health["status"] == "yellow" and health["number_of_nodes"] == 2, health
    assert health["unassigned_primary_shards"] == 0 and health["active_primary_shards"] == SHARDS, health
    assert indexing.document_count() == indexed  # no lost document

    # The app keeps indexing on the two nodes left.
    more = import_reuters(tmp_path, monkeypatch, 50, skip=ARTICLES)
    assert indexing.sync_stale(refresh=True) == more.created > 0
    assert indexing.document_count() == total("") == indexed + more.created

    print(f"\n{indexed} articles in {SHARDS} shards x {1 + REPLICAS} copies; stopped {victim} "
          f"({primaries[victim]} primaries, {'the' if victim == master else 'not the'} master {master}); "
          f"searches: {dict(per_phase)}, none failed, every total as before; client failovers: {failovers}; "
          f"health after: {health['status']}, {health['number_of_nodes']} nodes; timings (s): "
          + ", ".join(f"{name} {seconds:.1f}" for name, seconds in timings.items()))
