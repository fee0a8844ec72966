"""Reading the exports' streamed bodies, and counting the points in time Elasticsearch holds open."""
import csv
import io
import json

from elasticsearch.dsl.connections import connections

EXPORTS = ["/api/search.csv", "/api/search.jsonl"]


def body(response):
    return b"".join(response.streaming_content).decode()


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response))))


def json_rows(response):
    return [json.loads(line) for line in body(response).splitlines()]


def exported_ids(response):
    """The article ids of an export's rows, in order, whichever its format."""
    if response["Content-Type"].startswith("text/csv"):
        return [int(row["id"]) for row in csv_rows(response)]
    return [row["id"] for row in json_rows(response)]


def open_contexts():
    """The search contexts open on the node: an open point in time holds one per shard."""
    stats = connections.get_connection().nodes.stats(metric="indices", index_metric="search")
    return sum(node["indices"]["search"]["open_contexts"] for node in stats["nodes"].values())
