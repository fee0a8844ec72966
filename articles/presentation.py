"""What the pages and the JSON API show: search responses and articles as plain dicts.

One place for presentation: the API serialises these dicts as they are, the HTML
views add links (`link_entities`, `page_links`, ...) and render them. Text from
the archive is escaped everywhere; the only markup marked safe is Elasticsearch's
html-encoded highlights and the mention links built here with format_html.
"""
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .cleaning import web_url
from .entities.gazetteer import country_name
from .models import Entity

ENTITY_LISTS = {"persons": "person", "countries": "country", "organizations": "org"}
FACET_KIND = {"person": Entity.Kind.PERSON, "country": Entity.Kind.COUNTRY, "org": Entity.Kind.ORGANIZATION}
DAY_INTERVAL_MAX_DAYS = 62  # narrower date ranges get a histogram by day
MAX_MONTH_BARS = 36  # longer spans are shown by year
MAX_FILLED_BARS = 400  # a chosen range is drawn whole (empty bars included) up to this many bars


def facet_label(name, value):
    return country_name(value) if name == "country" else value


def _date_text(value):
    """ISO text of a date field as Elasticsearch or the document class returns it."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _list(value):
    return list(value) if value else []


def hit_summary(hit):
    """The fields every article listing shows."""
    return {
        "id": int(hit.meta.id),
        "title": hit.title,
        "source": getattr(hit, "source", "") or "",
        "published_at": _date_text(getattr(hit, "published_at", None)),
        "url": reverse("articles:article", args=[int(hit.meta.id)]),
    }


def search_hit(hit):
    """A search result: the summary, highlighted title and snippet, and its entities."""
    highlight = getattr(hit.meta, "highlight", None)
    title = highlight.title[0] if highlight and "title" in highlight else escape(hit.title)
    snippet = " … ".join(highlight.body) if highlight and "body" in highlight else ""
    return {
        **hit_summary(hit),
        # Elasticsearch encoded the text (encoder "html"): the only markup left is <mark>.
        "title_html": mark_safe(title),
        "snippet": mark_safe(snippet),
        **{name: _list(getattr(hit, name, None)) for name in ENTITY_LISTS},
    }


def export_row(hit):
    row = hit_summary(hit)
    return {**row, **{name: _list(getattr(hit, name, None)) for name in ENTITY_LISTS}}


def search_result(response, params, page_size, pages, facet_sizes):
    """The response to one search page or API call."""
    aggs = response.aggregations
    facets, more = {}, {}
    for name, size in facet_sizes.items():
        values = response.facets[name]
        more[name] = len(values) > size
        facets[name] = _terms_facet(name, values[:size], getattr(aggs, "_filter_" + name), params)
    facets["date"] = date_buckets({day: count for day, count, _ in response.facets["date"]}, params)
    return {
        "total": response.hits.total.value,
        "page": params.page,
        "page_size": page_size,
        "pages": pages,
        "sort": params.sort_order,
        "hits": [search_hit(hit) for hit in response],
        "facets": facets,
        "facets_more": more,
        "date_unknown": getattr(aggs, "_filter_date").date.buckets.unknown.doc_count,
    }


def _terms_facet(name, values, agg, params):
    """Top values, then any selected value that is not among them (with its own count)."""
    items = [_facet_value(name, value, count, selected) for value, count, selected in values]
    shown = {item["value"] for item in items}
    selected_counts = {b.key: b.doc_count for b in agg.selected.buckets} if "selected" in agg else {}
    for value in getattr(params, name):
        if value not in shown:
            items.append(_facet_value(name, value, selected_counts.get(value, 0), True))
    return items


def _facet_value(name, value, count, selected):
    return {"value": value, "label": facet_label(name, value), "count": count, "selected": selected}


# --- Dates: histogram buckets drawn as a timeline --------------------------------------

def _period_start(day, unit):
    if unit == "year":
        return day.replace(month=1, day=1)
    return day.replace(day=1) if unit == "month" else day


def _next_period(day, unit):
    if unit == "year":
        return date(day.year + 1, 1, 1)
    if unit == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


def _periods(first, last, unit):
    day = _period_start(first, unit)
    while day <= last:
        yield day
        day = _next_period(day, unit)


def _months_between(first, last):
    return (last.year - first.year) * 12 + last.month - first.month + 1


def histogram_interval(date_from, date_to):
    """By day inside a short range, else by month (rolled up into years over long spans)."""
    if date_from and date_to and (date_to - date_from).days < DAY_INTERVAL_MAX_DAYS:
        return "day"
    return "month"


# unit: (length of the period's ISO value, its label)
PERIOD_FORMATS = {
    "year": (4, "{d.year}"),
    "month": (7, "{d:%b} {d.year}"),
    "day": (10, "{d.day} {d:%b} {d.year}"),
}


def histogram_counts(date_agg):
    """{first day of period: count} from the buckets of `search.date_aggregation`."""
    return {date.fromisoformat(b.key_as_string[:10]): b.doc_count for b in date_agg.buckets.dated.histogram.buckets}


def date_buckets(counts, params):
    """Histogram counts as periods, gaps filled, months rolled into years over long
    spans; each period's dates are clipped to the chosen range."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    if params.date_from and params.date_to:
        first, last = params.date_from, params.date_to
    unit = histogram_interval(params.date_from, params.date_to)
    if unit == "month" and _months_between(first, last) > MAX_MONTH_BARS:
        unit = "year"
    periods = list(_periods(first, last, unit))
    if len(periods) > MAX_FILLED_BARS:
        periods = list(_periods(min(counts), max(counts), unit))
    totals = dict.fromkeys(periods, 0)
    for day, count in counts.items():
        totals[_period_start(day, unit)] += count
    return [_date_bucket(start, unit, count, params) for start, count in totals.items()]


