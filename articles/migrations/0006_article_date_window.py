"""Article dates within datewindow's window: the field validates them, and stored dates
outside it become unknown, kept in metadata["dropped_date"] as imports now do."""
from datetime import datetime, time, timezone

from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone as django_timezone

import articles.datewindow


def drop_dates_outside_window(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    first = datetime.combine(articles.datewindow.earliest(), time.min, tzinfo=timezone.utc)
    last = datetime.combine(articles.datewindow.latest(), time.max, tzinfo=timezone.utc)
    now = django_timezone.now()
    for article in Article.objects.filter(Q(published_at__lt=first) | Q(published_at__gt=last)).iterator():
        article.metadata = {**article.metadata, "dropped_date": article.published_at.isoformat()}
        article.published_at = None
        article.updated_at = now  # the index copy is stale: the reconciler indexes it again
        article.save(update_fields=["metadata", "published_at", "updated_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_article_stale_in_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='article',
            name='published_at',
            field=models.DateTimeField(blank=True, db_index=True, null=True, validators=[articles.datewindow.validate_article_date]),
        ),
        migrations.RunPython(drop_dates_outside_window, migrations.RunPython.noop),
    ]
