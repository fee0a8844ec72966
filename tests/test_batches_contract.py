"""The batch API keeps its contract for its owner too: test_api_contract.py's Schemathesis run,
over real HTTP, with a reader's API token and the id of their finished batch, so that every
operation is answered as a signed-in reader sees it (and, without the token, refused)."""
import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from batches import access, lists, runs

from .test_batches import run_to_the_end

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))


@pytest.fixture
def batch_schema(live_server, archive):
    user = get_user_model().objects.create_user("scripted", "scripted@example.com", "a-long-pass-phrase")
    batch = run_to_the_end(runs.create(user, "list.txt", lists.read_list(
        "list.txt", b'China\n\n=SUM(A1)\nperson:"Xi Jinping"\n')))
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    schema.config.generation.update(max_examples=EXAMPLES)
    schema.config.update(headers={"Authorization": f"Bearer {access.api_token(user)}"}, parameters={"id": batch.pk})
    return schema


schema = schemathesis.pytest.from_fixture("batch_schema").include(path_regex="^/api/batches")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # the live server's thread reads the batch: it must be committed
@schema.parametrize()
def test_the_batch_api_keeps_its_contract_for_its_owner(case):
    if case.method == "POST":
        # A form's fields are text: a "number" sent for the name is the text of one, a valid name, and any
        # file is schema-valid (a binary string) while only some bytes make a list, which no schema can
        # say. Whether each is accepted or refused (with the 400 the description lists) is tested by
        # test_batches.py; here every other check holds (no 5xx, documented statuses and bodies).
        case.call_and_validate(excluded_checks=[positive_data_acceptance, negative_data_rejection])
    else:
        case.call_and_validate()
