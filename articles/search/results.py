"""Search responses and articles as the plain dicts the pages and the JSON API share.

Responses are read as the plain dicts Elasticsearch sends (`client.execute_raw`): a hit is
{"_id", "_source", "highlight"}. The API serialises the results as they are; the HTML
views add links and render them. Text from the archive is escaped; the only markup
marked safe is Elasticsearch's html-encoded highlights (encoder "html": the only tags
left are <mark>).
"""
from datetime import date, datetime
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString

from articles.enrichment.identity import label
from articles.ingest.cleaning import web_url
from articles.search.dates import timeline
from articles.search.facets import ENTITY_FACETS, FACETS
from articles.search.query import versions_count
from articles.stories import story_key


def _date_text(value):
    """ISO text of a date: a model's datetime, the client's, or the text in the index
    (which is the datetime's isoformat, as the client serialised it)."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


_ID_MARK = 918273645  # an article id that no other part of the URL holds


@lru_cache(maxsize=16)
def _article_url_around_the_id(script_prefix):
    """(text before, text after) the id in an article page's URL under `script_prefix`."""
    before, after = reverse("articles:article", args=[_ID_MARK]).split(str(_ID_MARK))
    return before, after


def article_urls():
    """A function from an article id to its page's URL, for a listing: the route is reversed
    once per script prefix, and the prefix read once per listing, not per hit
    (docs/performance.md, "Search path")."""
    before, after = _article_url_around_the_id(get_script_prefix())
    return lambda article_id: f"{before}{article_id}{after}"


def article_url(article_id):
    return article_urls()(article_id)


def _entity_lists(source):
    """The hit's entities of every entity facet: {"persons": [{"id", "label"}, ...], ...}."""
    return {
        facet.field: [{"id": str(ref), "label": ref.label}
                      for ref in map(facet.shown_value, source.get(facet.shown_field) or ())]
        for facet in ENTITY_FACETS
    }


def hit_summary(hit, url_of):
    """The fields every article listing shows (`url_of` from `article_urls`)."""
    article_id, source = int(hit["_id"]), hit["_source"]
    return {
        "id": article_id,
        "title": source["title"],
        "source": source.get("source") or "",
        "published_at": _date_text(source.get("published_at")),
        "url": url_of(article_id),
    }


def search_hit(hit, url_of):
    """A search result: the summary, highlighted title and snippet, and its entities.

    Highlights are marked safe as SafeString, without mark_safe's check for lazy text, which
    cost a noticeable share of a hit (docs/performance.md, "Search").
    """
    return {**hit_summary(hit, url_of), "title_html": highlighted_title(hit), "snippet": snippet(hit),
            **_entity_lists(hit["_source"]), "story": story_of(hit), "versions": versions_count(hit)}


def story_of(hit):
    """The key of the story the hit is a version of (its own, "a<id>", in a document indexed
    before stories were)."""
    return hit["_source"].get("story") or story_key(int(hit["_id"]), None)


def highlighted_title(hit):
    """The hit's title with the searched words in <mark>: escaped, with only <mark> as markup
    (Elasticsearch's highlight when a word is in it, else the title escaped here)."""
    highlight = hit.get("highlight", {})
    return SafeString(highlight["title"][0] if "title" in highlight else escape(hit["_source"]["title"]))


def snippet(hit):
    """The hit's highlighted fragments of text, joined: escaped, with only <mark> as markup."""
    return SafeString(" … ".join(hit.get("highlight", {}).get("body", ())))


def export_row(hit, url_of):
    """One CSV or feed row's values."""
    return {**hit_summary(hit, url_of), **_entity_lists(hit["_source"]), "story": story_of(hit)}


def facet_value(facet, value, count, selected):
    return {"value": str(value), "label": facet.label(value), "count": count, "selected": selected}


def search_result(response, counts, params, pages):
    """The response to one search page or API call (`counts`, the Counts
    `query.ArticleSearch.read` read from it)."""
    url_of, dated = article_urls(), counts.facets["date"]
    facets = {name: [facet_value(facet, *value) for value in counts.facets[name].values] for name, facet in FACETS.items()}
    facets["date"], outliers = timeline(dated.periods, params)
    return {
        "total": counts.total,
        "articles": response["hits"]["total"]["value"],
        "count": "stories" if params.by_story else "articles",
        "page": params.page,
        "page_size": params.page_size,
        "pages": pages,
        "sort": params.sort_order,
        "hits": [search_hit(hit, url_of) for hit in response["hits"]["hits"]],
        "facets": facets,
        "facets_more": {name: counts.facets[name].more for name in FACETS},
        "date_unknown": dated.undated,
        "date_outliers": outliers,
    }


def entity_url(kind, ref):
    return reverse("articles:entity", args=[kind, ref])


def entity_dict(entity):
    return {"kind": entity.kind, "id": entity.ref, "name": label(entity), "url": entity_url(entity.kind, entity.ref)}


def article_result(article, mentions, related, versions):
    """An article page or API response: text, entities by kind, related articles, and its
    story (`stories.versions_of`): its key, its canonical version and its other versions."""
    entities = sorted({m.entity for m in mentions}, key=lambda e: e.name.lower())
    url_of = article_urls()
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "source": article.source,
        "url": article_url(article.id),
        "original_url": web_url(article.url),  # only http(s), whatever was stored
        "author": article.author,
        "published_at": _date_text(article.published_at),
        **{facet.field: [entity_dict(e) for e in entities if e.kind == facet.kind] for facet in ENTITY_FACETS},
        "related": related,
        "story": versions["story"],
        "canonical_id": versions["canonical_id"],
        "versions": [{**version, "published_at": _date_text(version["published_at"]), "url": url_of(version["id"])}
                     for version in versions["versions"]],
        "more_versions": versions["more"],
    }


def entity_result(response, overview, params):
    """An entity page or API response from `summaries.overview_search`'s response and what
    `summaries.read_overview` read from it: its articles over time, the entities most often
    mentioned with it, its latest articles."""
    url_of = article_urls()
    buckets, outliers = timeline(overview["periods"], params)
    return {
        "total": response["hits"]["total"]["value"],
        "timeline": buckets,
        "date_unknown": overview["undated"],
        "date_outliers": outliers,
        "related": {
            facet.name: [facet_value(facet, value, count, False) for value, count in overview["related"][facet.name]]
            for facet in ENTITY_FACETS
        },
        "latest": [hit_summary(hit, url_of) for hit in response["hits"]["hits"]],
    }
