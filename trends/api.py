"""The trends as JSON and CSV: the same results as the pages.

Methods, access and errors (400, 405, 503 as problem details) are handled by the articles app's
`json_endpoint`.
"""
from datetime import date

from django.http import HttpResponse
from django.urls import reverse

from articles.search import parse_search_params, query_params
from articles.web import json_endpoint

from . import services
from .export import compare_csv
from .params import parse_compare_params


def _compare(request):
    return services.compare(parse_compare_params(query_params(request)), reverse("articles:search"))


@json_endpoint
def compare_api(request):
    return _compare(request)


@json_endpoint
def compare_csv_api(request):
    response = HttpResponse(compare_csv(_compare(request)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="newsarchive-compare.csv"'
    return response


@json_endpoint
def rising_api(request):
    params = parse_search_params(query_params(request))
    return services.rising(params, reverse("articles:search"), date.today())
