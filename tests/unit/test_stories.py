"""What makes two texts versions of one story (articles.stories.signatures), on real Reuters
versions and on different stories of one day from reuters2006."""
import json
import lzma
from datetime import datetime, timedelta

import pytest

from articles.stories import signatures as sig

from ..conftest import SHARED_DATA

REUTERS_2006 = SHARED_DATA / "reuters2006" / "reuters_2006_2013.jsonl.xz"
PAIRS = {
    # Madoff: the same story re-filed 80 minutes later under a new headline (Jaccard 0.58).
    "madoff": ("reuters-USN1342022320090113", "reuters-USN1342022320090114"),
    # Bakrie: a first take of 140 words, extended to 300 (Jaccard 0.33, 81 % of the first inside).
    "bakrie": ("reuters-USBRE8900D220121001", "reuters-USBRE8900ED20121001"),
    # FOMC statements of two meetings six weeks apart: the same boilerplate, two decisions.
    "fomc": ("reuters-USTRE72E71A20110318", "reuters-USTRE73Q5RB20110427"),
    # Lehman's bankruptcy day: the capital-ratio analysis and the European stocks report.
    "lehman": ("reuters-USBNG13013120080915", "reuters-USLF69637920080915"),
}


@pytest.fixture(scope="module")
def reuters():
    """The reuters2006 items of PAIRS: {id: (published, body)}."""
    wanted = {item_id for pair in PAIRS.values() for item_id in pair}
    found = {}
    with lzma.open(REUTERS_2006, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line[8:].split('"', 1)[0] in wanted:  # each line starts {"id": "
                item = json.loads(line)
                found[item["id"]] = (datetime.fromisoformat(item["date"]), item["body"])
    return found


def texts(reuters, name):
    first, second = PAIRS[name]
    return reuters[first], reuters[second]


def test_case_and_punctuation_do_not_change_the_shingles():
    assert list(sig.shingles("Oil rose 2 percent, traders said.")) == list(sig.shingles("oil ROSE 2 percent traders said"))


def test_a_text_shorter_than_a_shingle_is_one_shingle_and_an_empty_one_none():
    assert len(sig.shingles("Stocks close higher")) == 1
    assert len(sig.shingles(" -- ")) == 0


def test_a_re_filed_story_under_a_new_headline_is_a_version(reuters):
    (day_a, body_a), (day_b, body_b) = texts(reuters, "madoff")
    found = sig.resemblance(sig.shingles(body_a), sig.shingles(body_b))
    assert found.jaccard >= sig.JACCARD_MIN and found.versions and sig.within_window(day_a, day_b)


def test_a_first_take_later_extended_is_a_version_by_containment(reuters):
    (_, short), (_, extended) = texts(reuters, "bakrie")
    found = sig.resemblance(sig.shingles(short), sig.shingles(extended))
    assert found.jaccard < sig.JACCARD_MIN and found.containment >= sig.CONTAINMENT_MIN and found.versions


def test_statements_of_two_meetings_share_boilerplate_but_are_filed_too_far_apart(reuters):
    (day_a, body_a), (day_b, body_b) = texts(reuters, "fomc")
    assert sig.resemblance(sig.shingles(body_a), sig.shingles(body_b)).jaccard >= sig.JACCARD_MIN
    assert not sig.within_window(day_a, day_b)


def test_two_stories_on_one_subject_from_one_day_are_not_versions(reuters):
    (_, analysis), (_, markets) = texts(reuters, "lehman")
    assert not sig.resemblance(sig.shingles(analysis), sig.shingles(markets)).versions


def test_versions_share_a_band_of_their_signatures_and_different_stories_none(reuters):
    def keys(body):
        return set(sig.band_keys(sig.signature(sig.shingles(body))))

    (_, first), (_, second) = texts(reuters, "madoff")
    (_, analysis), (_, markets) = texts(reuters, "lehman")
    assert keys(first) & keys(second)
    assert not keys(analysis) & keys(markets)


def test_the_estimate_from_signatures_is_near_the_exact_jaccard(reuters):
    (_, first), (_, second) = texts(reuters, "madoff")
    a, b = sig.shingles(first), sig.shingles(second)
    assert abs(sig.estimated_jaccard(sig.signature(a), sig.signature(b)) - sig.resemblance(a, b).jaccard) < 0.2


def test_a_signature_survives_its_stored_bytes(reuters):
    signature = sig.signature(sig.shingles(texts(reuters, "madoff")[0][1]))
    assert list(sig.from_bytes(sig.to_bytes(signature))) == list(signature)


def test_the_canonical_version_is_the_earliest_full_one_not_an_earlier_trimmed_copy():
    day = datetime(2012, 10, 1, 6, 29)
    trimmed_first, full, full_later = (1, day, 60), (2, day + timedelta(minutes=20), 300), (3, day + timedelta(hours=2), 290)
    assert sig.canonical([full_later, trimmed_first, full]) == 2


def test_an_undated_version_is_canonical_only_when_no_full_version_has_a_date():
    day = datetime(2012, 10, 1)
    assert sig.canonical([(1, None, 300), (2, day, 300)]) == 2
    assert sig.canonical([(1, None, 300), (2, day, 100)]) == 1
