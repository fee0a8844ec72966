"""Stories on make run's worker: versions placed before a worker restart and a version placed
after it are one story, and a full reindex afterwards gives every version's document that story.
The groups live in the database (docs/stories.md), so neither the restart nor the rebuild loses one."""
import os
import signal

import pytest

from articles import indexing
from articles.indexing import ArticleDocument
from articles.models import Article
from articles.pipeline import queue_articles

from .conftest import wait_until
from .test_following_worker import worker_main
from .test_stories import reuters, store, story_of, versions_of

pytestmark = pytest.mark.django_db(transaction=True)


def arrive_on_the_worker(articles):
    queue_articles([a.id for a in articles])
    ids = [a.id for a in articles]
    wait_until(lambda: Article.objects.filter(id__in=ids, indexed_at__isnull=False).count() == len(ids), timeout=120,
               message="the worker to enrich and index the versions")


def restart(worker):
    """Stop the Celery worker as a deployment does (SIGTERM); supervisord starts a new one."""
    main = worker_main(worker)
    os.kill(main, signal.SIGTERM)
    return wait_until(lambda: (worker_main(worker) or main) != main and worker_main(worker), timeout=90,
                      message="supervisord to restart the worker")


@pytest.mark.slow
def test_a_story_survives_a_worker_restart_and_a_full_reindex(worker, search_index):
    trimmed, full, update = (store(*version) for version in versions_of(reuters(1)[0]))
    arrive_on_the_worker([trimmed, full])
    story = story_of(full)

    restart(worker)
    arrive_on_the_worker([update])  # placed by the new worker process, from the rows alone

    assert {story_of(a) for a in (trimmed, full, update)} == {story}
    indexing.rebuild_index()
    assert {ArticleDocument.get(id=a.id).story for a in (trimmed, full, update)} == {story.ref}
    assert story_of(full).canonical_id == full.id
