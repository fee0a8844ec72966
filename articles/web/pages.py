"""What the HTML pages add to the search results: links, chips, pagination, the SVG
timeline, the article text with its mentions linked and the search's words marked, and
the links between an article and the search it was opened from.

Plain functions of the results and SearchParams, without database or index access:
the views fetch what is needed and pass it.
The only markup built here is the mention links, with format_html, and <mark>, <ins> and
<del> around escaped text.
"""
from bisect import bisect_right
from datetime import date

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles.enrichment.identity import is_ref
from articles.entities.gazetteer import country_name
from articles.entities.history import successors
from articles.search.dates import period_end, period_label, period_start, period_unit
from articles.search.facets import COUNTRY, ENTITY_FACETS, FACETS
from articles.search.navigation import link_queries, page_of
from articles.search.params import PAGE_SIZES, UNDATED, WIDENED, thread_label
from articles.search.results import article_urls, entity_dict, entity_url
from articles.search.syntax import notes
from articles.stories import DELETED, INSERTED, MAX_WORDS, Difference

ALIASES_SHOWN = 10
SORT_LABELS = {"": "Relevance", "date": "Newest first", "date_asc": "Oldest first"}  # "": the default
COUNT_LABELS = {"": "Stories", "articles": "Articles"}  # what results and counts are of; "": the default


def timeline_bars(buckets, base_params, path, width=1000, height=100, widest_bar=60):
    """SVG geometry for the histogram: one linked period per slot of a width x height box."""
    if not buckets:
        return []
    slot = width / len(buckets)
    bar_width = max(min(slot * 0.8, widest_bar), 1)
    peak = max(b["count"] for b in buckets) or 1
    bars = []
    for i, bucket in enumerate(buckets):
        bar_height = bucket["count"] / peak * height
        bars.append({
            **bucket,
            "slot_x": round(i * slot, 2),
            "slot_width": round(slot, 2),
            "x": round(i * slot + (slot - bar_width) / 2, 2),
            "width": round(bar_width, 2),
            "y": round(height - bar_height, 2),
            "height": round(bar_height, 2),
            "url": _dates_url(base_params, bucket, path),
        })
    return bars


def _dates_url(params, span, path):
    """The search `params` narrowed to the days of `span` ({"date_from", "date_to"}), and to them alone."""
    return params.changed(date_from=date.fromisoformat(span["date_from"]), date_to=date.fromisoformat(span["date_to"]),
                          undated=False).url(path)


def timeline_chart(buckets, outliers, base_params, path, what="articles"):
    """The timeline as a page draws it: its bars, what its axes say (what and the period each
    bar counts, the tallest bar's count), and the far dates left out of it, each with the
    link that selects them."""
    return {
        "what": what,
        "bars": timeline_bars(buckets, base_params, path),
        "per": period_unit(buckets[0]["value"]) if buckets else "",
        "peak": max((bucket["count"] for bucket in buckets), default=0),
        "outliers": [{**group, "url": _dates_url(base_params, group, path)} for group in outliers],
    }


def date_trail(params, path):
    """Zoom-out links for a drilled-down date range: all dates, its year, its month."""
    trail = [{"label": "All dates", "url": params.changed(date_from=None, date_to=None, undated=False).url(path)}]
    start, end = params.date_from, params.date_to
    if not (start and end):
        return trail
    for unit in ("year", "month"):
        first, last = period_start(start, unit), period_end(period_start(start, unit), unit)
        if end <= last and (start, end) != (first, last):
            trail.append({"label": period_label(first, unit), "url": params.changed(date_from=first, date_to=last).url(path)})
    return trail


def link_entities(hits, facet_values):
    """Give hits their entity chips and entity facet values their entity page URL (values
    are entity refs, so no lookup is needed)."""
    for hit in hits:
        hit["chips"] = [
            {"kind": facet.name, "label": entity["label"], "url": entity_url(facet.kind, entity["id"])}
            for facet in ENTITY_FACETS
            for entity in hit[facet.field]
        ]
    for facet in ENTITY_FACETS:
        for item in facet_values.get(facet.name, []):  # a selected name the archive does not know has no page
            item["url"] = entity_url(facet.kind, item["value"]) if is_ref(facet.kind, item["value"]) else None


