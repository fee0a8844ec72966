"""Historical states are countries of their own (the Soviet Union is not Russia): the articles
whose country mentions now name one go back to enrichment.

Until now the gazetteer read "Soviet Union", "West German", "Yugoslavia" and the like as the
current country that continues them (RU, DE, RS, CZ). Moving those mentions to the new
entities here would not give what enrichment gives: which countries an article keeps depends
on all of its mentions together (a country named only in passing is left out, and "Soviet"
was counted with "Moscow" as one country), so only the rules can say. Re-running them on the
few articles concerned is cheap: the rest of the archive is untouched. Their entities and
index copies stay as they are until the worker has enriched them again; the reconciler sends
them within a minute or two (pending, never sent), and the task indexes them.

The articles are found by asking the gazetteer of this release which surfaces of country
mentions now name a historical state: the reading enrichment will apply.
"""
from django.db import migrations
from django.utils import timezone


def enrich_historical_mentions_again(apps, schema_editor):
    from articles.entities.gazetteer import HISTORICAL_STATES, lookup

    Article = apps.get_model("articles", "Article")
    Mention = apps.get_model("articles", "Mention")
    country_mentions = Mention.objects.filter(entity__kind="country")
    surfaces = [
        surface for surface in country_mentions.values_list("surface", flat=True).distinct().iterator()
        if (place := lookup(surface)) and place.code in HISTORICAL_STATES
    ]
    if not surfaces:
        return
    articles = country_mentions.filter(surface__in=surfaces).exclude(entity__key__in=HISTORICAL_STATES)
    # Articles imported without enrichment stay so.
    Article.objects.filter(id__in=articles.values("article_id")).exclude(enrichment_status="skipped").update(
        enrichment_status="pending", enrichment_attempts=0, claimed_by="", queued_at=None, updated_at=timezone.now(),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_archive_resolution'),
    ]

    operations = [
        migrations.RunPython(enrich_historical_mentions_again, migrations.RunPython.noop),
    ]
