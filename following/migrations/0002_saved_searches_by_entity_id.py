"""Saved searches name entities by their stable ids, not by the names they were saved with,
so that a later rename or merge changes nothing they find. A stored query the search no
longer accepts is left as it was (its page says why)."""
from django.db import migrations


def name_entities_by_id(apps, schema_editor):
    from articles.search import SearchParamError
    from following.searches import canonical_query, parse_query

    SavedSearch = apps.get_model("following", "SavedSearch")
    for search in SavedSearch.objects.iterator():
        try:
            query = canonical_query(parse_query(search.query))
        except SearchParamError:
            continue
        if query != search.query:
            SavedSearch.objects.filter(pk=search.pk).update(query=query)


class Migration(migrations.Migration):

    dependencies = [
        ("following", "0001_initial"),
        ("articles", "0007_entity_merged_into"),
    ]

    operations = [migrations.RunPython(name_entities_by_id, migrations.RunPython.noop)]
