"""An article opened from a search: reading `from` and `hit`, the places around a result, the
links between article and results, and the search's words marked in the text (no service
needed; the articles page itself is tested in tests/test_navigation.py)."""
import pytest

from articles.models import Entity, Mention
from articles.search import ENTITY_FACETS, Neighbours, SearchContext, SearchParams
from articles.search.marks import END, START, mark_spans
from articles.search.navigation import (
    MAX_FROM_LENGTH,
    link_queries,
    neighbour_window,
    neighbours_in,
    page_of,
    parse_context,
    parse_hit,
)
from articles.web.pages import article_body_html, article_navigation, article_page_context, result_links

SEARCH = SearchParams(q="oil", sort="date", page_size=50)


def test_a_search_and_a_place_are_read_from_from_and_hit():
    context = parse_context({"from": "q=oil&sort=date&page_size=50", "hit": "51"})

    assert context == SearchContext(SEARCH, 51)


def test_an_empty_from_is_the_search_for_everything_and_a_missing_one_is_none():
    assert parse_context({"from": "", "hit": "3"}) == SearchContext(SearchParams(), 3)
    assert parse_context({"hit": "3"}) is None


@pytest.mark.parametrize("text", ["sort=sideways", "page=0", "date_from=1987-02-30", "page_size=7",
                                  "q=" + "x" * 600, "&".join(["q=x"] * 1001), "q=" + "x" * MAX_FROM_LENGTH])
def test_a_from_that_is_not_a_search_is_no_context(text):
    assert parse_context({"from": text, "hit": "1"}) is None


@pytest.mark.parametrize("text, hit", [("1", 1), ("0042", 42), ("10000", 10_000)])
def test_a_place_is_a_number_from_1_to_the_last_result_elasticsearch_pages_to(text, hit):
    assert parse_hit(text) == hit


@pytest.mark.parametrize("text", [None, "", "0", "-1", "+1", " 1", "1.0", "1e3", "10001", "9" * 5000, "\uff11", "\u00b2"])
def test_anything_else_is_no_place(text):
    assert parse_hit(text) is None
    assert parse_context({"from": "q=oil", "hit": text}) == SearchContext(SearchParams(q="oil"), None)


def test_a_result_link_carries_the_search_without_its_page_and_the_place():
    query_of = link_queries(SearchParams(q="oil & gas", source=("Reuters",), page=3))

    assert query_of(41) == "from=q%3Doil%2B%2526%2Bgas%26source%3DReuters&hit=41"
    assert parse_context({"from": "q=oil+%26+gas&source=Reuters", "hit": "41"}).params.q == "oil & gas"


@pytest.mark.parametrize("hit, page", [(1, 1), (50, 1), (51, 2), (100, 2), (101, 3)])
def test_the_page_of_a_place(hit, page):
    assert page_of(hit, 50) == page


@pytest.mark.parametrize("hit, window", [(1, (0, 2)), (2, (0, 3)), (21, (19, 3)), (9_999, (9_997, 3)),
                                         (10_000, (9_998, 2))])
def test_the_neighbours_are_fetched_with_the_result_itself_and_no_more(hit, window):
    assert neighbour_window(hit) == window


def hits(*ids):
    return [{"_id": str(i), "_source": {"title": f"Article {i}"}} for i in ids]


def test_the_neighbours_are_read_from_their_places():
    assert neighbours_in(hits(7, 8, 9), hit=21, start=19) == Neighbours(
        {"id": 7, "title": "Article 7"}, 8, {"id": 9, "title": "Article 9"})


def test_the_first_result_has_no_previous_and_the_last_no_next():
    assert neighbours_in(hits(7, 8), hit=1, start=0) == Neighbours(None, 7, {"id": 8, "title": "Article 8"})
    assert neighbours_in(hits(7, 8), hit=45, start=43) == Neighbours({"id": 7, "title": "Article 7"}, 8, None)


def test_a_place_past_the_results_has_no_current_result():
    assert neighbours_in([], hit=46, start=44).current is None


