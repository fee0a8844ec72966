"""Query building and search behaviour, against a real Elasticsearch, without HTTP.

The `archive` fixture (tests/archive.py) is a small English archive written for
these tests: rows created directly, then indexed.
"""
from datetime import date

import pytest
from django.http import QueryDict

from articles.indexing import index_articles
from articles.models import Article, Entity
from articles.search import (
    SearchParamError,
    entity_overview,
    parse_search_params,
    related_articles,
    search_articles,
)

from .archive import ARCHIVE, PUTIN, XI, build_archive, ref


def params(**values):
    """SearchParams from URL-style values, through the real parser."""
    query = QueryDict(mutable=True)
    for name, value in values.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return parse_search_params(query)


def run(**values):
    return search_articles(params(**values))


def titles(result):
    return {hit["title"] for hit in result["hits"]}


def facet(result, name):
    return {item["value"]: item["count"] for item in result["facets"][name]}


def labelled(items):
    return {item["label"]: item["count"] for item in items}


# --- Parameters (the rest, which need no service, are in tests/unit/test_search_params.py) ---

@pytest.mark.parametrize("country", ["XX", "Atlantis"])
@pytest.mark.django_db
def test_a_country_neither_the_gazetteer_nor_the_archive_knows_stays_as_typed(country):
    """It selects nothing, as an unknown person or organization does (the API takes any name)."""
    assert params(country=country).country == (country,)


@pytest.mark.django_db
def test_a_country_code_the_archive_knows_is_valid_even_if_pycountry_does_not():
    Entity.objects.create(kind="country", key="XK", name="Kosovo")

    assert params(country="xk").country == ("XK",)


# --- Matching ------------------------------------------------------------------------------

def test_visits_finds_an_article_that_only_says_visit(archive):
    assert "A museum opens its doors" in titles(run(q="visits"))


def test_talked_finds_talks(archive):
    assert titles(run(q="talked")) >= {"Grain talks resume in Geneva", "Leaders meet in Moscow"}


def test_a_name_finds_its_possessive(archive):
    assert titles(run(q="Reagan")) == {"Budget fight in Washington"}


def test_all_words_must_match(archive):
    assert titles(run(q="grain Xi")) == {"Grain talks resume in Geneva"}


def test_a_quoted_phrase_matches_only_the_words_in_order(archive):
    assert titles(run(q='"grain talks"')) == {"Grain talks resume in Geneva"}
    assert titles(run(q='"talks grain"')) == set()


def test_or_matches_either_word(archive):
    assert titles(run(q="OPEC OR Kremlin")) == {"Oil prices climb", "Leaders meet in Moscow"}


def test_a_minus_excludes_a_word(archive):
    assert titles(run(q="talks -grain")) == {"Leaders meet in Moscow"}


def test_a_star_matches_a_prefix(archive):
    assert titles(run(q="negotiat*")) == {"Grain talks resume in Geneva"}


ODD_QUERIES = ['"unbalanced', "OR", "-", "AND OR NOT", '+-|"()~*', "a:b [c] {d} \\ / ^2 ~", "x" * 500]


def test_odd_input_is_never_an_error_and_matches_nothing(archive):
    assert {q: run(q=q)["total"] for q in ODD_QUERIES} == dict.fromkeys(ODD_QUERIES, 0)


def test_a_lone_star_matches_every_article(archive):
    assert run(q="*")["total"] == len(ARCHIVE)


def test_a_title_match_ranks_above_a_body_match(archive):
    hits = run(q="energy")["hits"]

    assert [h["title"] for h in hits] == ["Energy ministers gather in Vienna", "Leaders meet in Moscow"]


def test_an_empty_query_lists_everything_newest_first_and_undated_last(archive):
    result = run()

    assert result["total"] == 6
    assert result["hits"][0]["title"] == "Leaders meet in Moscow"
    assert result["hits"][-1]["title"] == "A museum opens its doors"


def test_sorting_by_date_ascending_puts_the_oldest_first(archive):
    assert run(sort="date_asc")["hits"][0]["title"] == "Grain talks resume in Geneva"


# --- Results -------------------------------------------------------------------------------

