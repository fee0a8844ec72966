"""The search benchmark's search measurement: the query set made from the archive's own values,
/api/search and the search page under gunicorn against raw Elasticsearch with the identical
body, and where the app's time goes."""
import cProfile
import io
import json
import pstats
import random
import re
import shlex
import time
import warnings
from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.indexing import index_name
from articles.models import Article
from articles.search import parse_search_params
from articles.search.query import page_search

from .common import ROOT, wait_for_quiet_node
from .search_clients import ProductionServer, Target, percentile, run_clients


def search_body(params):
    """The JSON body the app sends to Elasticsearch for one page of /api/search with `params`.

    The one place this command builds a search request (the search module is being
    restructured): today the search module's own `request_body`, the FacetedSearch
    `ArticleSearch(params)` sliced to the page, as a dict.
    """
    from articles.search.query import request_body

    return request_body(params)



class SearchLoad:
    """The Command's search measurement (`self.options`, `self.out` and `self.client`, the
    Elasticsearch client, are the Command's)."""

    def build_queries(self):
        """About 65 searches from the archive's own facet values and title words."""
        rng = random.Random(self.options["seed"])
        aggs = self.client.search(index=index_name(), size=0, aggs={
            "person": {"terms": {"field": "persons", "size": 40}},
            "country": {"terms": {"field": "countries", "size": 30}},
            "org": {"terms": {"field": "organizations", "size": 30}},
            "source": {"terms": {"field": "source", "size": 10}},
            "year": {"date_histogram": {"field": "published_at", "calendar_interval": "year", "min_doc_count": 1}},
        })["aggregations"]
        values = {name: [b["key"] for b in aggs[name]["buckets"]] for name in ("person", "country", "org", "source")}
        busiest = sorted(aggs["year"]["buckets"], key=lambda b: -b["doc_count"])[:8]
        years = [b["key_as_string"][:4] for b in busiest]

        ids = list(Article.objects.values_list("id", flat=True))
        titles = Article.objects.filter(id__in=rng.sample(ids, min(4000, len(ids)))).values_list("title", flat=True)
        stop = set("the and for with from that this over after into said says will have has its are was were been "
                   "more than about their they them amid under new not but who what when how why can could would "
                   "should may might year years copy".split())
        words, pairs = Counter(), Counter()
        for title in titles:
            tokens = [t.lower() for t in re.findall(r"[A-Za-z]+", title)]
            tokens = [t for t in tokens if len(t) >= 3 and t not in stop]
            words.update(t for t in tokens if len(t) >= 4)
            pairs.update(zip(tokens, tokens[1:]))
        common = [w for w, n in words.most_common(300) if n >= 5]
        phrases = [p for p, n in pairs.most_common(150) if n >= 3]
        rng.shuffle(common)
        word = iter(common)
        pick = lambda name: rng.choice(values[name])  # noqa: E731
        year = lambda: rng.choice(years)  # noqa: E731

        queries = []
        add = lambda kind, **params: queries.append((kind, params))  # noqa: E731
        for _ in range(8):
            add("word", q=next(word))
        for _ in range(4):
            add("two words", q=f"{next(word)} {next(word)}")
        for a, b in rng.sample(phrases, 6):
            add("phrase", q=f'"{a} {b}"')
        for _ in range(5):
            add("OR", q=f"{next(word)} OR {next(word)}")
        for _ in range(5):
            add("exclusion", q=f"{next(word)} -{next(word)}")
        for _ in range(5):
            add("prefix", q=next(w for w in word if len(w) >= 6)[:4] + "*")
        for _ in range(4):
            add("person", person=pick("person"))
        for _ in range(3):
            add("word + person", q=next(word), person=pick("person"))
        for _ in range(3):
            add("country", country=pick("country"))
        for _ in range(3):
            add("word + country", q=next(word), country=pick("country"))
        for _ in range(2):
            add("word + org", q=next(word), org=pick("org"))
        for _ in range(2):
            add("word + source", q=next(word), source=pick("source"))
        for _ in range(2):
            y = year()
            add("dates", date_from=f"{y}-01-01", date_to=f"{y}-12-31")
        y = year()
        add("dates", date_from=f"{y}-03-01", date_to=f"{y}-05-31")
        for _ in range(3):
            y = year()
            add("word + dates", q=next(word), date_from=f"{y}-01-01", date_to=f"{y}-06-30")
        for _ in range(3):
            y = year()
            add("word + country + dates", q=next(word), country=pick("country"), date_from=f"{y}-01-01",
                date_to=f"{y}-12-31")
        for _ in range(2):
            add("person + country", person=pick("person"), country=pick("country"))
        add("OR + person", q=f"{next(word)} OR {next(word)}", person=pick("person"))
        add("everything")
        add("everything by date", sort="date")
        add("word by date", q=next(word), sort="date")
        add("word oldest first", q=next(word), sort="date_asc")
        add("word page 2", q=next(word), page="2")
        add("word page 5", q=next(word), page="5")

        built = []
        counted = {} if self.options["count"] == "stories" else {"count": self.options["count"]}
        for kind, params in queries:
            qs = urlencode({**params, **counted})
            search_params = parse_search_params(QueryDict(qs))
            body = json.dumps(search_body(search_params)).encode()
            built.append({"kind": kind, "qs": qs, "body": body, "params": search_params})
        return built

    def targets(self, server_url):
        es = settings.ELASTICSEARCH_URL
        auth = (settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD) if settings.ELASTICSEARCH_USERNAME else None
        raw_path = f"/{index_name()}/_search"
        raw = Target("raw Elasticsearch _search", es,
                     lambda q: ("POST", raw_path, q["body"], {"Content-Type": "application/json"}), auth)
        app = Target("app /api/search (gunicorn)", server_url, lambda q: ("GET", f"/api/search?{q['qs']}", None, {}))
        html = Target("app search page / (gunicorn)", server_url, lambda q: ("GET", f"/?{q['qs']}", None, {}))
        return raw, app, html

    def check_same_results(self, raw, app, queries):
        """The warm-up pass: both paths must find the same total and the same ids, in order."""
        different = []
        raw_conn, app_conn = raw.connect(), app.connect()
        for query in queries:
            status_raw, data_raw = raw.fetch(raw_conn, query)
            status_app, data_app = app.fetch(app_conn, query)
            if status_raw != 200 or status_app != 200:
                different.append(f"{query['qs']}: status raw {status_raw}, app {status_app}: {data_app[:200]!r}")
                continue
            answer = json.loads(data_raw)
            result = json.loads(data_app)
            raw_ids = [int(hit["_id"]) for hit in answer["hits"]["hits"]]
            app_ids = [hit["id"] for hit in result["hits"]]
            raw_total = page_search(query["params"]).read(answer).total  # its stories, when the search counts them
            if raw_total != result["total"] or raw_ids != app_ids:
                different.append(f"{query['qs']}: total raw {raw_total}, app {result['total']}; "
                                 f"ids {'same' if raw_ids == app_ids else 'differ'}")
            query["total"] = result["total"]
        raw_conn.close()
        app_conn.close()
        return different

    def measure_search(self, clients):
        queries = self.build_queries()
        kinds = Counter(q["kind"] for q in queries)
        self.out(f"## Search: {len(queries)} queries, {self.options['passes']} timed passes per path and client count\n")
        self.out("Query kinds: " + ", ".join(f"{kind} {n}" for kind, n in kinds.items()) + ".")
        self.out(f"Queries (seed {self.options['seed']}): " + "; ".join(q["qs"] or "(none)" for q in queries) + "\n")

        log_path = ROOT / ".var" / "benchmark-search-web.log"
        log_path.parent.mkdir(exist_ok=True)
        with ProductionServer(log_path) as server:
            self.out(f"Production server: `{shlex.join(server.command)}` with DEBUG=0 (log {log_path}).\n")
            raw, app, html = self.targets(server.url)
            different = self.check_same_results(raw, app, queries)
            totals = sorted(q.get("total", 0) for q in queries)
            self.out(f"Warm-up and check: {len(queries) - len(different)}/{len(queries)} queries find the same total and "
                     f"ids through both paths (median total {totals[len(totals) // 2]:,}, largest {totals[-1]:,}).")
            for line in different:
                self.out(f"  DIFFERENT: {line}")

            wait_for_quiet_node(self.client)
            rows = []
            for count in clients:
                samples = {raw.name: ([], [0.0], []), app.name: ([], [0.0], [])}
                for n in range(self.options["passes"]):
                    order = queries[:]
                    random.Random(n).shuffle(order)
                    for target in (raw, app) if n % 2 == 0 else (app, raw):
                        latencies, wall, errors = run_clients(target, order, count)
                        samples[target.name][0].extend(latencies)
                        samples[target.name][1][0] += wall
                        samples[target.name][2].extend(errors)
                rows.append((count, {name: self.summary(*s) for name, s in samples.items()}))
            self.print_search_table(rows, raw, app)
            self.profile_request_path(queries, raw, app, html)

    @staticmethod
    def summary(latencies, wall, errors):
        return {"p50": percentile(latencies, 0.50), "p95": percentile(latencies, 0.95),
                "qps": len(latencies) / wall[0], "n": len(latencies), "errors": errors}

    def print_search_table(self, rows, raw, app):
        self.out("\n| clients | raw ES p50 ms | raw ES p95 ms | raw ES queries/s | app p50 ms | app p95 ms | "
                 "app queries/s | p95 ratio app/raw | requests per path |")
        self.out("|---|---|---|---|---|---|---|---|---|")
        for count, cell in rows:
            r, a = cell[raw.name], cell[app.name]
            self.out(f"| {count} | {r['p50']:.1f} | {r['p95']:.1f} | {r['qps']:.1f} | {a['p50']:.1f} | {a['p95']:.1f} | "
                     f"{a['qps']:.1f} | **{a['p95'] / r['p95']:.2f}** | {a['n']} |")
        for count, cell in rows:
            for name, s in cell.items():
                if s["errors"]:
                    self.out(f"  {len(s['errors'])} errors from {name} at {count} clients, e.g. {s['errors'][0]}")
        last = dict(rows).get(8)
        if last:
            ratio = last[app.name]["p95"] / last[raw.name]["p95"]
            self.out(f"\nTargets at 8 clients: p95 ratio app/raw ≤ 1.3: {ratio:.2f} "
                     f"({'met' if ratio <= 1.3 else 'not met'}); app p95 < 150 ms: {last[app.name]['p95']:.1f} ms "
                     f"({'met' if last[app.name]['p95'] < 150 else 'not met'}).")

    # ---- where the app's time goes --------------------------------------------------------

    def profile_request_path(self, queries, raw, app, html):
        """Single-client measurements that tell the request path's costs apart."""
        self.out("\n## Where the time goes (1 client, 2 passes each)\n")
        self.out("| what | p50 ms | p95 ms | response KB |")
        self.out("|---|---|---|---|")

        def row(label, target, items):
            latencies, received = [], 0
            for n in range(2):
                latencies += run_clients(target, items, 1)[0]
                received += run_clients.received
            self.out(f"| {label} | {percentile(latencies, 0.5):.1f} | {percentile(latencies, 0.95):.1f} | "
                     f"{received / len(latencies) / 1024:.1f} |")

        row("raw ES, the app's body", raw, queries)
        for label, drop in [("raw ES, without track_total_hits (ES counts up to 10,000)", ["track_total_hits"]),
                            ("raw ES, without highlight", ["highlight"]),
                            ("raw ES, without aggregations (facets, date histogram)", ["aggs"]),
                            ("raw ES, none of the three", ["track_total_hits", "highlight", "aggs"])]:
            variants = []
            for query in queries:
                body = json.loads(query["body"])
                for key in drop:
                    body.pop(key, None)
                variants.append({**query, "body": json.dumps(body).encode()})
            row(label, raw, variants)
        row("app /api/search (gunicorn)", app, queries)
        row("app search page / (HTML, gunicorn)", html, queries)

        # In-process: the Django stack without gunicorn, and the database queries per request.
        browser = Client(HTTP_HOST="127.0.0.1")
        # This process never ran collectstatic; the API and pages do not need the files.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        for label, path in [("/api/search", "/api/search"), ("/ (HTML page)", "/")]:
            latencies, query_counts = [], []
            for query in queries:
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = browser.get(f"{path}?{query['qs']}", secure=True)
                    latencies.append(time.perf_counter() - start)
                query_counts.append(len(captured))
                if response.status_code != 200:
                    self.out(f"  in-process {path}?{query['qs']}: status {response.status_code}")
            self.out(f"| in-process {label} (Django test client, no gunicorn) | {percentile(latencies, 0.5):.1f} | "
                     f"{percentile(latencies, 0.95):.1f} | |")
            self.db_queries = getattr(self, "db_queries", {})
            self.db_queries[label] = (sum(query_counts) / len(query_counts), max(query_counts))
        self.out("")
        for label, (mean, most) in self.db_queries.items():
            self.out(f"Database queries per request, {label}: {mean:.1f} on average, at most {most}.")

        if self.options["profile"]:
            profiler = cProfile.Profile()
            profiler.enable()
            for query in queries * 2:
                browser.get(f"/api/search?{query['qs']}", secure=True)
            profiler.disable()
            for order, restriction, title in [
                ("cumulative", (r"articles/|dsl/|json|http/response", 25), "cumulative, the app's and the client's own"),
                ("tottime", (20,), "own time"),
            ]:
                text = io.StringIO()
                pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(*restriction)
                lines = [line for line in text.getvalue().splitlines() if line.strip()]
                self.out(f"\ncProfile of {2 * len(queries)} in-process /api/search requests ({title}):\n```")
                self.out("\n".join(lines)[:8000])
                self.out("```")
