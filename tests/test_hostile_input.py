"""Hostile input never gives a 5xx: Hypothesis sends generated requests to every public URL.

The requests go through Django's test client to the real database and Elasticsearch, with
the small archive of tests/archive.py indexed plus two records dated 9999-12-31 and 0002-01-01
(as a store from before the date window holds them). The tests here send up to 2,948 requests
per run (search parameters to five endpoints, article ids to two, entity keys to three), and
tests/test_trends_hostile.py up to 1,060 more. Every answer must be a 2xx or a 4xx of at most
MAX_RESPONSE_BYTES, and a 4xx must say what was wrong: problem details from any /api/ address,
an error message on an HTML page, the message itself from the feed.
"""
import re
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import hypothesis
import pytest
from hypothesis import HealthCheck, event, example, given
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from articles.search.params import SearchForm

from .contract import PROBLEM, ContractClient

SEARCH_URLS = ["/", "/api/search", "/api/search.csv", "/api/search.jsonl", "/feeds/search"]
ENTITY_PREFIXES = ["/entities/", "/api/entities/", "/aliases/"]
MAX_RESPONSE_BYTES = 300 * 1024
SEARCH_NAMES = list(SearchForm().fields)
QUERY_SYNTAX = '"+-|*~()\\<>=!?:/[]{}^&%#;.,\' \t\n\x00'

# database=None keeps failing examples out of the checkout, but Hypothesis also caches what it
# reads (constants, Unicode tables) under .hypothesis/, from collection on: that goes to /tmp.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "newsarchive-hypothesis")

# Function-scoped fixtures (the archive, the database transaction) are set up once per test,
# not per example: every request here only reads, so sharing them is safe.
FUZZ = hypothesis.settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

numbers = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["²", "١٢", "１", "0", "-0", "+1", "1.5", "1e3", "0x10", " 7 ", "9" * 5000, "0" * 50 + "1"]),
)
dates = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(["0000-01-01", "9999-12-31", "1987-02-29", "1987-13-01", "١٩٨٧-٠٣-٠٥", "1987-3-5", "today"]),
)
syntax = st.lists(
    st.one_of(
        st.sampled_from(list(QUERY_SYNTAX)),
        st.sampled_from(["OR", "AND", "NOT", "Putin", "oil*", '"oil prices', "-Reuters", "a~2", "*", "Xi^3"]),
    ),
    max_size=15,
).map(" ".join)
known_values = st.sampled_from(
    ["", " ", "Xi Jinping", "Vladimir Putin", "RU", "ru", "ZZ", "Reuters", "OPEC", "date", "date_asc", "person"]
)
values = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Nd", "No", "Zs", "P", "S"]), max_size=30),
    st.binary(max_size=12),  # percent-encoded as they are: invalid UTF-8 included
    syntax,
    numbers,
    dates,
    known_values,
    st.integers(min_value=200, max_value=2000).map("ö".__mul__),  # about the longest names stored
)
single = st.tuples(st.one_of(st.sampled_from(SEARCH_NAMES), st.text(max_size=5)), values).map(lambda pair: [pair])
repeated = st.tuples(st.sampled_from(SEARCH_NAMES), st.lists(values, min_size=2, max_size=25)).map(
    lambda pair: [(pair[0], value) for value in pair[1]]
)
parameters = st.lists(st.one_of(single, repeated), max_size=6).map(lambda groups: sum(groups, []))
kinds = st.one_of(st.sampled_from(["person", "country", "organization", "org", "PERSON"]), st.text(max_size=8))
keys = st.one_of(
    st.sampled_from(["xi jinping", "RU", "ru", "kremlin", "world trade organization", "nobody"]),
    st.text(min_size=1, max_size=30),
    syntax.filter(bool),
    numbers,
)


def encoded(value):
    """Percent-encode text as UTF-8, and bytes as they are."""
    return quote_from_bytes(value if isinstance(value, bytes) else value.encode(), safe="")


def query_string(pairs):
    return "&".join(f"{encoded(name)}={encoded(value)}" for name, value in pairs)


def error_message(response):
    """What a 4xx tells its reader: a problem's detail, the feed's plain text, the page's alert,
    or Django's Not Found page."""
    if response["Content-Type"] == PROBLEM:
        return response.json().get("detail")
    if response["Content-Type"].startswith("text/plain"):
        return response.content.decode()
    found = re.search(r'role="alert"><p>([^<]+)</p>|<h1>(Not Found)</h1>', response.content.decode())
    return found and (found[1] or found[2])


def check(url, path=None):
    """GET `url`: a 2xx, a redirect (a name to an entity's id), or a 4xx with a message
    (problem details for any /api/ URL)."""
    response = ContractClient(raise_request_exception=False).get(url)
    status = response.status_code
    event(f"status {status}")  # the mix of answers, shown by --hypothesis-show-statistics
    reason = getattr(response, "exc_info", None)
    assert status < 500, f"GET {url} answered {status}: {reason and reason[1]!r}"
    body = b"".join(response.streaming_content) if response.streaming else response.content  # the CSV streams
    assert len(body) <= MAX_RESPONSE_BYTES, f"GET {url} answered {len(body):,} bytes"
    if status >= 400:
        message = error_message(response)
        assert message and message.strip(), f"GET {url} answered {status} without a message"
        path = path or url.split("?")[0]
        if path.startswith("/api/"):
            assert response["Content-Type"] == PROBLEM, f"GET {url} answered {status} without problem details"


@pytest.mark.slow
@hypothesis.settings(FUZZ, max_examples=400)
@given(pairs=parameters, tail=st.text(st.sampled_from("&=%+;?2F0a"), max_size=8))
@example(pairs=[("person", "\x00")], tail="")
@example(pairs=[("country", "\x00")], tail="")
@example(pairs=[("page", "²")], tail="")
@example(pairs=[("page", "9" * 5000)], tail="")
@example(pairs=[("person", "Xi Jinping")] * 21, tail="")
@example(pairs=[("source", "x" * 40_000)], tail="")
@example(pairs=[("more", "person")] * 1001, tail="")  # more than Django's DATA_UPLOAD_MAX_NUMBER_FIELDS
def test_search_parameters_never_give_a_5xx(archive_with_far_dates, pairs, tail):
    query = query_string(pairs) + tail
    for path in SEARCH_URLS:
        check(f"{path}?{query}")


@hypothesis.settings(FUZZ, max_examples=150)
@given(article_id=st.one_of(st.none(), st.integers(min_value=-(10**30), max_value=10**30).map(str), numbers,
                            st.text(max_size=10)))
@example(article_id="99999999999999999999")
def test_article_ids_never_give_a_5xx(archive_with_far_dates, article_id):
    if article_id is None:  # an article that exists
        article_id = str(archive_with_far_dates["grain"].id)
    for prefix in ("/articles/", "/api/articles/"):
        path = prefix + article_id
        check(prefix + quote(article_id, safe=""), path)


@hypothesis.settings(FUZZ, max_examples=200)
@given(kind=kinds, key=keys)
@example(kind="person", key="\x00")
@example(kind="country", key="R\x00")
def test_entity_urls_never_give_a_5xx(archive_with_far_dates, kind, key):
    for prefix in ENTITY_PREFIXES:
        path = f"{prefix}{kind}/{key}"
        check(prefix + quote(f"{kind}/{key}", safe="/"), path)
