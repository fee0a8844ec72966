"""The API's answers checked against its OpenAPI description (newsarchive/openapi.py).

Every request the tests send to an API view through `ContractClient` (the `client`
fixture is one) is checked: a status the description does not list for that endpoint,
or a JSON body its schema does not allow (a missing, extra or mistyped field), fails
the test that received it.
"""
import json
import re

from django.test import Client
from django.urls import Resolver404, resolve
from jsonschema import Draft202012Validator

from newsarchive.openapi import description

SPEC = description()


def _pattern(template):
    """"/api/entities/{kind}/{key}" -> a regex; a key may hold slashes (a path converter)."""
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join(".+?" if p.startswith("{") else re.escape(p) for p in parts) + "$", re.DOTALL)


_ENDPOINTS = [(_pattern(template), operations) for template, operations in SPEC["paths"].items()]


def contract_problems(method, path, response):
    """What the response to `method path` breaks of the description; [] when it keeps to it."""
    operations = next((ops for pattern, ops in _ENDPOINTS if pattern.match(path)), None)
    if operations is None:
        return [f"{path} is not in the description"]
    operation = operations.get(method.lower())
    if operation is None:
        return [f"{method} {path} is not in the description"]
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        return [f"{method} {path} answered {response.status_code}, which the description does not list"]
    content_type = response["Content-Type"].split(";")[0]
    content = documented.get("content", {})
    if content and content_type not in content:
        return [f"{method} {path} answered {content_type}, the description says {', '.join(content)}"]
    if content_type != "application/json" or "schema" not in content.get(content_type, {}):
        return []
    schema = {**content[content_type]["schema"], "components": SPEC["components"]}
    return [f"{method} {path}: {error.json_path}: {error.message}"
            for error in Draft202012Validator(schema).iter_errors(json.loads(response.content))]


def is_api_view(path):
    if not path.startswith("/api/"):
        return False
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


class ContractClient(Client):
    """Django's test client, checking every answer of an API view against the description."""

    def request(self, **request):
        response = super().request(**request)
        path = request["PATH_INFO"]
        if is_api_view(path):
            problems = contract_problems(request["REQUEST_METHOD"], path, response)
            assert not problems, "\n".join(problems)
        return response
