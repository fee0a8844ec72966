"""The API's OpenAPI 3.1 description, made from the code it describes.

The search parameters come from the search form's fields (their help texts are the
documentation), the facets from the facet registry. The response schemas are closed
(every field required, no other field allowed) and the tests check every API
response they receive against them, so the description cannot drift from the views.
"""
from django import forms

from trends.params import DATE_FIELDS, MAX_SERIES, MEASURES, SERIES_FIELDS

from .search.facets import CSV_COLUMNS, ENTITY_FACETS, FACETS
from .search.params import (
    MAX_PAGE,
    MAX_RESULTS,
    SORTS,
    DayField,
    FacetNamesField,
    PageField,
    SearchForm,
    SortField,
)

_DATE = {"type": "string", "format": "date"}
_STRINGS = {"type": "array", "items": {"type": "string"}}


def _closed(properties, **extra):
    """An object with exactly these properties."""
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False, **extra}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(name):
    return {"type": "array", "items": _ref(name)}


def _field_schema(field):
    if isinstance(field, FacetNamesField):
        return {"type": "string", "enum": list(FACETS)}
    if isinstance(field, DayField):
        return _DATE
    if isinstance(field, SortField):
        return {"type": "string", "enum": list(SORTS)}
    if isinstance(field, PageField):
        return {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
    return {"type": "string"}


def _query_parameter(name, field):
    schema = _field_schema(field)
    repeatable = isinstance(field.widget, forms.MultipleHiddenInput)
    parameter = {"name": name, "in": "query", "required": False, "description": str(field.help_text),
                 "schema": {"type": "array", "items": schema} if repeatable else schema}
    return {**parameter, "style": "form", "explode": True} if repeatable else parameter


def _path_parameter(name, schema):
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _json(schema_name, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}


def _schemas():
    summary = {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "source": {"type": "string"},
        "published_at": {"type": ["string", "null"], "format": "date-time", "description": "null: date unknown"},
        "url": {"type": "string", "description": "The article's page"},
    }
    entity_ref = {"kind": {"type": "string", "enum": [f.kind for f in ENTITY_FACETS]}, "key": {"type": "string"},
                  "name": {"type": "string"}, "url": {"type": "string"}}
    facet_value = {"value": {"type": "string", "description": "What to pass as the facet's parameter"},
                   "label": {"type": "string"}, "count": {"type": "integer"}, "selected": {"type": "boolean"}}
    entity_facets = {f.name: _list_of("FacetValue") for f in ENTITY_FACETS}
    return {
        "Error": _closed({"error": {"type": "string"}}),
        "FacetValue": _closed(facet_value),
        "DateBucket": _closed({**facet_value, "date_from": _DATE, "date_to": _DATE},
                              description="A year, month or day (value 1987, 1987-03 or 1987-03-05); "
                                          "date_from/date_to narrow the search to it."),
        "Summary": _closed(summary),
        "Hit": _closed({
            **summary,
            "title_html": {"type": "string", "description": "Escaped title, matches in <mark>"},
            "snippet": {"type": "string", "description": "Escaped body excerpt, matches in <mark>"},
            **{f.field: {**_STRINGS, "description": f"{f.plural}: " + ("ISO codes" if f is FACETS["country"]
                                                                         else "names")}
               for f in ENTITY_FACETS},
        }),
        "SearchResult": _closed({
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "pages": {"type": "integer"},
            "sort": {"type": "string", "enum": list(SORTS)},
            "hits": _list_of("Hit"),
            "facets": _closed({**{name: _list_of("FacetValue") for name in FACETS}, "date": _list_of("DateBucket")}),
            "facets_more": _closed({name: {"type": "boolean"} for name in FACETS},
                                   description="Whether a facet has more values (ask with more=<facet>)"),
            "date_unknown": {"type": "integer", "description": "Matching articles without a date"},
        }),
        "EntityRef": _closed(entity_ref),
        "Article": _closed({
            **summary,
            "original_url": {"type": "string", "description": "Where the article was published (http(s) only)"},
            "body": {"type": "string"},
            "author": {"type": "string"},
            **{f.field: _list_of("EntityRef") for f in ENTITY_FACETS},
            "related": _list_of("Summary"),
        }),
        "Entity": _closed({
            **entity_ref,
            "aliases": {**_STRINGS, "description": "The most used other ways the archive names it (at most 10)"},
            "alias_count": {"type": "integer", "description": "How many other ways in all"},
            "total": {"type": "integer"},
            "timeline": _list_of("DateBucket"),
            "date_unknown": {"type": "integer"},
            "related": _closed(entity_facets, description="Entities most often mentioned with it"),
            "latest": _list_of("Summary"),
        }),
    }


def _compare_parameters():
    """The numbered parameters of each series (the search form's own fields), the shared dates
    and the measure."""
    fields = SearchForm().fields
    series = [
        {**_query_parameter(f"{name}{number}", fields[name]),
         "description": f"Series {number}: " + str(fields[name].help_text)}
        for number in range(1, MAX_SERIES + 1) for name in SERIES_FIELDS
    ]
    dates = [{**_query_parameter(name, fields[name]), "description": str(fields[name].help_text) + " For every series."}
             for name in DATE_FIELDS]
    measure = {"name": "measure", "in": "query", "required": False, "schema": {"type": "string", "enum": list(MEASURES)},
               "description": "What the page's chart shows (count, the default, or share); the JSON and CSV have both."}
    return [*series, *dates, measure]


def _trends_schemas():
    period = {"date_from": _DATE, "date_to": _DATE, "label": {"type": "string"},
              "total": {"type": "integer", "description": "Articles of the search in the period"}}
    share = {"type": ["number", "null"], "description": "A fraction of 1; null when the period has no articles"}
    return {
        "ComparePeriod": _closed({"value": {"type": "string"}, "label": {"type": "string"}, "date_from": _DATE,
                                  "date_to": _DATE, "total": {"type": "integer", "description": "All dated articles"}}),
        "ComparePoint": _closed({"count": {"type": "integer"}, "share": share,
                                 "url": {"type": "string", "description": "The search for the series in the period"}},
                                description="One series in one period (the period of the same index)"),
        "CompareSeries": _closed({
            "label": {"type": "string"},
            "query": {"type": "string", "description": "The series as a search's query string"},
            "search_url": {"type": "string"},
            "total": {"type": "integer", "description": "Its dated articles in the range"},
            "points": _list_of("ComparePoint"),
        }),
        "CompareResult": _closed({
            "date_from": {"type": ["string", "null"], "format": "date"},
            "date_to": {"type": ["string", "null"], "format": "date"},
            "periods": _list_of("ComparePeriod"),
            "series": _list_of("CompareSeries"),
        }),
        "RisingPeriod": _closed(period),
        "RisingValue": _closed({
            "value": {"type": "string"}, "label": {"type": "string"},
            "count": {"type": "integer"}, "share": share,
            "previous_count": {"type": "integer"}, "previous_share": share,
            "url": {"type": "string", "description": "The search narrowed to it, in the period"},
        }),
        "RisingGroup": _closed({"facet": {"type": "string", "enum": [f.name for f in ENTITY_FACETS]},
                                "title": {"type": "string"}, "values": _list_of("RisingValue")}),
        "RisingResult": _closed({
            **period,
            "previous": _ref("RisingPeriod"),
            "default_period": {"type": "boolean",
                               "description": "No dates were given: the archive's last 30 days"},
            "search_url": {"type": "string"},
            "groups": _list_of("RisingGroup"),
        }),
    }


def description():
    """The OpenAPI document served at /api/openapi.json."""
    search_parameters = [_query_parameter(name, field) for name, field in SearchForm().fields.items()]
    errors = {"400": _json("Error", "Bad parameter"), "503": _json("Error", "Elasticsearch unavailable")}
    login = {"401": _json("Error", "Log in first (the site sets SEARCH_REQUIRES_LOGIN)")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "newsarchive API", "version": "1.0",
                 "description": "Search the news archive: the JSON behind the search, article and entity pages."},
        "paths": {
            "/api/search": {"get": {
                "summary": "Search articles with facets",
                "description": "Values of one facet combine with OR, different facets with AND; each facet's "
                               "counts apply every filter but its own.",
                "parameters": search_parameters,
                "responses": {"200": _json("SearchResult"), **errors, **login},
            }},
            "/api/search.csv": {"get": {
                "summary": f"The first {MAX_RESULTS:,} results of a search as CSV",
                "parameters": search_parameters,
                "responses": {"200": {"description": "CSV with columns " + ", ".join(CSV_COLUMNS),
                                      "content": {"text/csv": {"schema": {"type": "string"}}}}, **errors, **login},
            }},
            "/api/articles/{id}": {"get": {
                "summary": "One article with its entities and related articles",
                "parameters": [_path_parameter("id", {"type": "integer"})],
                "responses": {"200": _json("Article"), "404": _json("Error", "No such article"), **login},
            }},
            "/api/entities/{kind}/{key}": {"get": {
                "summary": "A person, country or organization: articles over time, co-mentioned entities, latest",
                "parameters": [_path_parameter("kind", {"type": "string", "enum": [f.kind for f in ENTITY_FACETS]}),
                               _path_parameter("key", {"type": "string"})],
                "responses": {"200": _json("Entity"), "404": _json("Error", "No such entity"),
                              "503": errors["503"], **login},
            }},
            "/api/compare": {"get": {
                "summary": f"Up to {MAX_SERIES} searches over time: articles per period and their share of all",
                "description": "Each series is a search's words and facet values, its parameters numbered "
                               "(q1=oil&country1=SA&q2=gold); every series has the same periods.",
                "parameters": _compare_parameters(),
                "responses": {"200": _json("CompareResult"), **errors, **login},
            }},
            "/api/compare.csv": {"get": {
                "summary": "The same comparison as CSV, a row per period",
                "parameters": _compare_parameters(),
                "responses": {"200": {"description": "CSV: period, date_from, date_to, all_articles, then each "
                                                     "series' articles and share",
                                      "content": {"text/csv": {"schema": {"type": "string"}}}}, **errors, **login},
            }},
            "/api/rising": {"get": {
                "summary": "People, countries and organizations whose share of a search's articles rose most",
                "description": "Against the period of the same length before the date range (without one, "
                               "the archive's last 30 days).",
                "parameters": search_parameters,
                "responses": {"200": _json("RisingResult"), **errors, **login},
            }},
            "/api/openapi.json": {"get": {"summary": "This description",
                                          "responses": {"200": {"description": "OpenAPI 3.1 JSON"}}}},
        },
        "components": {"schemas": {**_schemas(), **_trends_schemas()}},
    }
