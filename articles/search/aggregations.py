"""What a search counts, one class per kind, in the manner of Aleph's facets: each adds its
aggregations to the request and reads them back from the response as one plain value.

    TermsFacet  an entity or source facet: its top values, its selected values' own counts,
                its articles without a value (a facet that offers UNKNOWN): FacetCounts
    DateFacet   the histogram of the dated articles, and the undated ones: DateCounts
    Total       what a result numbers, its stories or its articles

A new kind of facet is one class here (a new terms facet, one entry in the facets
registry); the request (`query.ArticleSearch`) asks each for its aggregations, and the
results get what each read.
The facets are the client's FacetedSearch facets too (`add_filter`): their filters go in the
post_filter, and each is counted under the other facets' filters (`within`).

Counted by story (`by_story`), every bucket also counts its stories (`counted`, `count_of`).
"""
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from elasticsearch import dsl
from elasticsearch.dsl import A, Q
from elasticsearch.dsl.response.aggs import BucketData
from elasticsearch.dsl.utils import AttrDict

from articles.entities.history import successors
from articles.search.clauses import STORY_FIELD, date_range_query, undated_query, unknown_query
from articles.search.dates import histogram_interval
from articles.search.facets import UNKNOWN

# The precision of a result's story count (Elasticsearch's cardinality, its largest threshold):
# an estimate, close below it but not guaranteed exact; a result's total and its pages use it.
STORY_COUNT_PRECISION = 40_000


def counted(agg, by_story):
    """`agg`, whose buckets also count their stories when `by_story` (`count_of` reads them):
    Elasticsearch's cardinality at its default precision, a close estimate (docs/search.md,
    "Search by story")."""
    if by_story:
        agg.metric("stories", "cardinality", field=STORY_FIELD)
    return agg


def count_of(bucket):
    """A bucket's stories when they were counted (`counted`), else its articles."""
    return bucket["stories"]["value"] if "stories" in bucket else bucket["doc_count"]


def date_histogram(date_from, date_to, dated=True, by_story=False):
    """Dated articles in the range, counted per period of `histogram_interval` (their stories
    too, `by_story`); none when `dated` is off (a search of the undated articles alone)."""
    agg = A("filter", filter=date_range_query(date_from, date_to) if dated else Q("match_none"))
    agg.bucket("histogram", counted(A(
        "date_histogram", field="published_at", calendar_interval=histogram_interval(date_from, date_to),
        min_doc_count=1,
    ), by_story))
    return agg


def histogram_counts(agg):
    """{first day of period: count (stories when counted)} from a `date_histogram` aggregation,
    a plain dict or the client's response object (both take item access)."""
    return {date.fromisoformat(b["key_as_string"][:10]): count_of(b) for b in agg["histogram"]["buckets"]}


@dataclass(frozen=True)
class FacetCounts:
    """A terms facet as read: the values it lists, (value, count, selected) each (its top values,
    most first, then any selected value outside them, then UNKNOWN's when it has articles or is
    selected), and whether it has more values than it lists."""
    values: list[tuple[Any, int, bool]]
    more: bool


@dataclass(frozen=True)
class DateCounts:
    """The date facet as read: {first day of period: count} and the undated articles' count."""
    periods: dict[date, int]
    undated: int


@dataclass(frozen=True)
class Counts:
    """What a page's aggregations say: its total (`Total`) and {facet name: what the facet read}."""
    total: int
    facets: dict[str, Any]


