"""The API contract check (tests/contract.py) refuses what the description does not allow."""
from django.http import HttpResponse, JsonResponse

from ..contract import SPEC, contract_problems

VALID_ERROR = JsonResponse({"error": "No such article."}, status=404)


def test_the_description_is_valid_openapi():
    from openapi_spec_validator import validate

    validate(SPEC)


def test_a_documented_answer_passes():
    assert contract_problems("GET", "/api/articles/7", VALID_ERROR) == []


def test_a_missing_field_fails():
    problems = contract_problems("GET", "/api/articles/7", JsonResponse({}, status=404))

    assert problems == ["GET /api/articles/7: $: 'error' is a required property"]


def test_an_extra_field_fails():
    response = JsonResponse({"error": "No such article.", "debug": "trace"}, status=404)

    assert "Additional properties are not allowed" in contract_problems("GET", "/api/articles/7", response)[0]


def test_an_undocumented_status_fails():
    response = JsonResponse({"error": "boom"}, status=500)

    assert contract_problems("GET", "/api/articles/7", response) == [
        "GET /api/articles/7 answered 500, which the description does not list"
    ]


def test_the_wrong_content_type_fails():
    response = HttpResponse("<p>Not found</p>", status=404)

    assert contract_problems("GET", "/api/articles/7", response) == [
        "GET /api/articles/7 answered text/html, the description says application/json"
    ]


def test_an_entity_kind_or_key_may_hold_slashes_and_line_breaks():
    response = JsonResponse({"error": "No such entity."}, status=404)

    assert contract_problems("GET", "/api/entities/organization/AT/T", response) == []
    assert contract_problems("GET", "/api/entities/\n/xi jinping", response) == []
