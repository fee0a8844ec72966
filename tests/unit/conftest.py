"""The fast tier: pure logic (readers, cleaning, entity rules on the real spaCy model).

These tests use no database, broker or search engine, so they run with every service
stopped: `make test-fast`. Nothing here may ask for the `db` fixture.
"""
from pathlib import Path

import pytest

from articles.enrichment.nlp import get_nlp


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline of settings.SPACY_MODEL, loaded once."""
    return get_nlp()


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here not in item.path.parents:
            continue
        if {"db", "transactional_db"} & set(item.fixturenames):
            raise pytest.UsageError(f"{item.nodeid} needs the database: it belongs in the integration tier")