def _date_bucket(start, unit, count, params):
    end = _next_period(start, unit) - timedelta(days=1)
    date_from = max(start, params.date_from) if params.date_from else start
    date_to = min(end, params.date_to) if params.date_to else end
    value_length, label_format = PERIOD_FORMATS[unit]
    return {
        "value": start.isoformat()[:value_length],
        "label": label_format.format(d=start),
        "count": count,
        "selected": (date_from, date_to) == (params.date_from, params.date_to),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
    }


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
            "url": base_params.changed(
                date_from=date.fromisoformat(bucket["date_from"]),
                date_to=date.fromisoformat(bucket["date_to"]),
            ).url(path),
        })
    return bars


def date_trail(params, path):
    """Zoom-out links for a drilled-down date range: all dates, its year, its month."""
    trail = [{"label": "All dates", "url": params.changed(date_from=None, date_to=None).url(path)}]
    start, end = params.date_from, params.date_to
    if not (start and end):
        return trail
    for unit in ("year", "month"):
        period = _period_start(start, unit)
        period_end = _next_period(period, unit) - timedelta(days=1)
        if end <= period_end and (start, end) != (period, period_end):
            trail.append({
                "label": PERIOD_FORMATS[unit][1].format(d=period),
                "url": params.changed(date_from=period, date_to=period_end).url(path),
            })
    return trail


# --- Links for the HTML pages ------------------------------------------------------------

def entity_url(kind, key):
    return reverse("articles:entity", args=[kind, key])


def entity_keys(names_by_facet):
    """{(facet, name): key} for person and organization names, in one query."""
    wanted = Q(pk__in=[])
    for facet, names in names_by_facet.items():
        if names and facet in ("person", "org"):
            wanted |= Q(kind=FACET_KIND[facet], name__in=set(names))
    kinds = {kind: facet for facet, kind in FACET_KIND.items()}
    rows = Entity.objects.filter(wanted).values_list("kind", "name", "key")
    return {(kinds[kind], name): key for kind, name, key in rows}


def _entity_link(facet, value, keys):
    key = value if facet == "country" else keys.get((facet, value))
    return entity_url(FACET_KIND[facet], key) if key else None


def link_entities(hits, facets):
    """Give hits their entity chips and entity facet values their entity page URL."""
    names = {facet: [] for facet in FACET_KIND}
    for hit in hits:
        for field_name, facet in ENTITY_LISTS.items():
            names[facet] += hit[field_name]
    for facet in FACET_KIND:
        names[facet] += [item["value"] for item in facets.get(facet, [])]
    keys = entity_keys(names)
    for hit in hits:
        hit["chips"] = [
            {"kind": facet, "label": facet_label(facet, value), "url": _entity_link(facet, value, keys)}
            for field_name, facet in ENTITY_LISTS.items()
            for value in hit[field_name]
        ]
    for facet in FACET_KIND:
        for item in facets.get(facet, []):
            item["url"] = _entity_link(facet, item["value"], keys)


FACET_TITLES = {"person": "Person", "country": "Country", "org": "Organization", "source": "Source"}


