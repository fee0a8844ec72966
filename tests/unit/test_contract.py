"""The API contract check (tests/contract.py) refuses what the description does not allow,
and the description states exactly what the parameters accept."""
import json
import re
from datetime import date, timedelta

from django.http import HttpResponse, JsonResponse

from articles.search.params import LAST_DATE
from articles.web.decorators import problem
from articles.web.openapi import _DAY_PATTERN

from ..contract import SPEC, contract_problems

NOT_FOUND = problem(404, "No such article.")


def test_the_description_is_valid_openapi():
    from openapi_spec_validator import validate

    validate(SPEC)


def test_a_documented_problem_passes():
    assert contract_problems("GET", "/api/articles/7", NOT_FOUND) == []


def test_a_bad_parameter_problem_lists_each_parameter():
    message = "page must be a whole number from 1 to 500."
    response = problem(400, message, [("page", message)])

    assert contract_problems("GET", "/api/search", response) == []
    assert json.loads(response.content)["errors"] == [{"parameter": "page", "detail": message}]


def test_a_problem_is_rfc_9457_problem_details():
    assert NOT_FOUND["Content-Type"] == "application/problem+json"
    assert json.loads(NOT_FOUND.content) == {"type": "about:blank", "title": "Not Found", "status": 404,
                                "detail": "No such article."}


def test_a_missing_field_fails():
    response = HttpResponse(b"{}", status=404, content_type="application/problem+json")

    assert "'type' is a required property" in contract_problems("GET", "/api/articles/7", response)[0]


def test_an_extra_field_fails():
    response = HttpResponse(NOT_FOUND.content[:-1] + b',"debug":"trace"}', status=404,
                            content_type="application/problem+json")

    assert "Additional properties are not allowed" in contract_problems("GET", "/api/articles/7", response)[0]


def test_an_undocumented_status_fails():
    response = problem(500, "boom")

    assert contract_problems("GET", "/api/articles/7", response) == [
        "GET /api/articles/7 answered 500, which the description does not list"
    ]


def test_the_wrong_content_type_fails():
    assert contract_problems("GET", "/api/articles/7", HttpResponse("<p>Not found</p>", status=404)) == [
        "GET /api/articles/7 answered text/html, the description says application/problem+json"
    ]
    assert contract_problems("GET", "/api/articles/7", JsonResponse({"error": "No such article."}, status=404)) == [
        "GET /api/articles/7 answered application/json, the description says application/problem+json"
    ]


def test_an_undeclared_method_must_be_a_405_problem_with_allow():
    refused = problem(405, "POST is not allowed here: the API only reads (GET).")
    refused["Allow"] = "GET, HEAD"

    assert contract_problems("POST", "/api/search", refused) == []
    assert contract_problems("POST", "/api/search", HttpResponse("CSRF", status=403)) == [
        "POST /api/search answered 403 text/html; charset=utf-8, not a 405 problem",
        "POST /api/search: Allow is '', not 'GET, HEAD'",
    ]


def test_an_address_the_description_does_not_name_must_be_a_404_problem():
    assert contract_problems("GET", "/api/nothing", problem(404, "No API endpoint")) == []
    assert contract_problems("GET", "/api/nothing", HttpResponse("<p>Not found</p>", status=404)) == [
        "GET /api/nothing answered 404 text/html; charset=utf-8, not a 404 problem"
    ]


def test_an_entity_kind_or_key_may_hold_slashes_and_line_breaks():
    response = problem(404, "No such entity.")

    assert contract_problems("GET", "/api/entities/organization/AT/T", response) == []
    assert contract_problems("GET", "/api/entities/\n/xi jinping", response) == []


def test_the_day_pattern_takes_the_years_the_search_form_takes():
    accepted = [date(1, 1, 1), date(999, 12, 31), date(1987, 3, 5), LAST_DATE]
    refused = ["0000-01-01", "9999-01-01", (LAST_DATE + timedelta(days=1)).isoformat()]

    assert all(re.fullmatch(_DAY_PATTERN, day.isoformat()) for day in accepted)
    assert not any(re.fullmatch(_DAY_PATTERN, text) for text in refused)