def test_a_hit_has_its_fields_and_entities(archive):
    (hit,) = run(q="Geneva")["hits"]

    assert hit["id"] == archive["grain"].id
    assert hit["source"] == "Reuters"
    assert hit["published_at"].startswith("1987-03-05")
    assert hit["persons"] == [{"id": ref(XI), "label": "Xi Jinping"}]
    assert hit["countries"] == [{"id": "CN", "label": "China"}, {"id": "US", "label": "United States"}]
    assert [org["label"] for org in hit["organizations"]] == ["World Trade Organization"]


def test_the_snippet_marks_matches_and_escapes_the_text(search_index):
    build_archive({"html": ("Markup <b>in</b> titles", "A <script>alert(1)</script> & oil prices.", "Web",
                            date(2001, 1, 1), [])})

    (hit,) = run(q="oil")["hits"]

    assert hit["snippet"] == "A &lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; <mark>oil</mark> prices."
    assert hit["title_html"] == "Markup &lt;b&gt;in&lt;/b&gt; titles"


def test_results_come_in_pages_with_the_total(search_index):
    build_archive({f"a{i}": (f"Report number {i}", "A routine report.", "Wire", date(2000, 1, i + 1), [])
                   for i in range(25)})

    second = run(q="report", page="2")

    assert (second["total"], second["pages"], second["page"], len(second["hits"])) == (25, 2, 2, 5)


def test_a_reader_may_take_50_or_100_results_a_page(search_index):
    build_archive({f"a{i}": (f"Report number {i}", "A routine report.", "Wire", date(2000, 1, 1 + i % 28), [])
                   for i in range(120)})

    fifties, hundreds = run(q="report", page="3", page_size="50"), run(q="report", page="2", page_size="100")

    assert (fifties["pages"], fifties["page_size"], len(fifties["hits"])) == (3, 50, 20)
    assert (hundreds["pages"], hundreds["page_size"], len(hundreds["hits"])) == (2, 100, 20)


def test_pages_end_at_the_10000th_result_whatever_their_size(archive):
    with pytest.raises(SearchParamError, match=r"past the last page of 100 results \(100\)"):
        run(q="oil", page="101", page_size="100")


def test_a_page_past_the_last_is_an_error(archive):
    with pytest.raises(SearchParamError, match="last page"):
        run(q="oil", page="2")


# --- The query language -----------------------------------------------------------------

def test_title_words_are_found_in_titles_only(archive):
    assert titles(run(q="title:Moscow")) == {"Leaders meet in Moscow"}
    assert titles(run(q="title:Xi")) == set()  # Xi is in two bodies, no title
    assert titles(run(q="Xi")) == {"Leaders meet in Moscow", "Grain talks resume in Geneva"}


def test_person_country_org_and_source_prefixes_filter_as_their_facets_do(archive):
    by_prefix = run(q='talks person:"vladimir putin"')
    by_facet = run(q="talks", person="Vladimir Putin")

    assert titles(by_prefix) == titles(by_facet) == {"Leaders meet in Moscow"}
    assert titles(run(q='country:"saudi arabia"')) == {"Oil prices climb"}
    assert titles(run(q="org:opec")) == {"Oil prices climb"}
    assert titles(run(q="source:bloomberg")) == {"Leaders meet in Moscow"}  # stored as "Bloomberg"


def test_a_prefixed_value_becomes_the_facets_selection_and_leaves_the_words(archive):
    p = params(q='talks person:"vladimir putin"')

    assert p.q == "talks" and p.person == (ref(PUTIN),)


def test_words_apart_are_found_by_proximity_where_the_phrase_is_not(archive):
    assert titles(run(q='"prices climbed"')) == {"Oil prices climb"}
    assert titles(run(q='"oil climbed"')) == set()
    assert titles(run(q='"oil climbed"~2')) == {"Oil prices climb"}


def test_accents_and_case_do_not_matter(search_index):
    build_archive({"accented": ("Banks in Zürich", "Bankers met in ZÜRICH and São Paulo.", "Wire", date(2001, 1, 1), []),
                   "plain": ("Banks in Zurich", "Bankers met in zurich.", "Wire", date(2001, 1, 2), [])})

    both = {"Banks in Zürich", "Banks in Zurich"}
    assert titles(run(q="Zürich")) == titles(run(q="zurich")) == titles(run(q="ZURICH")) == both
    assert titles(run(q='"sao paulo"')) == {"Banks in Zürich"}
    assert titles(run(q="Züri*")) == both


