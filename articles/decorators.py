"""What every search view shares: who may use it, and what a failure looks like.

A bad parameter is a 400 and an unavailable Elasticsearch a 503, never a 500: on the
HTML pages as the page's own template with the message, in the JSON API as
{"error": message}. SEARCH_REQUIRES_LOGIN closes both to anonymous visitors.
"""
from functools import wraps

import orjson
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from .search import UNAVAILABLE, SearchParamError

UNAVAILABLE_MESSAGE = "Search is unavailable right now. Please try again in a minute."


def _login_needed(request):
    return settings.SEARCH_REQUIRES_LOGIN and not request.user.is_authenticated


def html_page(template):
    """For a view that fills the context dict it is given; renders `template` with it
    (or a view may return a finished response, such as a redirect).

    On a failure the same template shows the error with what the view had filled so
    far (the words searched for, the entity), with status 400 or 503.
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
                return render(request, template, {**context, "error": str(exc)}, status=400)
            except UNAVAILABLE:
                return render(request, template, {**context, "error": UNAVAILABLE_MESSAGE}, status=503)
            return response or render(request, template, context)

        return wrapped

    return decorator


_DJANGO_JSON = DjangoJSONEncoder()


def json_response(data, status=200):
    """`data` as JSON with JsonResponse's conversions (DjangoJSONEncoder: dates, times,
    decimals, lazy text), written by orjson: JsonResponse's standard json module took 5% of
    py-spy's samples of /api/search requests served through the WSGI handler."""
    body = orjson.dumps(data, default=_DJANGO_JSON.default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    return HttpResponse(body, status=status, content_type="application/json")


def json_error(message, status):
    return json_response({"error": message}, status=status)


def json_endpoint(view):
    """For a view that returns a dict (sent as JSON) or a finished response."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if _login_needed(request):
            return json_error("Log in to use the search.", 401)
        try:
            result = view(request, *args, **kwargs)
        except SearchParamError as exc:
            return json_error(str(exc), 400)
        except UNAVAILABLE:
            return json_error(UNAVAILABLE_MESSAGE, 503)
        except Http404 as exc:
            return json_error(str(exc), 404)
        return result if isinstance(result, HttpResponseBase) else json_response(result)

    return wrapped
