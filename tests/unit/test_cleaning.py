"""Cleaning decoded text: the real seed, BBC and Reuters files from ../shared/data, and small cases."""
import itertools
import re
import time

import pytest

from articles.ingest.cleaning import Cleaned, clean_article, clean_line, content_hash
from articles.ingest.readers import Record, read_path

from ..conftest import FIXTURES, SHARED_DATA

LEAD = "Chinese President Xi Jinping may visit Moscow as early as next week"


def read_one(path):
    (record,) = read_path(path)
    return record


@pytest.fixture(scope="module")
def seed():
    return read_one(SHARED_DATA / "seed" / "000_864237390d45e851.txt")


@pytest.fixture(scope="module")
def clean_seed(seed):
    return clean_article(seed.title, seed.body)


@pytest.fixture(scope="module")
def reuters():
    """The first 300 Reuters records: enough variety, quick to clean."""
    results = read_path(SHARED_DATA / "reuters21578" / "train.jsonl")
    return list(itertools.islice((r for r in results if isinstance(r, Record)), 300))


def paragraphs(cleaned):
    return cleaned.body.split("\n\n")


# ---- the seed article ----------------------------------------------------------------------


def test_seed_has_no_mojibake_residue(clean_seed):
    assert "Â" not in clean_seed.title + clean_seed.body
    assert "\xa0" not in clean_seed.body


def test_seed_lead_paragraph_that_repeats_the_title_is_dropped(clean_seed):
    assert clean_seed.title.startswith(LEAD)
    assert LEAD not in clean_seed.body
    assert paragraphs(clean_seed)[0].startswith("There was no immediate official confirmation")


def test_seed_lead_does_not_keep_the_bloomberg_credit(clean_seed):
    assert "(Bloomberg)" not in clean_seed.body


def test_seed_footer_is_stripped(clean_seed):
    assert "More stories like this" not in clean_seed.body
    assert "©" not in clean_seed.body and "L.P." not in clean_seed.body
    assert clean_seed.body.endswith("from negotiating a compromise.")


def test_seed_source_is_bloomberg(clean_seed):
    assert clean_seed.source == "Bloomberg"


def test_seed_keeps_each_line_as_a_paragraph(clean_seed):
    assert len(paragraphs(clean_seed)) == 6


def test_seed_quotes_and_apostrophes_are_readable(clean_seed):
    assert "China's annual National People's Congress" in clean_seed.body


def test_lead_given_twice_in_the_body_is_kept_once(seed):
    cleaned = clean_article("Xi to visit Moscow", seed.title + "\n" + seed.body)
    assert cleaned.body.count(LEAD) == 1 and cleaned.source == "Bloomberg"


# ---- leads, credits and titles -------------------------------------------------------------


def test_bare_headline_repeated_as_first_body_line_is_dropped():
    cleaned = clean_article("Harbour reopens after storm", "Harbour reopens after storm\nThe harbour reopened.\nBoats came back.")
    assert paragraphs(cleaned) == ["The harbour reopened.", "Boats came back."]


def test_leading_credit_with_hyphen_names_the_source():
    cleaned = clean_article("Storm", "(AP) - The storm passed overnight.\n\nCrews cleared roads.")
    assert cleaned.source == "AP" and cleaned.body.startswith("The storm passed")


def test_bracketed_words_later_in_the_lead_are_not_a_credit():
    cleaned = clean_article("Apple", "Shares of Apple (AAPL) - the largest company - rose.\n\nMore text.")
    assert cleaned.source == "" and cleaned.body.startswith("Shares of Apple (AAPL)")


def test_title_is_repaired_and_on_one_line():
    assert clean_article("  Caf\u00c3\u00a9   owners\n protest ", "Body.").title == "Café owners protest"


# ---- whitespace and paragraphs -------------------------------------------------------------


def test_bbc_blank_line_paragraphs_are_kept():
    record = read_one(SHARED_DATA / "bbc" / "business" / "001.txt")
    cleaned = clean_article(record.title, record.body)
    assert paragraphs(cleaned) == [p.strip() for p in record.body.split("\n\n") if p.strip()]


def test_bbc_latin1_file_keeps_its_pound_sign():
    record = read_one(SHARED_DATA / "bbc" / "sport" / "199.txt")
    assert "£15.8m" in clean_article(record.title, record.body).body


def test_reuters_hard_wrapped_lines_are_rejoined_into_indented_paragraphs(reuters):
    cleaned = clean_article(reuters[0].title, reuters[0].body)
    assert paragraphs(cleaned)[:2] == [
        "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia cocoa zone, alleviating "
        "the drought since early January and improving prospects for the coming temporao, although "
        "normal humidity levels have not been restored, Comissaria Smith said in its weekly review.",
        "The dry period means the temporao will be late this year.",
    ]


def test_runs_of_spaces_tabs_and_no_break_spaces_collapse_to_one_space():
    cleaned = clean_article("T", "One  \t two\u00a0\u00a0three.\n\n\n\nFour   five.")
    assert cleaned.body == "One two three.\n\nFour five."


def test_windows_1252_text_read_as_utf8_mojibake_is_repaired():
    mojibake = "The ministerâ€™s â€œboldâ€\x9d plan for cafÃ©s â€“ costed"
    assert clean_article("T", mojibake).body == "The minister's \"bold\" plan for cafés – costed"