def test_the_dots_of_initials_do_not_matter(search_index):
    build_archive({"dotted": ("U.S. output rises", "The U.S.A. said so.", "Wire", date(2001, 1, 1), []),
                   "bare": ("US output falls", "The USA said otherwise.", "Wire", date(2001, 1, 2), []),
                   "numbers": ("Rates at 3.5 pct", "Up from 35 pct.", "Wire", date(2001, 1, 3), [])})

    assert titles(run(q="U.S.")) == titles(run(q="US")) == {"U.S. output rises", "US output falls"}
    assert titles(run(q="usa")) == titles(run(q="U.S.A.")) == {"U.S. output rises", "US output falls"}
    assert titles(run(q="3.5")) == {"Rates at 3.5 pct"}  # the dot of a number stays


def test_author_words_are_found_in_bylines_only(search_index):
    rows = build_archive({"byline": ("Grain report", "Wheat rose.", "Wire", date(2001, 1, 1), []),
                          "named": ("Smith wins", "Mr Smith won the grain prize.", "Wire", date(2001, 1, 2), [])})
    Article.objects.filter(pk=rows["byline"].pk).update(author="Jane Smith and José Núñez")
    index_articles(Article.objects.filter(pk=rows["byline"].pk), refresh=True)

    assert titles(run(q="author:smith")) == {"Grain report"}
    assert titles(run(q='author:"jose nunez" grain')) == {"Grain report"}
    assert titles(run(q="smith")) == {"Smith wins"}  # words alone search titles and text, not bylines


def test_unreadable_syntax_is_searched_as_words(archive):
    assert titles(run(q='"oil prices')) == titles(run(q="oil prices"))
    assert titles(run(q="oil AND")) == titles(run(q="oil NOT")) == titles(run(q="oil"))
    assert titles(run(q="OR oil")) == titles(run(q="oil"))


# --- Facets --------------------------------------------------------------------------------

def test_articles_without_a_source_are_a_value_of_the_source_facet_that_selects_them(search_index):
    build_archive({**ARCHIVE, "sourceless": ("Harbour reopens", "The harbour reopened.", "", date(1987, 5, 1), [])})

    everything, unknown = run(), run(source="~")
    both = run(source=["~", "BBC"])

    assert {v["label"]: v["count"] for v in everything["facets"]["source"]}["Unknown source"] == 1
    assert titles(unknown) == {"Harbour reopens"}
    assert [v for v in unknown["facets"]["source"] if v["selected"]] == [
        {"value": "~", "label": "Unknown source", "count": 1, "selected": True}]
    assert titles(both) == {"Harbour reopens", "A museum opens its doors"}


def test_the_person_facet_lists_each_person_once_with_counts(archive):
    result = run(q="Putin")

    assert titles(result) == {"Leaders meet in Moscow"}
    assert labelled(result["facets"]["person"]) == {"Vladimir Putin": 1, "Xi Jinping": 1}


def test_adding_a_country_and_a_person_keeps_a_matching_article(archive):
    result = run(q="Putin", country="RU", person="Xi Jinping")

    assert titles(result) == {"Leaders meet in Moscow"}


def test_values_of_one_facet_combine_with_or(archive):
    result = run(person=["Xi Jinping", "Ronald Reagan"])

    assert titles(result) == {"Leaders meet in Moscow", "Grain talks resume in Geneva", "Budget fight in Washington"}


def test_different_facets_combine_with_and(archive):
    assert titles(run(person="Xi Jinping", country="US")) == {"Grain talks resume in Geneva"}


def test_a_facets_counts_ignore_its_own_filter_but_apply_the_others(archive):
    result = run(person="Xi Jinping")

    assert labelled(result["facets"]["person"]) == {"Xi Jinping": 2, "Vladimir Putin": 1, "Ronald Reagan": 1}
    assert facet(result, "country") == {"CN": 2, "RU": 1, "US": 1}
    assert [i["value"] for i in result["facets"]["person"] if i["selected"]] == [ref(XI)]


