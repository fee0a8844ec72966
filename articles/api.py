"""The JSON API: the same searches and dicts as the pages, as JSON, plus a CSV export."""
import csv
import itertools

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from . import presentation, search
from .models import Article
from .views import UNAVAILABLE_MESSAGE, get_entity, search_access

CSV_COLUMNS = ["id", "title", "source", "published_at", "persons", "countries", "organizations", "url"]


def error(message, status):
    return JsonResponse({"error": message}, status=status)


@search_access(json=True)
def search_api(request):
    try:
        return JsonResponse(search.search_articles(search.parse_search_params(search.query_params(request))))
    except search.SearchParamError as exc:
        return error(str(exc), 400)
    except search.UNAVAILABLE:
        return error(UNAVAILABLE_MESSAGE, 503)


@search_access(json=True)
def search_csv(request):
    """The first 10,000 results of a search as CSV, streamed in batches."""
    try:
        rows = search.export_rows(search.parse_search_params(search.query_params(request)))
        first = list(itertools.islice(rows, 1))  # run the first query now: errors get a real status
    except search.SearchParamError as exc:
        return error(str(exc), 400)
    except search.UNAVAILABLE:
        return error(UNAVAILABLE_MESSAGE, 503)
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
    """Lists joined with "; ", and text that a spreadsheet would run as a formula defused."""
    if isinstance(value, list):
        value = "; ".join(value)
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


@search_access(json=True)
def article_api(request, article_id):
    try:
        article = get_object_or_404(Article.objects.prefetch_related("mentions__entity"), pk=article_id)
    except Http404:
        return error("No such article.", 404)
    return JsonResponse(search.article_detail(article))


@search_access(json=True)
def entity_api(request, kind, key):
    try:
        entity = get_entity(kind, key)
        overview = search.entity_overview(entity)
    except Http404:
        return error("No such entity.", 404)
    except search.UNAVAILABLE:
        return error(UNAVAILABLE_MESSAGE, 503)
    return JsonResponse({**presentation.entity_dict(entity), "aliases": entity.aliases, **overview})


def openapi_api(request):
    return JsonResponse(OPENAPI)


# --- The OpenAPI description ------------------------------------------------------------------

def _param(name, description, schema=None, repeatable=False):
    schema = schema or {"type": "string"}
    if repeatable:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, **({"style": "form", "explode": True} if repeatable else {})}


def _path_param(name, schema):
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _json(schema_name, description="OK"):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