def test_lone_a_circumflex_before_line_ends_is_removed_but_words_keep_theirs():
    cleaned = clean_article("T", "It rained.Â\nIN ROMÂNIA IT SNOWED.Â \nAn Â\u00a0 trace.")
    assert paragraphs(cleaned) == ["It rained.", "IN ROMÂNIA IT SNOWED.", "An trace."]


# ---- footers and signatures ----------------------------------------------------------------


def test_reuters_signature_is_stripped_and_names_the_source(reuters):
    signed = [r for r in reuters if re.search(r"\sreuter\W*$", r.body, re.IGNORECASE)]
    assert len(signed) > 250
    for record in signed:
        cleaned = clean_article(record.title, record.body)
        assert not re.search(r"reuter\W*$", cleaned.body, re.IGNORECASE), record.where
        assert cleaned.source == "Reuters", record.where


def test_doubled_reuters_signature_is_stripped_entirely():
    cleaned = clean_article("T", "Net 3,466,000 vs 1,913,000\n    Note: period ended February 28. REUTER\n Reuter")
    assert cleaned.body.endswith("period ended February 28.")


@pytest.mark.parametrize(
    "footer, source",
    [
        ("©2023 Bloomberg L.P.", "Bloomberg"),
        ("(c) Reuters 2023", "Reuters"),
        ("Copyright 2023 The Associated Press. All rights reserved.", "The Associated Press"),
        ("More stories like this are available on bloomberg.com", "Bloomberg"),
        ("© 2021-2023 Coastal Courier Ltd. All rights reserved", "Coastal Courier"),
    ],
)
def test_copyright_and_syndication_footers_are_stripped_and_name_the_source(footer, source):
    cleaned = clean_article("T", f"The article text.\n\n{footer}")
    assert (cleaned.body, cleaned.source) == ("The article text.", source)


@pytest.mark.parametrize(
    "footer",
    [
        "Follow us on Twitter @courier",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "To contact the reporter on this story: Jane Doe in London at jdoe@example.com",
        "Sign up for our morning newsletter.",
    ],
)
def test_promotional_and_credit_footers_are_stripped_without_naming_a_source(footer):
    cleaned = clean_article("T", f"The article text.\n\n{footer}")
    assert (cleaned.body, cleaned.source) == ("The article text.", "")


def test_footer_words_inside_the_article_are_kept():
    body = "The label said all rights reserved.\n\nMore stories followed, the editor said, as the week went on."
    cleaned = clean_article("T", body + "\n\nThe end of the story.")
    assert cleaned.body == body + "\n\nThe end of the story."


def test_long_last_paragraph_is_never_taken_for_a_footer():
    long_paragraph = "Subscribers complained. " + "The service failed again and again. " * 12
    assert clean_article("T", long_paragraph).body == long_paragraph.strip()


def test_article_that_is_only_boilerplate_is_kept_rather_than_lost():
    cleaned = clean_article("T", "More stories like this are available on bloomberg.com\n©2023 Bloomberg L.P.")
    assert cleaned.body == "More stories like this are available on bloomberg.com\n\n©2023 Bloomberg L.P."


def test_html_body_loses_its_repeated_headline():
    record = read_one(FIXTURES / "hostile.html")
    cleaned = clean_article(record.title, record.body)
    assert paragraphs(cleaned)[0].startswith("The harbour at Porthleven reopened")


# ---- idempotence and hashing ---------------------------------------------------------------


def test_cleaning_cleaned_text_changes_nothing(clean_seed, reuters):
    for title, body in [(clean_seed.title, clean_seed.body)] + [(r.title, r.body) for r in reuters]:
        once = clean_article(title, body)
        twice = clean_article(once.title, once.body)
        assert (twice.title, twice.body) == (once.title, once.body)


def test_content_hash_is_a_sha256_hex_digest(seed):
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash(seed.title, seed.body))


def test_content_hash_is_the_same_for_raw_and_cleaned_text(seed, clean_seed):
    assert content_hash(seed.title, seed.body) == content_hash(clean_seed.title, clean_seed.body)


def test_content_hash_ignores_case_and_spacing():
    assert content_hash("Storm Hits", "The  storm\n\nhit.") == content_hash("storm hits", "THE STORM hit.")


def test_content_hash_tells_different_articles_apart():
    assert content_hash("Storm", "It rained.") != content_hash("Storm", "It snowed.")
    assert content_hash("Storm hits", "town") != content_hash("Storm", "hits town")


# ---- hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        " " * 100_000 + "x",
        "\n \n" * 20_000 + "Reuter",
        "\t\n" * 20_000 + "x",
        "Â \n" * 10_000,
        "(" * 100_000,
        "The same line.\n" * 20_000,
        "©2023 Someone\n" * 20_000,
    ],
    ids=["spaces", "blank-lines", "tabs", "residue", "brackets", "repeated-lead", "all-footer"],
)
def test_pathological_whitespace_and_brackets_clean_quickly(body):
    started = time.perf_counter()
    assert isinstance(clean_article("T", body), Cleaned)
    assert time.perf_counter() - started < 2


def test_one_line_fields_are_repaired_and_single_spaced_like_titles():
    assert clean_line("  Jos\u00c3\u00a9  Mart\u00c3\u00adnez\x00\x07 \n BBC\ufeff ") == "José Martínez BBC"