class TermsFacet(dsl.TermsFacet):
    """A facet of `facet`'s values (the facets registry's Facet), `shown` of them listed: counts
    the values of `facet.shown_field` ("ref|label" for entities, read back as Refs) and filters
    on `facet.field` (refs).

    With `widened`, a selected historical country's filter also takes its successors in;
    the values shown as selected stay the ones chosen. With `by_story` the values (the most
    frequent by articles: ranking by stories would count the stories of every value) are
    counted and ordered by their stories.
    """

    def __init__(self, facet, shown, widened=False, by_story=False):
        super().__init__(field=facet.shown_field, size=shown + 1, exclude=[""])  # one more tells that there are more
        self.facet, self.shown, self.widened, self.by_story = facet, shown, widened, by_story
        self.name = facet.name

    def add_filter(self, filter_values):
        if not filter_values:
            return None
        unknown = bool(self.facet.unknown) and UNKNOWN in filter_values
        values = [str(v) for v in filter_values if not (unknown and v == UNKNOWN)]
        if self.widened:
            values += [code for value in values for code in successors(value)]
        known = Q("terms", **{self.facet.field: list(dict.fromkeys(values))}) if values else None
        if not unknown:
            return known
        return known | unknown_query(self.facet) if known else unknown_query(self.facet)

    def get_aggregation(self):
        return counted(super().get_aggregation(), self.by_story)

    def get_metric(self, bucket):
        return count_of(bucket)

    def get_value(self, bucket):
        return self.facet.shown_value(bucket["key"])

    def aggregations(self, within, selected):
        """(name, aggregation) pairs, all under `within` (the other facets' filters): the top
        values and, for a facet that offers UNKNOWN, the articles without a value
        ("facet_NAME"); the counts of the `selected` values, which may fall outside the top
        values ("selected_NAME")."""
        top = A("filter", filter=within)
        top.bucket(self.name, self.get_aggregation())
        if self.facet.unknown:
            top.bucket("unknown", counted(A("filter", filter=unknown_query(self.facet)), self.by_story))
        pairs = [(f"facet_{self.name}", top)]
        if selected:
            values = A("terms", field=self.facet.field, include=[str(v) for v in selected], size=len(selected))
            chosen = A("filter", filter=within)
            chosen.bucket("values", counted(values, self.by_story))
            pairs.append((f"selected_{self.name}", chosen))
        return pairs

    def read(self, aggregations, selected):
        """The FacetCounts of this facet from a response's `aggregations` (a plain dict) for the
        `selected` values."""
        top = aggregations[f"facet_{self.name}"]
        # dsl's get_values reads the `buckets` an AttrDict of the plain aggregation gives as its BucketData does
        values = self.get_values(cast(BucketData, AttrDict(top[self.name])), list(selected))
        if self.by_story:
            values.sort(key=lambda value: -value[1])
        listed, extra = values[: self.shown], aggregations.get(f"selected_{self.name}")
        counts = {b["key"]: count_of(b) for b in extra["values"]["buckets"]} if extra else {}
        shown = {str(value) for value, _, _ in listed}
        chosen = [value for value in selected if not (self.facet.unknown and value == UNKNOWN)]
        listed += [(value, counts.get(value, 0), True) for value in chosen if value not in shown]
        if self.facet.unknown:
            unknown, is_selected = count_of(top["unknown"]), UNKNOWN in selected
            if unknown or is_selected:
                listed.append((UNKNOWN, unknown, is_selected))
        return FacetCounts(listed, more=len(values) > self.shown)


class DateFacet(dsl.Facet):
    """published_at as a drill-down histogram limited to the chosen range, and the
    undated articles as a value of their own (`undated`).

    Unlike the terms facets, the range also narrows its own histogram (drilling
    into 1987 shows 1987's months).
    """

    name = "date"

    def __init__(self, date_from, date_to, undated=False, by_story=False):
        super().__init__()
        self.date_from, self.date_to, self.undated, self.by_story = date_from, date_to, undated, by_story

    def add_filter(self, filter_values):
        """The range, the undated articles, or either: (date_from, date_to, undated)."""
        if not filter_values:
            return None
        date_from, date_to, undated = filter_values[0]
        dated = date_range_query(date_from, date_to) if date_from or date_to else None
        if not undated:
            return dated
        return dated | undated_query() if dated else undated_query()

    def get_aggregation(self):
        """The histogram of the dated articles the search can find: none when it asks for the
        undated ones alone."""
        dated = bool(self.date_from or self.date_to or not self.undated)
        return date_histogram(self.date_from, self.date_to, dated=dated, by_story=self.by_story)

    def aggregations(self, within, selected):
        """(name, aggregation) pairs under `within` (the other facets' filters): the histogram
        ("facet_date") and the undated articles, which a date range leaves out ("undated")."""
        histogram = A("filter", filter=within)
        histogram.bucket(self.name, self.get_aggregation())
        return [(f"facet_{self.name}", histogram), ("undated", counted(A("filter", filter=within & undated_query()), self.by_story))]

    def read(self, aggregations, selected):
        return DateCounts(histogram_counts(aggregations[f"facet_{self.name}"][self.name]), count_of(aggregations["undated"]))


class Total:
    """What a result numbers: by story its stories, a cardinality under every filter ("stories",
    at STORY_COUNT_PRECISION); else its articles, the hits' exact total."""

    def __init__(self, by_story):
        self.by_story = by_story

    def aggregations(self, within):
        if not self.by_story:
            return []
        stories = A("filter", filter=within)
        stories.metric("stories", "cardinality", field=STORY_FIELD, precision_threshold=STORY_COUNT_PRECISION)
        return [("stories", stories)]

    def read(self, response):
        stories = response.get("aggregations", {}).get("stories")
        return stories["stories"]["value"] if stories else response["hits"]["total"]["value"]
