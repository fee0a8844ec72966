"""The API's OpenAPI 3.1 description, served at /api/openapi.json: each app describes its own
endpoints and schemas (articles/web/openapi.py, trends/openapi.py, batches/openapi.py), made from
the code they describe; the project puts them together.

The response schemas are closed (every field required, no other field allowed) and the tests
check every API response they receive against them, so the description cannot drift from the
views.
"""
from articles.web import api_description, json_response, read_only
from batches import openapi as batches_api
from trends import openapi as trends_api


def description():
    parts = [api_description(), trends_api.description(), batches_api.description()]
    return {
        "openapi": "3.1.0",
        "info": {"title": "newsarchive API", "version": "1.0",
                 "description": "Search the news archive: the JSON behind the search, article and entity pages. "
                                "Every endpoint only reads, but for creating a batch search (POST /api/batches, "
                                "a signed-in reader's): another method is a 405 with an Allow header, and every "
                                "error is RFC 9457 problem details (application/problem+json), as is a 404 for "
                                "any other /api/ address."},
        "paths": {
            **{path: item for part in parts for path, item in part["paths"].items()},
            "/api/openapi.json": {"get": {"summary": "This description", "responses": {"200": {
                "description": "OpenAPI 3.1 JSON", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        },
        "components": {
            "schemas": {name: schema for part in parts for name, schema in part["schemas"].items()},
            "securitySchemes": {name: scheme for part in parts for name, scheme in part.get("security_schemes", {}).items()},
        },
    }


@read_only
def openapi_json(request):
    return json_response(description())