def active_filters(params, path):
    """Removable chips for every active filter."""
    chips = [
        {"label": f"{facet.title}: {facet.label(value)}", "url": params.toggled(name, value).url(path)}
        for name, facet in FACETS.items()
        for value in getattr(params, name)
    ]
    if params.widened:
        chips.append({"label": WIDENED, "url": params.changed(successors=False).url(path)})
    if params.has_dates:
        span = f"{params.date_from or '…'} to {params.date_to or '…'}"
        chips.append({"label": f"Date: {span}", "url": params.changed(date_from=None, date_to=None).url(path)})
    if params.undated:
        chips.append({"label": f"Date: {UNDATED}", "url": params.changed(undated=False).url(path)})
    if params.thread:
        chips.append({"label": thread_label(params.thread), "url": params.changed(thread="").url(path)})
    chips += [{"label": f"Versions of story {key}",
               "url": params.changed(story=tuple(k for k in params.story if k != key)).url(path)}
              for key in params.story]
    return chips


def page_links(params, pages, page_size, path, around=2):
    """Previous/next and nearby page numbers ({"label", "url", "current"}), and the first hit's number."""
    numbers = sorted({1, pages, *range(params.page - around, params.page + around + 1)} & set(range(1, pages + 1)))
    links, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            links.append({"label": "…", "url": None, "current": False})
        url = params.changed(page=number).url(path)
        links.append({"label": str(number), "url": url, "current": number == params.page})
        previous = number
    return {
        "previous": params.changed(page=params.page - 1).url(path) if params.page > 1 else None,
        "next": params.changed(page=params.page + 1).url(path) if params.page < pages else None,
        "numbers": links,
        "first_number": (params.page - 1) * page_size + 1,
    }


def facet_groups(params, result, path):
    """The sidebar's term facets with their titles and show more/fewer links."""
    groups = []
    for name, facet in FACETS.items():
        expanded = name in params.more
        more = tuple(n for n in params.more if n != name) if expanded else (*params.more, name)
        groups.append({
            "name": name,
            "title": facet.title,
            "items": result["facets"][name],
            "expanded": expanded,
            "toggle_url": params.changed(more=more, page=params.page).url(path)
            if expanded or result["facets_more"][name] else None,
            "successors": successor_names(params) if facet is COUNTRY else [],
        })
    return groups


def successor_names(params):
    """The names of the countries that succeeded the historical states selected, which the
    country facet offers to take in ("Include Russia, Ukraine, ...")."""
    codes = dict.fromkeys(code for value in params.country for code in successors(str(value)))
    return [country_name(code) for code in codes]


def mention_spans(body, mentions):
    """Non-overlapping (start, end, entity) spans whose offsets still fit the body text."""
    spans = sorted(
        ((start, end, m.entity) for m in mentions for start, end in m.offsets
         if 0 <= start < end <= len(body) and body[start:end] == m.surface),
        key=lambda span: (span[0], -span[1]),
    )
    kept, reached = [], 0
    for start, end, entity in spans:
        if start >= reached:
            kept.append((start, end, entity))
            reached = end
    return kept


def marked_html(body, start, end, marks):
    """body[start:end] escaped, with the stretches of `marks` (a sorted list of (start, end)
    offsets in `body` that do not overlap) that fall in it in <mark>."""
    parts, position = [], start
    for i in range(max(bisect_right(marks, (start, start)) - 1, 0), len(marks)):  # from the last one begun by `start`
        mark_start, mark_end = marks[i]
        if mark_start >= end:
            break
        mark_start, mark_end = max(mark_start, position), min(mark_end, end)
        if mark_start < mark_end:
            parts += [escape(body[position:mark_start]), "<mark>", escape(body[mark_start:mark_end]), "</mark>"]
            position = mark_end
    parts.append(escape(body[position:end]))
    return mark_safe("".join(parts))


def article_body_html(body, mentions, marks=()):
    """The body text escaped, with each entity mention a link to the entity's page and the
    stretches of `marks` (the search's words, `search.article_in_search`) in <mark>, inside
    the links where they meet."""
    marks = sorted(marks)
    parts, position = [], 0
    for start, end, entity in mention_spans(body, mentions):
        parts.append(marked_html(body, position, start, marks))
        parts.append(format_html(
            '<a class="mention mention-{}" href="{}" title="{}">{}</a>',
            entity.kind, entity_url(entity.kind, entity.ref), entity.name, marked_html(body, start, end, marks),
        ))
        position = end
    parts.append(marked_html(body, position, len(body), marks))
    return mark_safe("".join(parts))


