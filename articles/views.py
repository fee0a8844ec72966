"""Thin HTML views: parse the request, call the search functions, render."""
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from . import presentation, search
from .health import service_status
from .models import Article, Entity

UNAVAILABLE_MESSAGE = "Search is unavailable right now. Please try again in a minute."


def search_access(json=False):
    """Let a view through unless SEARCH_REQUIRES_LOGIN is set and nobody is logged in."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if settings.SEARCH_REQUIRES_LOGIN and not request.user.is_authenticated:
                if json:
                    return JsonResponse({"error": "Log in to use the search."}, status=401)
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@search_access()
def search_page(request):
    path = reverse("articles:search")
    context = {"params": search.SearchParams()}
    try:
        data = search.query_params(request)
        # On a bad parameter the form still shows the words searched for.
        context["params"] = search.SearchParams(q=data.get("q", "")[: search.MAX_QUERY_LENGTH])
        params = context["params"] = search.parse_search_params(data)
        result = search.search_articles(params)
    except search.SearchParamError as exc:
        return render(request, "articles/search.html", {**context, "error": str(exc)}, status=400)
    except search.UNAVAILABLE:
        return render(request, "articles/search.html", {**context, "error": UNAVAILABLE_MESSAGE}, status=503)
    context.update(presentation.search_page_context(params, result, path))
    return render(request, "articles/search.html", context)


@search_access()
def article_page(request, article_id):
    article = get_object_or_404(Article.objects.prefetch_related("mentions__entity"), pk=article_id)
    context = presentation.article_page_context(search.article_detail(article), article)
    return render(request, "articles/article.html", context)


@search_access()
def entity_page(request, kind, key):
    entity = get_entity(kind, key)
    try:
        overview = search.entity_overview(entity)
    except search.UNAVAILABLE:
        context = {"entity": presentation.entity_dict(entity), "error": UNAVAILABLE_MESSAGE}
        return render(request, "articles/entity.html", context, status=503)
    context = presentation.entity_page_context(
        entity, overview, search.entity_search_params(entity), reverse("articles:search")
    )
    return render(request, "articles/entity.html", context)


def get_entity(kind, key):
    if kind not in Entity.Kind.values:
        raise Http404("No such kind of entity.")
    if not search.storable(key):
        raise Http404("No such entity.")
    return get_object_or_404(Entity, kind=kind, key=key)


def healthz(request):
    status = service_status()
    healthy = all(s["ok"] for s in status.values())
    return JsonResponse({"ok": healthy, "services": status}, status=200 if healthy else 503)
