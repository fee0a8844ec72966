"""Thin HTML views: read the request, call the search functions, hand the page its context.

Access and errors (400, 503) are handled once, by `decorators.html_page`.
"""
import ipaddress

from django.shortcuts import redirect
from django.urls import reverse

from articles import search, stories
from articles.enrichment import curation
from articles.web import lookups, pages
from articles.web.decorators import html_page, json_response
from articles.web.health import service_status
from articles.web.lineage import lineage


@html_page("articles/search.html")
def search_page(request, context):
    context["params"] = search.SearchParams()
    data = search.query_params(request)
    # On a bad parameter the form still shows the words searched for.
    context["params"] = search.SearchParams(q=data.get("q", "")[: search.MAX_QUERY_LENGTH])
    params = context["params"] = search.parse_search_params(data)
    result = search.search_articles(params)
    context.update(pages.search_page_context(params, result, reverse("articles:search")))


@html_page("articles/article.html")
def article_page(request, context, article_id):
    article = lookups.get_article(article_id)
    opened_from = search.search_context(request)
    found = search.article_in_search(article, opened_from)
    detail = search.article_detail(article)
    difference = stories.difference_from_canonical(article, detail["canonical_id"])
    context.update(pages.article_page_context(detail, article.mentions.all(), found["marks"], found["title_marks"],
                                              difference))
    context["navigation"] = pages.article_navigation(opened_from, found["neighbours"], reverse("articles:search"))


@html_page("articles/entity.html")
def entity_page(request, context, kind, ref):
    entity = lookups.get_entity(kind, ref)
    if (kind, ref) != (entity.kind, entity.ref):  # a name, or an entity merged since
        return redirect("articles:entity", entity.kind, entity.ref)
    context["entity"] = search.entity_dict(entity)
    overview = search.entity_overview(entity)
    aliases = curation.ranked_aliases(entity)
    context.update(pages.entity_page_context(
        entity, overview, search.entity_search_params(entity), reverse("articles:search"), aliases, lineage(entity)
    ))


@html_page("articles/aliases.html")
def entity_aliases_page(request, context, kind, ref):
    entity = lookups.get_entity(kind, ref)
    if (kind, ref) != (entity.kind, entity.ref):
        return redirect("articles:entity-aliases", entity.kind, entity.ref)
    context.update(entity=search.entity_dict(entity), aliases=curation.ranked_aliases(entity))


def healthz(request):
    """200 when every service answers, 503 otherwise. Which service is down is for anyone
    (a load balancer); versions and error messages only for staff and for monitoring on the
    host itself (a loopback address that no proxy forwarded)."""
    status = service_status()
    healthy = all(s["ok"] for s in status.values())
    if not _may_see_service_details(request):
        status = {name: {"ok": service["ok"]} for name, service in status.items()}
    return json_response({"ok": healthy, "services": status}, status=200 if healthy else 503)


def _may_see_service_details(request):
    if request.user.is_authenticated and request.user.is_staff:
        return True
    try:
        local = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
    return local and "HTTP_X_FORWARDED_FOR" not in request.META and "HTTP_FORWARDED" not in request.META
