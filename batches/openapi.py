"""The batch searches' part of the OpenAPI description (newsarchive/openapi.py puts the apps'
parts together): create a batch, see where it stands, read its results."""
from django.conf import settings

from articles.web import MAX_ID, closed, json_content, list_of, problem_content, ref

from .api import MAX_NAME
from .lists import FILTERS, MAX_BYTES, MAX_LINES
from .models import Batch, Line
from .results import API_PAGE_SIZE, COLUMNS

_NULLABLE_INT = {"type": ["integer", "null"]}
_NULLABLE_DAY = {"type": ["string", "null"], "format": "date"}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
       "description": "The batch's id"}
# Who may ask: the batch's owner, signed in or with their API token.
SECURITY = [{"token": []}, {"session": []}]
_NOT_SIGNED_IN = {"401": problem_content("Neither signed in nor a valid API token"),
                  "429": problem_content("Too many requests from this client: try again after Retry-After seconds")}
_NOT_YOURS = {"404": problem_content("No such batch of yours (another reader's is not shown either)")}


def schemas():
    status = closed({
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "status": {"type": "string", "enum": list(Batch.Status.values)},
        "lines": {"type": "integer", "description": "Lines read from the file"},
        "runnable": {"type": "integer", "description": "Lines that passed reading: each run searches them"},
        "done": {"type": "integer", "description": "Lines of this run searched so far"},
        "refused": {"type": "integer", "description": "Lines refused, when read or by the search"},
        "progress": {"type": "number", "minimum": 0, "maximum": 1},
        "runs": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"},
        "started_at": _NULLABLE_TIME,
        "finished_at": _NULLABLE_TIME,
        "new_since": {**_NULLABLE_TIME, "description": "When the run before started: lines count the articles "
                                                      "that arrived since as new (null on a first run)"},
        "notes": {"type": "array", "items": {"type": "string"}, "description": "About the file as a whole"},
        "url": {"type": "string", "description": "The batch's page"},
        "status_url": {"type": "string"},
        "results_url": {"type": "string"},
        "csv_url": {"type": "string"},
        "xlsx_url": {"type": "string"},
    })
    counted = {"type": "integer"}
    return {
        "BatchStatus": status,
        "BatchList": closed({"batches": list_of("BatchStatus")}),
        "BatchLine": closed({
            "line": {"type": "integer", "description": "Its line in the file"},
            "query": {"type": "string"},
            **{name: {"type": "string"} for name in FILTERS},
            "status": {"type": "string", "enum": list(Line.Status.values)},
            "error": {"type": "string", "description": "Why it was refused; empty otherwise"},
            "hits": {**_NULLABLE_INT, "description": "Articles it finds, with those of any entity it names"},
            "stories": {**_NULLABLE_INT, "description": "The stories those articles are versions of (exact up to "
                                                       "about 40,000, estimated above)"},
            "new": {**_NULLABLE_INT, "description": "Of those, the articles that arrived since the run before "
                                                   "started (null on a first run)"},
            "previous_hits": {**_NULLABLE_INT, "description": "Articles it found on the run before"},
            "first_seen": _NULLABLE_DAY,
            "last_seen": _NULLABLE_DAY,
            "sources": {"type": "array", "items": closed({"name": {"type": "string"}, "count": counted}),
                        "description": "Its top sources"},
            "entities": {"type": "array", "items": closed({"kind": {"type": "string"}, "id": {"type": "string"},
                                                           "label": {"type": "string"}, "count": counted}),
                         "description": "The entities most often mentioned in its articles"},
            "named": {"type": "array", "items": closed({"kind": {"type": "string"}, "id": {"type": "string"},
                                                        "label": {"type": "string"}}),
                      "description": "The entities it names, whose articles it also finds"},
            "search_url": {"type": ["string", "null"], "description": "Its search page (without the entities it names)"},
        }),
        "BatchResults": closed({"batch": ref("BatchStatus"), "page": counted, "pages": counted,
                                "lines": list_of("BatchLine")}),
    }


def _download(kind, media_type):
    return {"get": {
        "summary": f"A batch's results as {kind}, a row per line",
        "parameters": [_ID], "security": SECURITY,
        "responses": {"200": {"description": f"{kind} with columns " + ", ".join(COLUMNS),
                              "content": {media_type: {"schema": {"type": "string"}}}},
                      **_NOT_YOURS, **_NOT_SIGNED_IN},
    }}


def description():
    """The batch API's endpoints, schemas and security schemes."""
    return {
        # The longer addresses first: tests/contract.py takes the first whose pattern matches.
        "paths": {
            "/api/batches/{id}/results.csv": _download("CSV", "text/csv"),
            "/api/batches/{id}/results.xlsx": _download(
                "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "/api/batches/{id}/results": {"get": {
                "summary": f"A batch's lines and what each finds, {API_PAGE_SIZE:,} lines a page, in line order",
                "parameters": [_ID, {"name": "page", "in": "query", "required": False,
                                     "schema": {"type": "integer", "minimum": 1}}],
                "security": SECURITY,
                "responses": {"200": json_content("BatchResults"),
                              "400": problem_content("Bad parameter", "ParameterProblem"),
                              "404": problem_content("No such batch of yours, or a page past the last"),
                              **_NOT_SIGNED_IN},
            }},
            "/api/batches/{id}": {"get": {
                "summary": "Where a batch stands", "parameters": [_ID], "security": SECURITY,
                "responses": {"200": json_content("BatchStatus"), **_NOT_YOURS, **_NOT_SIGNED_IN},
            }},
            "/api/batches": {
                "get": {"summary": "Your batch searches, newest first (at most 100)", "security": SECURITY,
                        "responses": {"200": json_content("BatchList"), **_NOT_SIGNED_IN}},
                "post": {
                    "summary": "Search the archive for every line of a list, in the background",
                    "description": f"A plain-text file is one search per line; a .csv file has a header row naming "
                                   f"the column query and, optionally, {', '.join(FILTERS)}. At most {MAX_LINES:,} "
                                   f"lines and {MAX_BYTES // 2**20} MB. Lines that cannot be searched are refused "
                                   "one by one; the others run. A signed-in browser sends its CSRF token.",
                    "security": SECURITY,
                    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                        "type": "object", "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"},
                                       "name": {"type": "string", "maxLength": MAX_NAME, "pattern": "^[^\\u0000]*$",
                                                "description": "The batch's name (the file's by default)"}}}}}},
                    "responses": {"201": {**json_content("BatchStatus", "Created: it runs in the background"),
                                          "headers": {"Location": {"schema": {"type": "string"}}}},
                                  "400": problem_content("The file cannot be read as a list", "ParameterProblem"),
                                  "403": problem_content("A signed-in browser's POST without its CSRF token"),
                                  **_NOT_SIGNED_IN},
                },
            },
        },
        "schemas": schemas(),
        "security_schemes": {
            "token": {"type": "http", "scheme": "bearer",
                      "description": "Your API token, from your Batch search page (changing your password revokes it)"},
            "session": {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                        "description": "A signed-in browser's session"},
        },
    }
