"""Staff's corrections to the groups: split a version off into a story of its own, or join
stories into one. Each is kept on the versions it moved (`Version.staff_placed_at`), so
enrichment run again never moves them back; the articles moved are re-indexed."""
from django.db import transaction
from django.utils import timezone

from articles import pipeline
from articles.models import Story, Version
from articles.stories.grouping import hold_lock, refresh_stories


def split_off(article_ids, user):
    """Each article becomes a story of its own; returns how many were split off (an article
    already alone in its story, or in none, is left as it is)."""
    with transaction.atomic():
        hold_lock()
        versions = list(Version.objects.filter(article_id__in=article_ids).select_for_update())
        sizes = _sizes({v.story_id for v in versions})
        moved = [v for v in versions if sizes[v.story_id] > 1]
        old = {v.story_id for v in moved}
        for version in moved:
            sizes[version.story_id] -= 1
            version.story = Story.objects.create()
            _placed(version, user)
        Version.objects.bulk_update(moved, ["story", "staff_placed_at", "staff_placed_by"])
        refresh_stories(old | {v.story_id for v in moved})
        return pipeline.reindex([v.article_id for v in moved])


def join(story_ids, user):
    """Move the versions of the stories into the first made of them; returns that story (None
    when fewer than two of them exist)."""
    with transaction.atomic():
        hold_lock()
        stories = list(Story.objects.filter(id__in=story_ids).order_by("id"))
        if len(stories) < 2:
            return None
        into = stories[0]
        versions = list(Version.objects.filter(story__in=stories).select_for_update())
        moved = [v.article_id for v in versions if v.story_id != into.pk]
        for version in versions:
            version.story = into
            _placed(version, user)
        Version.objects.bulk_update(versions, ["story", "staff_placed_at", "staff_placed_by"])
        refresh_stories({s.pk for s in stories})
        pipeline.reindex(moved)
        return into


def _placed(version, user):
    version.staff_placed_at = timezone.now()
    version.staff_placed_by = user


def _sizes(story_ids):
    sizes = dict.fromkeys(story_ids, 0)
    for story_id in Version.objects.filter(story_id__in=story_ids).values_list("story_id", flat=True):
        sizes[story_id] += 1
    return sizes
