"""Every management command of the app loads (an import error would only show when run)."""
import pytest
from django.core.management import get_commands, load_command_class

COMMANDS = sorted(name for name, app in get_commands().items() if app == "articles")


def test_the_app_has_its_commands():
    assert {"benchmark_enrichment", "entity_quality", "extract_entities", "import_articles",
            "pipeline_status", "sync_index"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_loads_with_its_help(name):
    assert load_command_class("articles", name).help