def test_countries_are_labelled_by_name(archive):
    labels = {i["value"]: i["label"] for i in run()["facets"]["country"]}

    assert labels == {"CN": "China", "RU": "Russia", "US": "United States", "SA": "Saudi Arabia"}


def test_a_selected_value_outside_the_top_values_is_still_listed(search_index):
    build_archive({f"a{i}": (f"Story {i}", "Plain text.", f"Source {i:02}", date(2000, 1, 1), []) for i in range(12)})

    result = run(source="Source 11")

    assert len(result["facets"]["source"]) == 11
    assert result["facets"]["source"][-1] == {"value": "Source 11", "label": "Source 11", "count": 1, "selected": True}
    assert result["facets_more"]["source"] is True


def test_show_more_lists_more_values(search_index):
    build_archive({f"a{i}": (f"Story {i}", "Plain text.", f"Source {i:02}", date(2000, 1, 1), []) for i in range(12)})

    result = run(more="source")

    assert len(result["facets"]["source"]) == 12
    assert result["facets_more"]["source"] is False


# --- Dates ---------------------------------------------------------------------------------

def test_a_long_span_is_shown_by_year_with_empty_years_filled(archive):
    years = run()["facets"]["date"]

    assert (years[0]["value"], years[0]["count"]) == ("1987", 4)
    assert (years[-1]["value"], years[-1]["count"]) == ("2023", 1)
    assert len(years) == 2023 - 1987 + 1


def test_a_year_drills_down_to_its_months(archive):
    months = run(date_from="1987-01-01", date_to="1987-12-31")["facets"]["date"]

    assert [m["value"] for m in months][:4] == ["1987-01", "1987-02", "1987-03", "1987-04"]
    assert {m["label"]: m["count"] for m in months if m["count"]} == {"Mar 1987": 2, "Apr 1987": 1, "Oct 1987": 1}
    assert months[2]["date_from"] == "1987-03-01" and months[2]["date_to"] == "1987-03-31"


def test_a_month_drills_down_to_its_days(archive):
    days = run(date_from="1987-03-01", date_to="1987-03-31")["facets"]["date"]

    assert len(days) == 31
    assert {d["value"]: d["count"] for d in days if d["count"]} == {"1987-03-05": 1, "1987-03-25": 1}


def test_a_date_range_narrows_the_results_inclusively(archive):
    result = run(date_from="1987-03-05", date_to="1987-03-25")

    assert titles(result) == {"Grain talks resume in Geneva", "Budget fight in Washington"}


def test_undated_articles_are_counted_as_date_unknown_and_left_out_of_date_ranges(archive):
    assert run()["date_unknown"] == 1
    in_range = run(date_from="1900-01-01")
    assert "A museum opens its doors" not in titles(in_range)
    assert in_range["date_unknown"] == 1


def test_other_facets_narrow_the_date_histogram(archive):
    years = run(person="Ronald Reagan")["facets"]["date"]

    assert [(y["value"], y["count"]) for y in years] == [("1987-03", 1)]


# --- Entities, articles --------------------------------------------------------------------

def test_an_entity_overview_counts_who_is_mentioned_with_it(archive):
    overview = entity_overview(Entity.objects.get(key="xi jinping"))

    assert overview["total"] == 2
    assert labelled(overview["related"]["person"]) == {"Vladimir Putin": 1}
    assert {i["value"]: i["count"] for i in overview["related"]["country"]} == {"CN": 2, "RU": 1, "US": 1}
    assert [h["title"] for h in overview["latest"]] == ["Leaders meet in Moscow", "Grain talks resume in Geneva"]


def test_a_country_overview_selects_articles_by_iso_code(archive):
    overview = entity_overview(Entity.objects.get(kind="country", key="US"))

    assert overview["total"] == 2
    assert sum(b["count"] for b in overview["timeline"]) == 2


def test_related_articles_share_words_and_entities(archive):
    related = related_articles(archive["grain"].id)

    assert related and related[0]["title"] == "Leaders meet in Moscow"
    assert archive["grain"].id not in [r["id"] for r in related]
