"""The API's answers checked against its OpenAPI description (newsarchive/openapi.py).

Every request the tests send to an /api/ address through `ContractClient` (the `client`
fixture is one) is checked: a status the description does not list for that endpoint,
or a body its schema does not allow (a missing, extra or mistyped field), fails the
test that received it. An undeclared method must get a 405 problem with an Allow
header, and an address the description does not name a 404 problem.
"""
import json
import re

from django.test import Client
from jsonschema import Draft202012Validator

from newsarchive.openapi import description

SPEC = description()
PROBLEM = "application/problem+json"
JSON_TYPES = ("application/json", PROBLEM)


def _pattern(template):
    """"/api/entities/{kind}/{key}" -> a regex; a key may hold slashes (a path converter)."""
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join(".+?" if p.startswith("{") else re.escape(p) for p in parts) + "$", re.DOTALL)


_ENDPOINTS = [(_pattern(template), operations) for template, operations in SPEC["paths"].items()]


def _schema_problems(where, schema, response):
    schema = {**schema, "components": SPEC["components"]}
    return [f"{where}: {error.json_path}: {error.message}"
            for error in Draft202012Validator(schema).iter_errors(json.loads(response.content))]


def _problem_answer(where, response, status):
    """What keeps `response` from being a `status` problem (the answers no operation lists)."""
    if response.status_code != status or response["Content-Type"] != PROBLEM:
        return [f"{where} answered {response.status_code} {response['Content-Type']}, not a {status} problem"]
    return _schema_problems(where, {"$ref": "#/components/schemas/Problem"}, response)


def contract_problems(method, path, response):
    """What the response to `method path` breaks of the description; [] when it keeps to it."""
    where = f"{method} {path}"
    operations = next((ops for pattern, ops in _ENDPOINTS if pattern.match(path)), None)
    if operations is None:
        return _problem_answer(where, response, 404)
    operation = operations.get(method.lower())
    if operation is None and method != "HEAD":
        allowed = response.get("Allow", "")
        expected = ", ".join([m.upper() for m in operations] + ["HEAD"])
        missing_allow = [] if allowed == expected else [f"{where}: Allow is {allowed!r}, not {expected!r}"]
        return _problem_answer(where, response, 405) + missing_allow
    operation = operation or operations["get"]
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        return [f"{where} answered {response.status_code}, which the description does not list"]
    content_type = response["Content-Type"].split(";")[0]
    content = documented.get("content", {})
    if content and content_type not in content:
        return [f"{where} answered {content_type}, the description says {', '.join(content)}"]
    if method == "HEAD" or content_type not in JSON_TYPES or "schema" not in content.get(content_type, {}):
        return []
    return _schema_problems(where, content[content_type]["schema"], response)


class ContractClient(Client):
    """Django's test client, checking every answer at an /api/ address against the description."""

    def request(self, **request):
        response = super().request(**request)
        path = request["PATH_INFO"]
        if path.startswith("/api/"):
            problems = contract_problems(request["REQUEST_METHOD"], path, response)
            assert not problems, "\n".join(problems)
        return response
