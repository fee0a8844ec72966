"""The trends API's part of the OpenAPI description (newsarchive/openapi.py puts the apps'
parts together): compare and rising."""
from articles.search import COUNTS, ENTITY_FACETS, SearchForm
from articles.web import (
    ACCESS,
    DATE,
    ERRORS,
    closed,
    json_content,
    list_of,
    or_empty,
    query_parameter,
    ref,
    search_parameters,
)

from .params import DATE_FIELDS, MAX_SERIES, MEASURES, SERIES_FIELDS


def compare_parameters():
    """The numbered parameters of each series (the search form's own fields), the shared dates,
    what is counted and the measure."""
    fields = SearchForm().fields
    series = [
        {**query_parameter(f"{name}{number}", fields[name]),
         "description": f"Series {number}: " + str(fields[name].help_text)}
        for number in range(1, MAX_SERIES + 1) for name in SERIES_FIELDS
    ]
    dates = [{**query_parameter(name, fields[name]), "description": str(fields[name].help_text) + " For every series."}
             for name in DATE_FIELDS]
    measure = {"name": "measure", "in": "query", "required": False,
               "schema": or_empty({"type": "string", "enum": list(MEASURES)}),
               "description": "What the page's chart shows (count, the default, or share); the JSON and CSV have both."}
    count = {**query_parameter("count", fields["count"]),
             "description": "What every series and period counts: stories (the default; the versions of a story "
                            "count once) or articles."}
    return [*series, *dates, count, measure]


def schemas():
    period = {"date_from": DATE, "date_to": DATE, "label": {"type": "string"},
              "total": {"type": "integer", "description": "Articles (or stories) of the search in the period"}}
    share = {"type": ["number", "null"], "description": "A fraction of 1; null when the period has no articles"}
    counts = {"type": "string", "enum": list(COUNTS), "description": "What every count counts"}
    return {
        "ComparePeriod": closed({"value": {"type": "string"}, "label": {"type": "string"}, "date_from": DATE,
                                 "date_to": DATE, "total": {"type": "integer",
                                                            "description": "All dated articles (or stories)"}}),
        "ComparePoint": closed({"count": {"type": "integer"}, "share": share,
                                "url": {"type": "string", "description": "The search for the series in the period"}},
                               description="One series in one period (the period of the same index)"),
        "CompareSeries": closed({
            "label": {"type": "string"},
            "query": {"type": "string", "description": "The series as a search's query string"},
            "search_url": {"type": "string"},
            "total": {"type": "integer", "description": "Its dated articles (or stories: each period's, summed) in "
                                                        "the range, far dates included"},
            "points": list_of("ComparePoint"),
        }),
        "CompareFarDates": closed({
            "label": {"type": "string", "description": "Their years, as the page names them (2005, 2004–2005)"},
            "date_from": DATE, "date_to": DATE, "total": {"type": "integer", "description": "All dated articles"},
            "points": {"type": "array", "items": closed({"count": {"type": "integer"}, "share": share}),
                       "description": "Each series' articles among them (the series of the same index)"},
        }, description="Articles dated far from all the others, left off the periods as the search's timeline "
                       "leaves them off (docs/search.md, \"Dates\")"),
        "CompareResult": closed({
            "count": counts,
            "date_from": {"type": ["string", "null"], "format": "date"},
            "date_to": {"type": ["string", "null"], "format": "date"},
            "periods": list_of("ComparePeriod"),
            "series": list_of("CompareSeries"),
            "date_outliers": list_of("CompareFarDates"),
        }),
        "RisingPeriod": closed(period),
        "RisingValue": closed({
            "value": {"type": "string"}, "label": {"type": "string"},
            "count": {"type": "integer"}, "share": share,
            "previous_count": {"type": "integer"}, "previous_share": share,
            "url": {"type": "string", "description": "The search narrowed to it, in the period"},
        }),
        "RisingGroup": closed({"facet": {"type": "string", "enum": [f.name for f in ENTITY_FACETS]},
                               "title": {"type": "string"}, "values": list_of("RisingValue")}),
        "RisingResult": closed({
            "count": counts,
            **period,
            "previous": ref("RisingPeriod"),
            "default_period": {"type": "boolean",
                               "description": "No dates were given: the archive's last 30 days"},
            "min_articles": {"type": "integer", "description": "An entity is listed only when at least this many "
                                                               "of the period's articles (or stories) mention it"},
            "search_url": {"type": "string"},
            "groups": list_of("RisingGroup"),
        }),
    }


def description():
    """The trends API's endpoints and schemas: {"paths": ..., "schemas": ...}."""
    return {
        "paths": {
            "/api/compare": {"get": {
                "summary": f"Up to {MAX_SERIES} searches over time: stories (or articles) per period and their share "
                           "of all",
                "description": "Each series is a search's words and facet values, its parameters numbered "
                               "(q1=oil&country1=SA&q2=gold); every series has the same periods. Without any "
                               "series, the periods alone, with their counts of all articles.",
                "parameters": compare_parameters(),
                "responses": {"200": json_content("CompareResult"), **ERRORS, **ACCESS},
            }},
            "/api/compare.csv": {"get": {
                "summary": "The same comparison as CSV, a row per period and per group of far dates, by date",
                "parameters": compare_parameters(),
                "responses": {"200": {"description": "CSV: period, date_from, date_to, all_stories, then each "
                                                     "series' stories and share (all_articles and articles with "
                                                     "count=articles)",
                                      "content": {"text/csv": {"schema": {"type": "string"}}}}, **ERRORS, **ACCESS},
            }},
            "/api/rising": {"get": {
                "summary": "People, countries and organizations whose share of a search's articles rose most",
                "description": "Against the period of the same length before the date range (without one, "
                               "the archive's last 30 days). By story (count=stories, the default) the entities "
                               "rising most by articles are counted and ranked again by their stories.",
                "parameters": search_parameters(),
                "responses": {"200": json_content("RisingResult"), **ERRORS, **ACCESS},
            }},
        },
        "schemas": schemas(),
    }
