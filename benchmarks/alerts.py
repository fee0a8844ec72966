"""Measure what matching new articles against many saved searches costs.

Builds N saved searches (words, entity facets, words with facets, facets with a year)
from what the index holds, then matches batches of the newest articles against all of
them in two ways, checking that both find the same:

  per-search  one search per saved search restricted to the batch's ids, sent together
              in _msearch requests of --msearch searches (what the alerts task does:
              matching.match)
  named       one request per --chunk searches, each a named clause, restricted to the
              batch's ids; `matched_queries` says which searches found which article

A percolator would be a third way; this command says whether the node has the module.
Nothing is written to the database. It needs an index with articles: `make benchmark-alerts`
(`python -m benchmarks.alerts [OPTIONS]` through scripts/benchmark.sh) runs it on the search
benchmark's archive (`make benchmark-search` builds it).
"""
import random
import re
import statistics
import time

from django.core.management.base import BaseCommand
from elasticsearch.dsl.connections import connections

from articles.indexing import index_name
from following import matching, searches

from .common import run

CHUNK = 250
WORD = re.compile(r"[A-Za-z]{5,}")


class Command(BaseCommand):
    help = "Time matching new articles against many saved searches (named clauses vs one search each)."

    def add_arguments(self, parser):
        parser.add_argument("--searches", type=int, default=1000)
        parser.add_argument("--batches", default="1,64,500", help="new-article batch sizes, comma-separated")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--msearch", type=int, default=matching.PER_REQUEST, help="saved searches per _msearch request")
        parser.add_argument("--chunk", type=int, default=CHUNK, help="saved searches per named request")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        client = connections.get_connection()
        client.indices.refresh(index=index_name())
        documents = client.count(index=index_name())["count"]
        self.stdout.write(f"Index {index_name()}: {documents} documents; percolator module on the node: "
                          f"{'yes' if has_percolator(client) else 'no'}")
        started = time.perf_counter()
        queries = saved_queries(client, options["searches"], random.Random(options["seed"]))
        parsed = [(i, searches.parse_query(query)) for i, query in enumerate(queries, 1)]
        prepared = [(i, matching.search_filter(params)) for i, params in parsed]
        prepare_ms = (time.perf_counter() - started) * 1000
        self.stdout.write(f"{len(parsed)} saved searches parsed and turned into queries in {prepare_ms:.0f} ms")
        self.stdout.write(f"{'batch':>6} {'method':>11} {'median ms':>10} {'min ms':>8} {'requests':>9} {'matches':>8}")
        for size in [int(n) for n in options["batches"].split(",")]:
            ids = newest_ids(client, size)
            results = {}
            for name, method in (("per-search", lambda: matching.match(prepared, ids, options["msearch"])),
                                 ("named", lambda: match_named(client, prepared, ids, options["chunk"]))):
                times = []
                for _ in range(options["repeat"]):
                    start = time.perf_counter()
                    results[name] = method()
                    times.append((time.perf_counter() - start) * 1000)
                requests = -(-len(parsed) // (options["chunk"] if name == "named" else options["msearch"]))
                found = sum(len(v) for v in results[name].values())
                self.stdout.write(f"{len(ids):>6} {name:>11} {statistics.median(times):>10.1f} {min(times):>8.1f} "
                                  f"{requests:>9} {found:>8}")
            same = _normalised(results["named"]) == _normalised(results["per-search"])
            self.stdout.write(f"{'':>6} {'':>11} both ways found the same: {'yes' if same else 'NO'}")


def has_percolator(client):
    nodes = client.nodes.info(metric="modules")["nodes"].values()
    return any(module["name"] == "percolator" for node in nodes for module in node.get("modules", []))


def newest_ids(client, size):
    response = client.search(index=index_name(), size=size, source=False, sort=[{"id": "desc"}])
    return [int(hit["_id"]) for hit in response["hits"]["hits"]]


def saved_queries(client, count, rng):
    """`count` query strings of the kinds readers save, from the index's own values."""
    aggs = {
        "persons": {"terms": {"field": "persons", "size": 300}},
        "countries": {"terms": {"field": "countries", "size": 100}},
        "organizations": {"terms": {"field": "organizations", "size": 200}},
        "years": {"date_histogram": {"field": "published_at", "calendar_interval": "year", "min_doc_count": 1}},
    }
    response = client.search(index=index_name(), size=500, source=["title"], aggs=aggs)
    values = {name: [b["key"] for b in response["aggregations"][name]["buckets"]] for name in aggs if name != "years"}
    years = [b["key_as_string"][:4] for b in response["aggregations"]["years"]["buckets"]] or ["1987"]
    words = sorted({w.lower() for hit in response["hits"]["hits"] for w in WORD.findall(hit["_source"]["title"])})
    facets = [(param, values[field]) for param, field in
              (("person", "persons"), ("country", "countries"), ("org", "organizations")) if values[field]]
    queries = []
    for _ in range(count):
        kind = rng.random()
        param, choices = rng.choice(facets)
        facet = {param: rng.choice(choices)}
        if kind < 0.4:
            query = {"q": " ".join(rng.sample(words, rng.choice([1, 2])))}
        elif kind < 0.65:
            query = facet
        elif kind < 0.85:
            query = {"q": rng.choice(words), **facet}
        else:
            year = rng.choice(years)
            query = {**facet, "date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}
        queries.append("&".join(f"{k}={v}" for k, v in query.items()).replace(" ", "+"))
    return queries


def match_named(client, prepared, article_ids, chunk=CHUNK):
    """{saved search id: [article ids]}: one request per `chunk` saved searches, each a named
    clause of a bool query restricted to the batch's ids."""
    client.indices.refresh(index=index_name())
    restrict = {"ids": {"values": [str(i) for i in article_ids]}}
    found = {}
    for start in range(0, len(prepared), chunk):
        clauses = [{"bool": {**query["bool"], "_name": str(search_id)}}
                   for search_id, query in prepared[start : start + chunk]]
        response = client.search(
            index=index_name(), size=len(article_ids), source=False, track_total_hits=False,
            query={"bool": {"filter": [restrict], "should": clauses, "minimum_should_match": 1}},
        )
        for hit in response["hits"]["hits"]:
            for name in hit.get("matched_queries", []):
                found.setdefault(int(name), []).append(int(hit["_id"]))
    return found


def _normalised(found):
    return {key: sorted(ids) for key, ids in found.items() if ids}


if __name__ == "__main__":
    run(Command(), "benchmarks.alerts")