def result_links(hits, params, path):
    """Give each hit its place in the results (`position`, its anchor `hit-<position>`), a
    `link` to its article that carries the search and the place (`search.navigation`), and,
    standing for several versions of a story, `versions_url`: the search within that story,
    which lists them."""
    first, query_of = (params.page - 1) * params.page_size + 1, link_queries(params)
    for position, hit in enumerate(hits, start=first):
        hit["position"] = position
        hit["link"] = f"{hit['url']}?{query_of(position)}"
        hit["versions_url"] = params.changed(story=(hit["story"],)).url(path) if hit["versions"] > 1 else None


def article_navigation(context, neighbours, path):
    """The article page's links to the search it was opened from (`context`, a SearchContext,
    or None): back to the page of results at the article's place, and to the results before
    and after it ({"url", "title"}, None at an end). Without `neighbours` (the article is not
    at that place now) the link goes back to the search's first page. Every URL is a path of
    this site made from parsed parameters, never the text of the request."""
    if context is None:
        return None
    if neighbours is None:
        return {"back": context.params.changed().url(path), "previous": None, "next": None}
    query_of, url_of, hit = link_queries(context.params), article_urls(), context.hit

    def link(neighbour, place):
        return {"url": f"{url_of(neighbour['id'])}?{query_of(place)}", "title": neighbour["title"]} if neighbour else None

    back = context.params.changed(page=page_of(hit, context.params.page_size)).url(path)
    return {"back": f"{back}#hit-{hit}", "previous": link(neighbours.previous, hit - 1),
            "next": link(neighbours.next, hit + 1)}


def search_page_context(params, result, path):
    """Everything the search page shows beyond the result itself: links, chips, the timeline."""
    link_entities(result["hits"], result["facets"])
    result_links(result["hits"], params, path)
    return {
        "result": result,
        "facet_groups": facet_groups(params, result, path),
        "chips": active_filters(params, path),
        "pagination": page_links(params, result["pages"], result["page_size"], path),
        "timeline": timeline_chart(result["facets"]["date"], result["date_outliers"], params, path, result["count"]),
        "counts": COUNT_LABELS,
        "date_trail": date_trail(params, path),
        "sort_labels": SORT_LABELS,
        "page_sizes": PAGE_SIZES,
        "syntax_notes": notes(params.q),
        "undated_label": UNDATED,
    }


def article_page_context(detail, mentions, marks=(), title_marks=(), difference=None):
    """The article page: its text with linked mentions and `marks` marked, its title with
    `title_marks` marked, its entities by kind, and how it differs from its story's canonical
    version (`stories.difference_from_canonical`)."""
    return {
        "article": detail,
        "title_html": marked_html(detail["title"], 0, len(detail["title"]), sorted(title_marks)),
        "body_html": article_body_html(detail["body"], mentions, marks),
        "entity_groups": [(facet.plural, detail[facet.field]) for facet in ENTITY_FACETS],
        "difference": difference_view(difference),
    }


_DIFFERENCE_TAGS = {INSERTED: "ins", DELETED: "del"}


def difference_view(difference: Difference | None):
    """The page's view of a difference: {"html": escaped text, the words added in <ins>, those
    dropped in <del>; "inserted", "deleted": word counts; "compared"; "max_words"}; None without."""
    if difference is None:
        return None
    parts = []
    for kind, text in difference.segments:
        tag = _DIFFERENCE_TAGS.get(kind)
        parts.append(format_html("<{}>{}</{}>", tag, text, tag) if tag else escape(text))
    return {"html": mark_safe("".join(parts)), "inserted": difference.inserted, "deleted": difference.deleted,
            "compared": difference.compared, "same": difference.same, "max_words": MAX_WORDS}


def entity_page_context(entity, overview, base_params, search_path, aliases, lineage, shown=ALIASES_SHOWN):
    """The entity page: its overview, linked to entity pages and to searches filtered by it;
    its most used aliases ((surface, uses), most used first), the rest on a page of their own;
    a country's successors or predecessors (`lineage.lineage`), and for a historical state
    the search that takes its successors in."""
    link_entities([], overview["related"])
    return {
        "entity": entity_dict(entity),
        "aliases": [surface for surface, _ in aliases[:shown]],
        "more_aliases": max(len(aliases) - shown, 0),
        "overview": overview,
        "related_groups": [(facet.plural, overview["related"][facet.name]) for facet in ENTITY_FACETS],
        "timeline": timeline_chart(overview["timeline"], overview["date_outliers"], base_params, search_path),
        "search_url": base_params.url(search_path),
        "undated_url": base_params.changed(undated=True).url(search_path),
        **lineage,
        "successors_search_url": base_params.changed(successors=True).url(search_path)
        if lineage["successors"] else None,
    }
