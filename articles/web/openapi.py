"""The search API's part of the OpenAPI 3.1 description (newsarchive/openapi.py puts the
apps' parts together), made from the code it describes, and the helpers the parts share.

The search parameters come from the search form's fields (their help texts are the
documentation), the facets from the facet registry. The response schemas are closed
(every field required, no other field allowed) and the tests check every API
response they receive against them, so the description cannot drift from the views.
"""
from django import forms

from articles import datewindow
from articles.search.facets import CSV_COLUMNS, ENTITY_FACETS, FACETS
from articles.search.params import (
    COUNTS,
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    MAX_VALUE_LENGTH,
    MAX_VALUES_PER_FACET,
    PAGE_SIZES,
    SORTS,
    CountField,
    DayField,
    FacetNamesField,
    PageField,
    PageSizeField,
    QueryField,
    SearchForm,
    SortField,
    StoryField,
    SwitchField,
    ThreadField,
    ValuesField,
)
from articles.web.decorators import PROBLEM_TYPE
from articles.web.exports import CSV_TYPE, JSON_LINES_TYPE, TOTAL_HEADER
from articles.web.lookups import MAX_ID

DATE = {"type": "string", "format": "date"}
_STRINGS = {"type": "array", "items": {"type": "string"}}
# Years 0001 to 9998 (the year of LAST_DATE): JSON Schema compares no dates, so a pattern bounds them.
_DAY_PATTERN = ("^(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"
                "-[0-9]{2}-[0-9]{2}$")
_NO_NUL = "^[^\\u0000]*$"  # PostgreSQL stores no NUL, so no value with one can match
_STORY_KEY = "^[as][1-9][0-9]{0,17}$"  # `stories.is_key`: s or a, and an id that fits a bigint


def closed(properties, **extra):
    """An object with exactly these properties."""
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False, **extra}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def list_of(name):
    return {"type": "array", "items": ref(name)}


def or_empty(schema):
    """A value of `schema`, or nothing at all (`name=`, as an empty form field sends it): unset."""
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


def _values(items):
    return {"type": "array", "items": items, "maxItems": MAX_VALUES_PER_FACET}


def _field_schema(field):
    """Exactly the values the search form's field accepts."""
    if isinstance(field, FacetNamesField):
        return _values(or_empty({"type": "string", "enum": list(FACETS)}))  # more= (empty) lists none
    if isinstance(field, StoryField):
        return _values({"type": "string", "pattern": _STORY_KEY})
    if isinstance(field, ValuesField):
        return _values({"type": "string", "maxLength": MAX_VALUE_LENGTH, "pattern": _NO_NUL})
    if isinstance(field, DayField):
        return or_empty({**DATE, "pattern": _DAY_PATTERN})
    if isinstance(field, CountField):
        return or_empty({"type": "string", "enum": list(COUNTS)})
    if isinstance(field, ThreadField):
        return or_empty({"type": "string", "pattern": _STORY_KEY})
    if isinstance(field, SortField):
        return or_empty({"type": "string", "enum": list(SORTS)})
    if isinstance(field, PageField):
        return or_empty({"type": "integer", "minimum": 1, "maximum": MAX_PAGE})
    if isinstance(field, PageSizeField):
        return or_empty({"type": "integer", "enum": list(PAGE_SIZES)})
    if isinstance(field, SwitchField):
        return or_empty({"type": "integer", "enum": [0, 1]})
    if isinstance(field, QueryField):
        return {"type": "string", "maxLength": MAX_QUERY_LENGTH}
    raise TypeError(f"No schema for {type(field).__name__}")


def query_parameter(name, field):
    schema = _field_schema(field)
    parameter = {"name": name, "in": "query", "required": False, "description": str(field.help_text),
                 "schema": schema}
    repeatable = isinstance(field.widget, forms.MultipleHiddenInput)
    return {**parameter, "style": "form", "explode": True} if repeatable else parameter


def _path_parameter(name, schema):
    return {"name": name, "in": "path", "required": True, "schema": schema}


