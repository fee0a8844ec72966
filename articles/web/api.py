"""The JSON API: the same searches and dicts as the pages, as JSON, plus the exports of a
search's whole result set (CSV, JSON Lines; `exports`).

Methods, access and errors (400, 404, 405, 503 as problem details) are handled by
`decorators.json_endpoint`.
"""
from django.shortcuts import redirect

from articles import search
from articles.enrichment import curation
from articles.web import exports, lookups
from articles.web.decorators import json_endpoint
from articles.web.lineage import lineage
from articles.web.pages import ALIASES_SHOWN


@json_endpoint
def search_api(request):
    return search.search_articles(search.parse_search_params(search.query_params(request)))


@json_endpoint
def search_csv(request):
    """Every result of a search as CSV, streamed."""
    return exports.export_response(request, exports.csv_lines, exports.CSV_TYPE, "csv")


@json_endpoint
def search_jsonl(request):
    """Every result of a search as JSON Lines, streamed."""
    return exports.export_response(request, exports.json_lines, exports.JSON_LINES_TYPE, "jsonl")


@json_endpoint
def article_api(request, article_id):
    return search.article_detail(lookups.get_article(article_id))


@json_endpoint
def entity_api(request, kind, ref):
    entity = lookups.get_entity(kind, ref)
    if (kind, ref) != (entity.kind, entity.ref):  # a name, or an entity merged since
        return redirect("articles:api-entity", entity.kind, entity.ref)
    aliases = curation.ranked_aliases(entity)
    return {**search.entity_dict(entity), "aliases": [surface for surface, _ in aliases[:ALIASES_SHOWN]],
            "alias_count": len(aliases), **lineage(entity), **search.entity_overview(entity)}
