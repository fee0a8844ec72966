"""Article dates outside the accepted window (1800-01-01 to two days ahead): imports store
such an article with its date unknown and say so; articles that reached the index with such
a date anyway (stored before the window existed) take no page down.

One record dated 9999-12-31 once made search, compare, rising and the entity pages answer
500 for every reader."""
import importlib
import io
import json
from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from articles.indexing import index_articles
from articles.models import Article, ImportBatch

from .archive import ARCHIVE, build_archive, make_article
from .conftest import SEED

pytestmark = pytest.mark.django_db

def import_jsonl(tmp_path, *items, **options):
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0, **options)


def test_an_imported_date_outside_the_window_is_stored_as_unknown_and_reported(tmp_path):
    import_jsonl(tmp_path,
                 {"title": "Typo", "body": "A date typed wrong.", "date": "9999-12-31"},
                 {"title": "Old", "body": "A date parsed wrong.", "date": "0002-01-01"},
                 {"title": "Fine", "body": "A date as it should be.", "date": "1987-03-05"})

    dates = dict(Article.objects.values_list("title", "published_at"))
    assert dates["Typo"] is None and dates["Old"] is None and dates["Fine"].date() == date(1987, 3, 5)
    assert Article.objects.get(title="Typo").metadata["dropped_date"].startswith("9999-12-31")
    reasons = [p["reason"] for p in ImportBatch.objects.get().problems]
    assert len(reasons) == 2 and all("outside the accepted dates" in reason for reason in reasons)


def test_a_batch_date_outside_the_window_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--date must be from 1800-01-01"):
        call_command("import_articles", str(SEED), date="9999-12-31", stdout=io.StringIO(), verbosity=0)


@pytest.mark.parametrize("url", [
    "/", "/?q=putin", "/?sort=date", "/?date_from=0001-01-01&date_to=9998-12-31", "/api/search",
    "/api/search?date_from=1000-01-01", "/api/search.csv", "/compare?q1=putin", "/api/compare?q1=putin",
    "/api/compare?q1=putin&date_from=0001-01-01&date_to=9998-12-31", "/rising", "/api/rising",
    "/api/rising?date_from=0001-01-01&date_to=0001-01-02", "/entities/person/vladimir%20putin",
    "/api/entities/person/vladimir%20putin",
])
def test_no_page_fails_on_articles_indexed_with_far_dates(client, archive_with_far_dates, url):
    assert client.get(url, follow=True).status_code == 200


def test_search_counts_articles_with_far_dates_as_undated(client, archive_with_far_dates):
    body = client.get("/api/search", {"person": "vladimir putin"}).json()

    assert body["total"] == 3
    assert body["date_unknown"] == 2
    assert [bucket["value"] for bucket in body["facets"]["date"]] == ["2023-03"]


def test_the_migration_moves_stored_far_dates_into_metadata(search_index):
    rows = build_archive(ARCHIVE)
    far = make_article("Far", "Dated in the year 9999.", "Wire", date(9999, 12, 31), [])
    index_articles(Article.objects.filter(pk=far.pk), refresh=True)
    migration = importlib.import_module("articles.migrations.0006_article_date_window")

    migration.drop_dates_outside_window(apps, None)

    far.refresh_from_db()
    assert far.published_at is None and far.metadata["dropped_date"].startswith("9999-12-31")
    assert Article.objects.get(pk=rows["grain"].pk).published_at.date() == date(1987, 3, 5)
    assert Article.stale_in_index().filter(pk=far.pk).exists()