def json_content(schema_name, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": ref(schema_name)}}}


def problem_content(description, schema_name="Problem"):
    return {"description": description, "content": {PROBLEM_TYPE: {"schema": ref(schema_name)}}}


def _schemas():
    summary = {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "source": {"type": "string"},
        "published_at": {"type": ["string", "null"], "format": "date-time", "description": "null: date unknown"},
        "url": {"type": "string", "description": "The article's page"},
    }
    entity_ref = {"kind": {"type": "string", "enum": [f.kind for f in ENTITY_FACETS]},
                  "id": {"type": "string", "description": "The entity's stable id (ISO code for a country): what "
                                                          "its facet parameter takes; no rename or merge changes it"},
                  "name": {"type": "string"}, "url": {"type": "string"}}
    labelled = {"id": {"type": "string", "description": "The entity's stable id"}, "label": {"type": "string"}}
    story = {"type": "string", "pattern": _STORY_KEY,
             "description": "The story the article is a version of (s12; a34 for an article in no story): "
                            "story=<it> lists its versions"}
    country = {"id": {"type": "string", "description": "The country's code"}, "label": {"type": "string"},
               "url": {"type": ["string", "null"], "description": "Its page; null when no article names it"}}
    facet_value = {"value": {"type": "string", "description": "What to pass as the facet's parameter"},
                   "label": {"type": "string"}, "count": {"type": "integer"}, "selected": {"type": "boolean"}}
    entity_facets = {f.name: list_of("FacetValue") for f in ENTITY_FACETS}
    problem = {"type": {"type": "string", "const": "about:blank"},
               "title": {"type": "string", "description": "The status's phrase"},
               "status": {"type": "integer"}, "detail": {"type": "string", "description": "What went wrong, "
                                                                                          "for a person"}}
    bad_parameter = closed({"parameter": {"type": "string"}, "detail": {"type": "string"}})
    return {
        "Problem": closed(problem, description="RFC 9457 problem details: every error of the API"),
        "ParameterProblem": closed({**problem, "errors": {"type": "array", "items": bad_parameter,
                                                          "description": "Each bad parameter's problems"}},
                                   description="RFC 9457 problem details of a request with bad parameters"),
        "FacetValue": closed(facet_value),
        "DateBucket": closed({**facet_value, "date_from": DATE, "date_to": DATE},
                             description="A year, month or day (value 1987, 1987-03 or 1987-03-05); "
                                         "date_from/date_to narrow the search to it."),
        "DateOutliers": closed({"label": {"type": "string", "description": "Their year, or first and last years"},
                                "count": {"type": "integer"}, "date_from": DATE, "date_to": DATE},
                               description="Articles dated far from all the others, left out of the timeline "
                                           "(docs/search.md, \"Dates\"); date_from/date_to select them."),
        "Summary": closed(summary),
        "Hit": closed({
            **summary,
            "title_html": {"type": "string", "description": "Escaped title, matches in <mark>"},
            "snippet": {"type": "string", "description": "Escaped body excerpt, matches in <mark>"},
            **{f.field: {"type": "array", "items": closed(labelled), "description": f.plural}
               for f in ENTITY_FACETS},
            "story": story,
            "versions": {"type": "integer", "minimum": 1,
                         "description": "How many versions of its story the search finds (by story; else 1)"},
        }),
        "SearchResult": closed({
            "total": {"type": "integer", "description": "Results: stories by story (count=stories), else articles"},
            "articles": {"type": "integer", "description": "Matching articles"},
            "count": {"type": "string", "enum": list(COUNTS),
                      "description": "What hits, total, pages and every count are of (articles within story=)"},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "pages": {"type": "integer"},
            "sort": {"type": "string", "enum": list(SORTS)},
            "hits": list_of("Hit"),
            "facets": closed({**{name: list_of("FacetValue") for name in FACETS}, "date": list_of("DateBucket")}),
            "facets_more": closed({name: {"type": "boolean"} for name in FACETS},
                                  description="Whether a facet has more values (ask with more=<facet>)"),
            "date_unknown": {"type": "integer", "description": "Matching articles without a date, counted under "
                                                               "every filter but the dates (undated=1 selects them)"},
            "date_outliers": {**list_of("DateOutliers"), "description": "Far dates before, then after, the "
                                                                        "periods of facets.date"},
        }),
        "ExportRow": closed({
            **summary,
            "url": {"type": "string", "description": "The article's page, an absolute URL"},
            **{f.field: {"type": "array", "items": closed(labelled), "description": f.plural}
               for f in ENTITY_FACETS},
            "story": story,
        }, description="One line of /api/search.jsonl (the columns of /api/search.csv, typed)"),
        "EntityRef": closed(entity_ref),
        "Article": closed({
            **summary,
            "original_url": {"type": "string", "description": "Where the article was published (http(s) only)"},
            "body": {"type": "string"},
            "author": {"type": "string"},
            **{f.field: list_of("EntityRef") for f in ENTITY_FACETS},
            "related": list_of("Summary"),
            "story": {"type": "string", "description": "The story it is a version of (s12; a7 for an article not "
                                                       "placed in one): what thread= takes"},
            "canonical_id": {"type": ["integer", "null"], "description": "The story's canonical version (its "
                                                                         "earliest full one); null when it has none"},
            "versions": {**list_of("Version"), "description": "The story's other versions, oldest first, undated "
                                                              "last (at most 50)"},
            "more_versions": {"type": "integer", "description": "Other versions not listed"},
        }),
        "Version": closed({**summary, "canonical": {"type": "boolean", "description": "The story's canonical "
                                                                                       "version"}}),
        "Entity": closed({
            **entity_ref,
            "aliases": {**_STRINGS, "description": "The most used other ways the archive names it (at most 10)"},
            "alias_count": {"type": "integer", "description": "How many other ways in all"},
            "successors": {"type": "array", "items": closed(country),
                           "description": "A historical state's successors (the Soviet Union: Russia, Ukraine, ...); "
                                          "search them with it by successors=1"},
            "predecessors": {"type": "array", "items": closed(country),
                             "description": "The historical states a country succeeded (Germany: East and West "
                                            "Germany)"},
            "total": {"type": "integer"},
            "timeline": list_of("DateBucket"),
            "date_unknown": {"type": "integer"},
            "date_outliers": {**list_of("DateOutliers"), "description": "Far dates before, then after, the "
                                                                        "timeline's periods"},
            "related": closed(entity_facets, description="Entities most often mentioned with it"),
            "latest": list_of("Summary"),
        }),
    }


def search_parameters():
    """The search form's fields as query parameters (their help texts are the documentation)."""
    return [query_parameter(name, field) for name, field in SearchForm().fields.items()]


ERRORS = {"400": problem_content("Bad parameter", "ParameterProblem"),
          "503": problem_content("Elasticsearch unavailable")}
# Who may ask: signed-in readers only where the site says so; each client at its rate (settings.RATE_LIMITS).
ACCESS = {"401": problem_content("Log in first (the site sets SEARCH_REQUIRES_LOGIN)"),
          "429": problem_content("Too many requests from this client: try again after Retry-After seconds")}


def _export(name, content_type, content, parameters):
    """An export's operation: every result of the search, streamed."""
    return {"get": {
        "summary": f"Every result of a search as {name}, however many, streamed",
        "description": "The search's parameters and order (page, page_size and count play no part: a row per "
                       "article, every version of a story, its story in a column). The rows are the "
                       "matches as they were when the export began; X-Total-Count says how many there are, so a "
                       "download cut off midway shows. Each export counts as one request against the API's rate.",
        "parameters": parameters,
        "responses": {"200": {"description": content,
                              "headers": {TOTAL_HEADER: {"required": True, "description": "How many rows follow",
                                                         "schema": {"type": "integer", "minimum": 0}}},
                              "content": {content_type.split(";")[0]: {"schema": {"type": "string"}}}},
                      **ERRORS, **ACCESS},
    }}


def description():
    """The search API's endpoints and schemas: {"paths": ..., "schemas": ...}."""
    parameters = search_parameters()
    return {
        "paths": {
            "/api/search": {"get": {
                "summary": "Search articles with facets",
                "description": "Values of one facet combine with OR, different facets with AND; each facet's "
                               "counts apply every filter but its own. Articles are dated "
                               f"{datewindow.describe()}: a date range outside that selects none.",
                "parameters": parameters,
                "responses": {"200": json_content("SearchResult"), **ERRORS,
                              "404": problem_content("The page is past the last page of results"), **ACCESS},
            }},
            "/api/search.csv": _export("CSV", CSV_TYPE, "CSV with a header and these columns: "
                                       + ", ".join(CSV_COLUMNS) + "; entities by their labels, joined by \"; \"",
                                       parameters),
            "/api/search.jsonl": _export("JSON Lines", JSON_LINES_TYPE, "JSON Lines: one ExportRow object per line",
                                         parameters),
            "/api/articles/{id}": {"get": {
                "summary": "One article with its entities, related articles and the other versions of its story",
                "parameters": [_path_parameter("id", {"type": "integer", "minimum": 1, "maximum": MAX_ID})],
                "responses": {"200": json_content("Article"), "404": problem_content("No such article"), **ACCESS},
            }},
            "/api/entities/{kind}/{id}": {"get": {
                "summary": "A person, country or organization: articles over time, co-mentioned entities, latest",
                "parameters": [_path_parameter("kind", {"type": "string", "enum": [f.kind for f in ENTITY_FACETS]}),
                               {**_path_parameter("id", {"type": "string", "minLength": 1}),
                                "description": "The entity's id; a name is redirected to its id, and so is the "
                                               "id of an entity merged into another"}],
                "responses": {"200": json_content("Entity"), "302": {"description": "See the entity's current id"},
                              "404": problem_content("No such entity"),
                              "503": ERRORS["503"], **ACCESS},
            }},
        },
        "schemas": _schemas(),
    }
