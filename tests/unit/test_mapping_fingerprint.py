"""The digest an index records of the mapping it was made for (no service needed)."""
from articles.indexing import lifecycle


def test_the_digest_ignores_replicas_and_leaves_the_documents_settings_alone():
    index = lifecycle._articles_index()
    before = index.to_dict()["settings"]["number_of_replicas"]
    digest = lifecycle.mapping_fingerprint()

    index._settings["number_of_replicas"] = before + 1
    try:
        assert lifecycle.mapping_fingerprint() == digest
        assert index.to_dict()["settings"]["number_of_replicas"] == before + 1
    finally:
        index._settings["number_of_replicas"] = before


def test_the_digest_changes_with_the_analysis():
    index = lifecycle._articles_index()
    digest = lifecycle.mapping_fingerprint()
    analysis = index._analysis

    index._analysis = {**analysis, "filter": {**analysis.get("filter", {}), "extra": {"type": "lowercase"}}}
    try:
        assert lifecycle.mapping_fingerprint() != digest
    finally:
        index._analysis = analysis
