"""What a reader sees of an article's story: its key, its other versions, how the article
differs from the canonical version, and the story a followed thread names."""
import re

from django.db.models import F

from articles.models import Article, Mention, Story, Version
from articles.stories.difference import word_difference

MAX_SHOWN = 50  # versions listed on an article's page; the rest are counted
THREAD_ENTITIES = 3  # a thread's related coverage mentions one of its canonical version's main entities
_KEY = re.compile(r"([as])([1-9][0-9]{0,17})")  # a story's key, as `story_key` writes it (an id fits a bigint)


def story_key(article_id, story_id):
    """The story's ref ("s12", `Story.ref`); an article not placed in a story (not enriched yet,
    or imported without enrichment) is a story of its own, "a" and its id, so that every
    document counts once when stories are counted."""
    return f"s{story_id}" if story_id else f"a{article_id}"


def versions_of(article_id, shown=MAX_SHOWN):
    """The article's story: {"story": its key, "canonical_id": the canonical version's id (None
    when the article is in no story, or the story has none), "versions": up to `shown` other
    versions ({"id", "title", "source", "published_at", "canonical"}, oldest first, undated
    last), "more": how many others are not listed}."""
    version = Version.objects.filter(article_id=article_id).select_related("story").first()
    if version is None:
        return {"story": story_key(article_id, None), "canonical_id": None, "versions": [], "more": 0}
    canonical_id = version.story.canonical_id
    others = Article.objects.filter(version__story_id=version.story_id).exclude(pk=article_id)
    rows = list(others.order_by(F("published_at").asc(nulls_last=True), "id")
                .values("id", "title", "source", "published_at")[: shown + 1])
    more = others.count() - shown if len(rows) > shown else 0
    return {
        "story": version.story.ref,
        "canonical_id": canonical_id,
        "versions": [{**row, "canonical": row["id"] == canonical_id} for row in rows[:shown]],
        "more": more,
    }


def difference_from_canonical(article, canonical_id):
    """How the article's body differs from its story's canonical version (`word_difference`),
    or None when it is the canonical version, or there is none."""
    if canonical_id is None or canonical_id == article.id:
        return None
    canonical = Article.objects.filter(pk=canonical_id).values_list("body", flat=True).first()
    return None if canonical is None else word_difference(canonical, article.body)


class Thread(str):
    """A followed story (a str: its key, as URLs and the index write it), with what its related
    coverage is found by: its canonical version's title ("" when it has none) and main entities
    ((kind, ref) pairs, most mentioned first)."""

    title: str
    entities: tuple[tuple[str, str], ...]

    def __new__(cls, key, title="", entities=()):
        value = super().__new__(cls, key)
        value.title, value.entities = title, tuple(entities)
        return value


def is_key(text):
    """Whether `text` is written as a story's key ("s12", "a7")."""
    return _KEY.fullmatch(text) is not None


def thread_of(key):
    """The Thread a story's key (`is_key`) names, or None when the archive knows no such story or
    article. An article's key ("a7") names the story it has been placed in since, if any."""
    kind, number = _KEY.fullmatch(key).groups()
    if kind == "a":
        story_ids = list(Article.objects.filter(pk=number).values_list("version__story", flat=True))
        if not story_ids:
            return None
        if story_ids[0] is None:
            return _thread(key, int(number))
        number = story_ids[0]
    canonical = list(Story.objects.filter(pk=number).values_list("canonical", flat=True))
    return _thread(story_key(None, number), canonical[0]) if canonical else None


def _thread(key, canonical_id):
    title = Article.objects.filter(pk=canonical_id).values_list("title", flat=True).first() if canonical_id else None
    return Thread(key, title or "", main_entities(canonical_id) if title is not None else ())


def main_entities(article_id, count=THREAD_ENTITIES):
    """The (kind, ref) of the `count` entities the article mentions most (an entity merged into
    another counts as the one it was merged into)."""
    weights = {}
    for mention in Mention.objects.filter(article_id=article_id).select_related("entity__merged_into"):
        entity = mention.entity.merged_into or mention.entity
        weights[(entity.kind, entity.ref)] = weights.get((entity.kind, entity.ref), 0) + mention.count
    return [found for found, _ in sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:count]]
