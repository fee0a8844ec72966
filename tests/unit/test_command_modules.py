"""Every management command of the app loads (an import error would only show when run)."""
import pytest
from django.core.management import get_commands, load_command_class

COMMANDS = sorted(name for name, app in get_commands().items() if app == "articles")


def test_the_app_has_its_commands():
    assert {"entity_quality", "extract_entities", "import_articles",
            "pipeline_status", "sync_index"} <= set(COMMANDS)


def test_no_benchmark_is_a_command_of_the_product():
    """The benchmarks are the top-level benchmarks/ package (tests/unit/test_benchmark_modules.py)."""
    assert not [name for name in get_commands() if name.startswith("benchmark")]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_loads_with_its_help(name):
    assert load_command_class("articles", name).help


def test_the_librarys_search_index_command_gives_way_to_one_pointing_to_sync_index():
    from django.core.management import CommandError, call_command

    assert get_commands()["search_index"] == "articles"  # not django_elasticsearch_dsl's, which deletes the index
    with pytest.raises(CommandError, match="sync_index --rebuild"):
        call_command("search_index")
