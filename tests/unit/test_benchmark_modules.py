"""Every benchmark of benchmarks/ loads with its options (an import error would only show when
run by a make target against real services)."""
import importlib

import pytest

BENCHMARKS = ["alerts", "batches", "enrichment", "export", "resolution", "search", "stories"]


@pytest.mark.parametrize("name", BENCHMARKS)
def test_a_benchmark_loads_with_its_help(name):
    command = importlib.import_module(f"benchmarks.{name}").Command()
    assert command.help
    assert command.create_parser("python -m", f"benchmarks.{name}").format_help()


def test_the_search_benchmark_keeps_its_options():
    from benchmarks.search import Command

    options = vars(Command().create_parser("python -m", "benchmarks.search").parse_args([]))
    assert {"articles": 100_000, "passes": 20, "clients": "1,8", "reindex_rounds": 2, "limit": None}.items() <= options.items()


def test_the_resolution_benchmark_loads_articles_as_the_enrichment_one_does():
    from benchmarks import enrichment, resolution

    assert resolution.load_articles is enrichment.load_articles