def test_each_hit_of_a_page_gets_its_place_a_link_with_its_search_and_one_to_its_versions():
    listed = [{"url": "/articles/7", "story": "s3", "versions": 3}, {"url": "/articles/9", "story": "a9", "versions": 1}]

    result_links(listed, SearchParams(q="oil", page=3), "/")

    assert listed == [
        {"url": "/articles/7", "story": "s3", "versions": 3, "position": 41,
         "link": "/articles/7?from=q%3Doil&hit=41", "versions_url": "/?q=oil&story=s3"},
        {"url": "/articles/9", "story": "a9", "versions": 1, "position": 42,
         "link": "/articles/9?from=q%3Doil&hit=42", "versions_url": None},
    ]


def test_the_article_links_back_to_the_page_of_its_place_and_to_its_neighbours():
    near = Neighbours({"id": 7, "title": "Before"}, 8, {"id": 9, "title": "After"})

    links = article_navigation(SearchContext(SEARCH, 50), near, "/")

    assert links == {
        "back": "/?q=oil&sort=date&page_size=50#hit-50",
        "previous": {"url": "/articles/7?from=q%3Doil%26sort%3Ddate%26page_size%3D50&hit=49", "title": "Before"},
        "next": {"url": "/articles/9?from=q%3Doil%26sort%3Ddate%26page_size%3D50&hit=51", "title": "After"},
    }


def test_without_neighbours_the_article_links_back_to_the_first_page_of_its_search():
    context = SearchContext(SearchParams(q="oil", page=4), 70)

    assert article_navigation(context, None, "/") == {"back": "/?q=oil", "previous": None, "next": None}
    assert article_navigation(None, None, "/") is None


def marked(text):
    return text.replace("[", START).replace("]", END)


def test_marks_are_read_as_offsets_in_the_text():
    assert mark_spans(marked("[Oil] prices and [oil] output"), "Oil prices and oil output") == [(0, 3), (15, 18)]


def test_marks_of_another_text_are_none():
    assert mark_spans(marked("[Oil] prices"), "Oil price") == []


def test_a_text_holding_the_marking_characters_is_not_marked():
    text = f"Oil {START}prices"

    assert mark_spans(marked("[Oil] ") + f"{START}prices", text) == []


def test_an_unopened_or_empty_mark_is_no_mark():
    assert mark_spans(marked("Oil] [] [prices]"), "Oil  prices") == [(5, 11)]


PUTIN = Entity(pk=7, kind="person", key="vladimir putin", name="Vladimir Putin")
BODY = "Vladimir Putin <met> Xi & Putin's aides."
MENTIONS = [Mention(entity=PUTIN, surface="Vladimir Putin", offsets=[[0, 14]]),
            Mention(entity=PUTIN, surface="Putin", offsets=[[26, 31]])]
LINK = '<a class="mention mention-person" href="/entities/person/p7" title="Vladimir Putin">'


def test_marked_words_are_marked_inside_a_mention_and_the_text_stays_escaped():
    assert article_body_html(BODY, MENTIONS, [(9, 14), (16, 19), (26, 33)]) == (
        f'{LINK}Vladimir <mark>Putin</mark></a> &lt;<mark>met</mark>&gt; Xi &amp; '
        f"{LINK}<mark>Putin</mark></a><mark>&#x27;s</mark> aides."
    )


def test_a_mark_across_the_edges_of_mentions_is_cut_at_each_edge():
    assert article_body_html(BODY, MENTIONS, [(4, 17)]) == (
        f"{LINK}Vlad<mark>imir Putin</mark></a><mark> &lt;m</mark>et&gt; Xi &amp; {LINK}Putin</a>&#x27;s aides."
    )


def test_without_marks_the_body_is_only_escaped_and_linked():
    assert article_body_html("a <b> c", [], []) == "a &lt;b&gt; c"


def test_the_heading_marks_the_words_of_the_title_and_escapes_the_rest():
    detail = {"title": "<b>Oil</b> & oil", "body": "", **{facet.field: [] for facet in ENTITY_FACETS}}

    page = article_page_context(detail, [], title_marks=[(13, 16), (3, 6)])

    assert page["title_html"] == "&lt;b&gt;<mark>Oil</mark>&lt;/b&gt; &amp; <mark>oil</mark>"
