"""Web: the reader's pages, the JSON API and its OpenAPI description. following/, trends/ and
the project's URLs build their pages and endpoints with what this door exports."""
from articles.web.decorators import api_not_found, html_page, json_endpoint, json_response, problem, read_only
from articles.web.exports import csv_cell
from articles.web.lookups import MAX_ID
from articles.web.openapi import (
    ACCESS,
    DATE,
    ERRORS,
    closed,
    json_content,
    list_of,
    or_empty,
    problem_content,
    query_parameter,
    ref,
    search_parameters,
)
from articles.web.openapi import description as api_description

__all__ = [
    "ACCESS", "DATE", "ERRORS", "MAX_ID", "api_description", "api_not_found", "closed", "csv_cell", "html_page",
    "json_content", "json_endpoint",
    "json_response", "list_of", "or_empty", "problem", "problem_content", "query_parameter", "read_only", "ref", "search_parameters",
]
