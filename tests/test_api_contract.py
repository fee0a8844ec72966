"""The API keeps its contract: Schemathesis reads the live /api/openapi.json and sends every
operation requests it generates from the description, over real HTTP to Django's live server
(the real database and Elasticsearch, the small archive of tests/archive.py indexed).

Every answer passes all of Schemathesis' checks: no 5xx, a status, content type, headers and
body the description lists, a request the description allows accepted (2xx, or a 404 for an
id that names nothing), one it forbids refused with a 4xx, and an undeclared method a 405
with Allow. `tests/contract.py` checks the answers the other tests receive; this test finds
the requests nobody wrote. README.md and docs/testing.md give the full run (100 examples per operation);
SCHEMATHESIS_EXAMPLES sets the number here (25 by default, for the suite's time).
"""
import os

import pytest
import schemathesis

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))


@pytest.fixture
def api_schema(live_server, archive):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    schema.config.generation.update(max_examples=EXAMPLES)
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # the live server's thread reads the archive: it must be committed
@schema.parametrize()
def test_the_api_keeps_its_contract(case):
    case.call_and_validate()