_DATE = {"type": "string", "format": "date"}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_SEARCH_PARAMETERS = [
    _param("q", 'Words, "quoted phrases", OR, -exclusion, prefix*. Never an error.'),
    _param("person", "Person name; several combine with OR.", repeatable=True),
    _param("country", "ISO 3166-1 alpha-2 code such as RU; several combine with OR.", repeatable=True),
    _param("org", "Organization name; several combine with OR.", repeatable=True),
    _param("source", "Source name; several combine with OR.", repeatable=True),
    _param("date_from", "First day (YYYY-MM-DD); undated articles are left out.", _DATE),
    _param("date_to", "Last day (YYYY-MM-DD), inclusive.", _DATE),
    _param("sort", "relevance (the default; newest first among equals), date (newest first), date_asc.",
           {"type": "string", "enum": list(search.SORTS)}),
    _param("page", f"Page of {search.PAGE_SIZE} results.",
           {"type": "integer", "minimum": 1, "maximum": search.MAX_PAGE}),
    _param("more", "Facets to list with more values.", {"type": "string", "enum": list(search.TERMS_FACETS)},
           repeatable=True),
]
_ERRORS = {"400": _json("Error", "Bad parameter"), "503": _json("Error", "Elasticsearch unavailable")}
_SUMMARY = {
    "id": {"type": "integer"}, "title": {"type": "string"}, "source": {"type": "string"},
    "published_at": {"type": ["string", "null"], "format": "date-time", "description": "null: date unknown"},
    "url": {"type": "string", "description": "The article's page"},
}
_FACET_VALUES = {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
_ENTITY_REF = {"type": "object", "properties": {
    "kind": {"type": "string"}, "key": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"}}}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "newsarchive API", "version": "1.0",
             "description": "Search the news archive: the JSON behind the search, article and entity pages."},
    "paths": {
        "/api/search": {"get": {
            "summary": "Search articles with facets",
            "description": "Values of one facet combine with OR, different facets with AND; each facet's "
                           "counts apply every filter but its own.",
            "parameters": _SEARCH_PARAMETERS,
            "responses": {"200": _json("SearchResult"), **_ERRORS},
        }},
        "/api/search.csv": {"get": {
            "summary": f"The first {search.MAX_RESULTS:,} results of a search as CSV",
            "parameters": _SEARCH_PARAMETERS,
            "responses": {"200": {"description": "CSV with columns " + ", ".join(CSV_COLUMNS),
                                  "content": {"text/csv": {"schema": {"type": "string"}}}}, **_ERRORS},
        }},
        "/api/articles/{id}": {"get": {
            "summary": "One article with its entities and related articles",
            "parameters": [_path_param("id", {"type": "integer"})],
            "responses": {"200": _json("Article"), "404": _json("Error", "No such article")},
        }},
        "/api/entities/{kind}/{key}": {"get": {
            "summary": "A person, country or organization: articles over time, co-mentioned entities, latest",
            "parameters": [_path_param("kind", {"type": "string", "enum": ["person", "country", "organization"]}),
                           _path_param("key", {"type": "string"})],
            "responses": {"200": _json("Entity"), "404": _json("Error", "No such entity"), "503": _ERRORS["503"]},
        }},
        "/api/openapi.json": {"get": {"summary": "This description",
                                      "responses": {"200": {"description": "OpenAPI 3.1 JSON"}}}},
    },
    "components": {"schemas": {
        "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
        "FacetValue": {"type": "object", "required": ["value", "label", "count", "selected"], "properties": {
            "value": {"type": "string", "description": "What to pass as the facet's parameter"},
            "label": {"type": "string"}, "count": {"type": "integer"}, "selected": {"type": "boolean"}}},
        "DateBucket": {"allOf": [{"$ref": "#/components/schemas/FacetValue"}, {"type": "object", "properties": {
            "date_from": _DATE, "date_to": _DATE}}],
            "description": "A year, month or day (value 1987, 1987-03 or 1987-03-05); date_from/date_to narrow to it."},
        "Hit": {"type": "object", "properties": {
            **_SUMMARY,
            "title_html": {"type": "string", "description": "Escaped title, matches in <mark>"},
            "snippet": {"type": "string", "description": "Escaped body excerpt, matches in <mark>"},
            "persons": _STRINGS, "countries": {**_STRINGS, "description": "ISO codes"}, "organizations": _STRINGS}},
        "SearchResult": {"type": "object", "properties": {
            "total": {"type": "integer"}, "page": {"type": "integer"}, "pages": {"type": "integer"},
            "sort": {"type": "string"},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {"type": "object", "description": "person, country, org, source: FacetValue lists; "
                                                        "date: DateBucket list",
                       "additionalProperties": _FACET_VALUES},
            "facets_more": {"type": "object", "additionalProperties": {"type": "boolean"},
                            "description": "Whether a facet has more values (ask with more=<facet>)"},
            "date_unknown": {"type": "integer", "description": "Matching articles without a date"}}},
        "Article": {"type": "object", "properties": {
            **_SUMMARY, "original_url": {"type": "string", "description": "Where the article was published"},
            "body": {"type": "string"}, "author": {"type": "string"},
            "persons": {"type": "array", "items": _ENTITY_REF}, "countries": {"type": "array", "items": _ENTITY_REF},
            "organizations": {"type": "array", "items": _ENTITY_REF},
            "related": {"type": "array", "items": {"type": "object", "properties": _SUMMARY}}}},
        "Entity": {"type": "object", "properties": {
            **_ENTITY_REF["properties"], "aliases": _STRINGS, "total": {"type": "integer"},
            "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/DateBucket"}},
            "date_unknown": {"type": "integer"},
            "related": {"type": "object", "description": "person, country, org: most often mentioned with it",
                        "additionalProperties": _FACET_VALUES},
            "latest": {"type": "array", "items": {"type": "object", "properties": _SUMMARY}}}},
    }},
}
