"""The JSON API: the same searches and dicts as the pages, as JSON, plus a CSV export.

Methods, access and errors (400, 404, 405, 503 as problem details) are handled by
`decorators.json_endpoint`.
"""
import csv
import itertools

from django.http import StreamingHttpResponse
from django.shortcuts import redirect

from articles import search
from articles.enrichment import curation
from articles.search.facets import CSV_COLUMNS
from articles.web import lookups
from articles.web.decorators import json_endpoint
from articles.web.lineage import lineage
from articles.web.pages import ALIASES_SHOWN


@json_endpoint
def search_api(request):
    return search.search_articles(search.parse_search_params(search.query_params(request)))


@json_endpoint
def search_csv(request):
    """The first 10,000 results of a search as CSV, streamed in batches."""
    rows = search.export_rows(search.parse_search_params(search.query_params(request)))
    first = list(itertools.islice(rows, 1))  # run the first query now: errors get a real status
    lines = csv_lines(itertools.chain(first, rows), request.build_absolute_uri("/"))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="newsarchive-search.csv"'
    return response


def csv_lines(rows, site_url):
    """CSV text line by line: a header, then one row per article."""
    buffer = _LineBuffer()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.take()
    for row in rows:
        row = {**row, "url": site_url.rstrip("/") + row["url"]}
        writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
        yield buffer.take()


def csv_cell(value):
    """Lists joined with "; " (entities by their labels), and text that a spreadsheet would
    run as a formula defused."""
    if isinstance(value, list):
        value = "; ".join(item["label"] if isinstance(item, dict) else item for item in value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _LineBuffer:
    """A file-like target for csv.writer whose text is taken after each row."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def take(self):
        text, self.text = self.text, ""
        return text


@json_endpoint
def article_api(request, article_id):
    return search.article_detail(lookups.get_article(article_id))


@json_endpoint
def entity_api(request, kind, ref):
    entity = lookups.get_entity(kind, ref)
    if (kind, ref) != (entity.kind, entity.ref):  # a name, or an entity merged since
        return redirect("articles:api-entity", entity.kind, entity.ref)
    aliases = curation.ranked_aliases(entity)
    return {**search.entity_dict(entity), "aliases": [surface for surface, _ in aliases[:ALIASES_SHOWN]],
            "alias_count": len(aliases), **lineage(entity), **search.entity_overview(entity)}
