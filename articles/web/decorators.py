"""What every search view shares: who may use it, and what a failure looks like.

A bad parameter is a 400, a page past the results a 404 and an unavailable Elasticsearch
a 503, never a 500: on the HTML pages as the page's own template with the message, in
the JSON API as RFC 9457 problem details (`problem`). SEARCH_REQUIRES_LOGIN closes both
to anonymous visitors.
"""
from functools import wraps
from http import HTTPStatus

import orjson
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from articles.search import UNAVAILABLE, SearchParamError

UNAVAILABLE_MESSAGE = "Search is unavailable right now. Please try again in a minute."


def _login_needed(request):
    return settings.SEARCH_REQUIRES_LOGIN and not request.user.is_authenticated


def html_page(template):
    """For a view that fills the context dict it is given; renders `template` with it
    (or a view may return a finished response, such as a redirect).

    On a failure the same template shows the error with what the view had filled so
    far (the words searched for, the entity), with the error's status (400, or 404 for a
    page past the results) or 503.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if _login_needed(request):
                return redirect_to_login(request.get_full_path())
            context = {}
            try:
                response = view(request, context, *args, **kwargs)
            except SearchParamError as exc:
                return render(request, template, {**context, "error": str(exc)}, status=exc.status)
            except UNAVAILABLE:
                return render(request, template, {**context, "error": UNAVAILABLE_MESSAGE}, status=503)
            return response or render(request, template, context)

        return wrapped

    return decorator


_DJANGO_JSON = DjangoJSONEncoder()
PROBLEM_TYPE = "application/problem+json"
READ_METHODS = ("GET", "HEAD")


def json_response(data, status=200, content_type="application/json"):
    """`data` as JSON with JsonResponse's conversions (DjangoJSONEncoder: dates, times,
    decimals, lazy text), written by orjson: JsonResponse's standard json module was a
    visible share of /api/search's CPU when sampled (docs/performance.md, "Search path")."""
    body = orjson.dumps(data, default=_DJANGO_JSON.default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    return HttpResponse(body, status=status, content_type=content_type)


def problem(status, detail, errors=None):
    """The API's one error answer: RFC 9457 problem details. The type is about:blank, so the
    title is the status's own phrase; a 400 lists each bad parameter in `errors`."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = [{"parameter": name, "detail": message} for name, message in errors]
    return json_response(body, status=status, content_type=PROBLEM_TYPE)


def read_only(view):
    """For an API view that only reads: any method but GET and HEAD is a 405 problem with
    an Allow header.

    CSRF protection is off (csrf_exempt) because such a view changes nothing: a forged
    request could only read what the page shows anyway, and CsrfViewMiddleware would
    otherwise answer an undeclared POST with its 403 page before the 405.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            response = problem(405, f"{request.method} is not allowed here: the API only reads (GET).")
            response["Allow"] = ", ".join(READ_METHODS)
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def json_endpoint(view):
    """For a read-only API view that returns a dict (sent as JSON) or a finished response;
    every failure is a problem (`problem`)."""

    @read_only
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if _login_needed(request):
            return problem(401, "Log in to use the search.")
        try:
            result = view(request, *args, **kwargs)
        except SearchParamError as exc:
            return problem(exc.status, str(exc), exc.errors if exc.status == 400 else None)
        except UNAVAILABLE:
            return problem(503, UNAVAILABLE_MESSAGE)
        except Http404 as exc:
            return problem(404, str(exc))
        return result if isinstance(result, HttpResponseBase) else json_response(result)

    return wrapped


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """An /api/ address that names no endpoint: a 404 problem, not the site's HTML page
    (CSRF off, as for the endpoints: it changes nothing)."""
    return problem(404, f"No API endpoint at {request.path}; see /api/openapi.json.")