def active_filters(params, path):
    """Removable chips for every active filter."""
    chips = [
        {"label": f"{FACET_TITLES[name]}: {facet_label(name, value)}", "url": params.toggled(name, value).url(path)}
        for name in FACET_TITLES
        for value in getattr(params, name)
    ]
    if params.has_dates:
        span = f"{params.date_from or '…'} to {params.date_to or '…'}"
        chips.append({"label": f"Date: {span}", "url": params.changed(date_from=None, date_to=None).url(path)})
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


# --- Articles and entities ------------------------------------------------------------------

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


def article_body_html(body, mentions):
    """The body text escaped, with each entity mention a link to the entity's page."""
    parts, position = [], 0
    for start, end, entity in mention_spans(body, mentions):
        parts.append(escape(body[position:start]))
        parts.append(format_html(
            '<a class="mention mention-{}" href="{}" title="{}">{}</a>',
            entity.kind, entity_url(entity.kind, entity.key), entity.name, body[start:end],
        ))
        position = end
    parts.append(escape(body[position:]))
    return mark_safe("".join(parts))


def entity_dict(entity):
    return {
        "kind": entity.kind,
        "key": entity.key,
        "name": country_name(entity.key) if entity.kind == Entity.Kind.COUNTRY else entity.name,
        "url": entity_url(entity.kind, entity.key),
    }


def article_result(article, related):
    """An article page or API response: text, entities by kind, related articles."""
    entities = sorted({m.entity for m in article.mentions.all()}, key=lambda e: e.name.lower())
    by_kind = {
        list_name: [entity_dict(e) for e in entities if e.kind == FACET_KIND[facet]]
        for list_name, facet in ENTITY_LISTS.items()
    }
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "source": article.source,
        "url": reverse("articles:article", args=[article.id]),
        "original_url": web_url(article.url),  # only http(s), whatever was stored
        "author": article.author,
        "published_at": _date_text(article.published_at),
        **by_kind,
        "related": related,
    }


def entity_result(response, params):
    """An entity page or API response from `search.entity_overview`'s search."""
    aggs = response.aggregations
    related = {
        facet: [_facet_value(facet, b.key, b.doc_count, False) for b in getattr(aggs, facet).buckets]
        for facet in FACET_KIND
    }
    return {
        "total": response.hits.total.value,
        "timeline": date_buckets(histogram_counts(aggs.date), params),
        "date_unknown": aggs.date.buckets.unknown.doc_count,
        "related": related,
        "latest": [hit_summary(hit) for hit in response],
    }


# --- Page contexts ------------------------------------------------------------------------------

SORT_LABELS = {"": "Relevance", "date": "Newest first", "date_asc": "Oldest first"}  # "": the default


def facet_groups(params, result, path):
    """The sidebar's term facets with their titles and show more/fewer links."""
    groups = []
    for name, title in FACET_TITLES.items():
        expanded = name in params.more
        more = tuple(n for n in params.more if n != name) if expanded else (*params.more, name)
        groups.append({
            "name": name,
            "title": title,
            "items": result["facets"][name],
            "expanded": expanded,
            "toggle_url": params.changed(more=more, page=params.page).url(path)
            if expanded or result["facets_more"][name] else None,
        })
    return groups


def search_page_context(params, result, path):
    """Everything the search page shows beyond the result itself: links, chips, the timeline."""
    link_entities(result["hits"], result["facets"])
    return {
        "result": result,
        "facet_groups": facet_groups(params, result, path),
        "chips": active_filters(params, path),
        "pagination": page_links(params, result["pages"], result["page_size"], path),
        "timeline": timeline_bars(result["facets"]["date"], params, path),
        "date_trail": date_trail(params, path),
        "sort_labels": SORT_LABELS,
    }


RELATED_TITLES = {"person": "People", "country": "Countries", "org": "Organizations"}


def article_page_context(detail, article):
    """The article page: its text with linked mentions, its entities by kind."""
    return {
        "article": detail,
        "body_html": article_body_html(article.body, article.mentions.all()),
        "entity_groups": [(RELATED_TITLES[facet], detail[name]) for name, facet in ENTITY_LISTS.items()],
    }


def entity_page_context(entity, overview, base_params, search_path):
    """The entity page: its overview, linked to entity pages and to searches filtered by it."""
    link_entities([], overview["related"])
    return {
        "entity": entity_dict(entity),
        "aliases": entity.aliases,
        "overview": overview,
        "related_groups": [(RELATED_TITLES[f], overview["related"][f]) for f in FACET_KIND],
        "timeline": timeline_bars(overview["timeline"], base_params, search_path),
        "search_url": base_params.url(search_path),
    }
