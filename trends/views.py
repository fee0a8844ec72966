"""Thin HTML views of the trends: the compare and rising pages.

Access and errors (400, 503) are handled by the articles app's `html_page`, as for search.
"""
from datetime import date

from django.urls import reverse

from articles.search import SearchParams, parse_search_params, query_params
from articles.web import html_page

from . import services
from .pages import compare_page_context, rising_page_context
from .params import CompareParams, parse_compare_params


@html_page("trends/compare.html")
def compare_page(request, context):
    path = reverse("trends:compare")
    context.update(compare_page_context(CompareParams(), None, path))  # an empty form on bad parameters
    params = parse_compare_params(query_params(request))
    context.update(compare_page_context(params, None, path))  # the series' form if the search fails
    if params.series:
        result = services.compare(params, reverse("articles:search"))
        context.update(compare_page_context(params, result, path))


@html_page("trends/rising.html")
def rising_page(request, context):
    context["params"] = SearchParams()
    params = context["params"] = parse_search_params(query_params(request))
    rising = services.rising(params, reverse("articles:search"), date.today())
    context.update(rising_page_context(params, rising, reverse("trends:rising")))
