"""The batch searches' API: create a batch from a list, see where it stands, read its results
(JSON, CSV, XLSX). A batch is its owner's alone: another reader's, or one that is not there,
is the same 404. Errors are problem details (articles.web.problem), as everywhere in the API.

A reader asks with their session (a POST then needs the CSRF token, as a form does) or with
their API token (`Authorization: Bearer <token>`, no CSRF: no browser sends it by itself).
"""
import math
import re
from functools import wraps

from django.http import Http404, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from articles.search import storable
from articles.web import MAX_ID, json_response, problem

from . import access, lists, results, runs
from .models import Batch

MAX_LISTED = 100  # batches a listing shows, newest first
MAX_NAME = 200
NOT_SIGNED_IN = ("Sign in, or send your API token as `Authorization: Bearer <token>` "
                 "(it is on your Batch search page).")
_CSRF = CsrfViewMiddleware(lambda request: None)


def batch_endpoint(*methods):
    """For an API view `view(request, reader, ...)` allowing `methods` (and HEAD with GET): any
    other method is a 405 problem with Allow; a request from no one a 401; a missing batch a 404."""
    allowed = [*methods, "HEAD"] if "GET" in methods else list(methods)

    def decorator(view):
        @csrf_exempt  # checked below, for the session's own POSTs
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in allowed:
                response = problem(405, f"{request.method} is not allowed here.")
                response["Allow"] = ", ".join(allowed)
                return response
            reader, by_token = access.asking_reader(request)
            if reader is None:
                response = problem(401, NOT_SIGNED_IN)
                response["WWW-Authenticate"] = 'Bearer realm="newsarchive"'
                return response
            if request.method == "POST" and not by_token and _CSRF.process_view(request, None, (), {}) is not None:
                return problem(403, "The CSRF check failed: a signed-in browser's POST carries the CSRF token "
                                    "(X-CSRFToken); a script sends its API token instead.")
            try:
                result = view(request, reader, *args, **kwargs)
            except Http404 as exc:
                return problem(404, str(exc))
            except _BadRequest as exc:
                return problem(400, str(exc), [(exc.parameter, str(exc))])
            return result if isinstance(result, HttpResponse) else json_response(result)

        return wrapped

    return decorator


class _BadRequest(ValueError):
    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter


def owned_batch(reader, batch_id):
    """The reader's batch `batch_id`; Http404 for any other (another reader's looks the same)."""
    batch = Batch.objects.filter(pk=batch_id, owner=reader).first() if batch_id <= MAX_ID else None
    if batch is None:
        raise Http404(f"You have no batch {batch_id}.")
    return batch


@batch_endpoint("GET", "POST")
def batches_api(request, reader):
    if request.method == "POST":
        return _create(request, reader)
    return {"batches": [results.status_dict(batch) for batch in reader.batches.all()[:MAX_LISTED]]}


def _create(request, reader):
    upload = request.FILES.get("file")
    if upload is None:
        raise _BadRequest("file", "Send the list as the multipart/form-data field `file`.")
    name = request.POST.get("name", "")
    if len(name) > MAX_NAME or not storable(name):
        raise _BadRequest("name", f"name is at most {MAX_NAME} characters, without NUL.")
    try:
        read = lists.read_list(upload.name or "", upload.read(lists.MAX_BYTES + 1))
    except lists.ListRefused as exc:
        raise _BadRequest("file", str(exc)) from None
    batch = runs.create(reader, name.strip() or upload.name, read)
    response = json_response(results.status_dict(batch), status=201)
    response["Location"] = reverse("batches:api-batch", args=[batch.pk])
    return response


@batch_endpoint("GET")
def batch_api(request, reader, batch_id):
    return results.status_dict(owned_batch(reader, batch_id))


@batch_endpoint("GET")
def results_api(request, reader, batch_id):
    batch = owned_batch(reader, batch_id)
    digits = request.GET.get("page", "1")
    if not re.fullmatch(r"0*[1-9][0-9]*", digits):
        raise _BadRequest("page", "page must be a whole number from 1.")
    pages = max(1, math.ceil(batch.total / results.API_PAGE_SIZE))
    digits = digits.lstrip("0")
    page = int(digits) if len(digits) <= 18 else pages + 1  # far past the end (int() refuses 4,300 digits)
    if page > pages:
        raise Http404(f"page {page} is past the last page ({pages}).")
    lines = results.ordered(batch)[(page - 1) * results.API_PAGE_SIZE: page * results.API_PAGE_SIZE]
    return {"batch": results.status_dict(batch), "page": page, "pages": pages,
            "lines": [results.line_dict(line) for line in lines]}


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@batch_endpoint("GET")
def results_csv_api(request, reader, batch_id):
    batch = owned_batch(reader, batch_id)
    return _download(results.csv_text(batch, request.build_absolute_uri("/")), "text/csv; charset=utf-8",
                     f"batch-{batch.pk}.csv")


@batch_endpoint("GET")
def results_xlsx_api(request, reader, batch_id):
    batch = owned_batch(reader, batch_id)
    return _download(results.xlsx_bytes(batch, request.build_absolute_uri("/")),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"batch-{batch.pk}.xlsx")
