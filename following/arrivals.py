"""Which articles have just entered the search index, found by polling the database.

An article is searchable once a version of it reached the index: `indexed_at` is set
after enrichment and indexing, so its entities are in. The articles app records no time
of arrival, so arrival is tracked here, in id order, from a mark: every article below
the mark has arrived (or never will: Elasticsearch refused it). The mark stops at the
first article still on its way into the index, and never passes articles created in the
last SETTLE seconds, whose import transaction may not be visible yet (ids are handed
out before commit). Articles above the mark that were already matched are kept as
`Arrival` rows, so each is matched once however long the mark waits.
"""
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from articles.models import Article

from .models import Arrival, ArrivalMark

SETTLE = timedelta(seconds=60)
MARK_ID = 1  # the one row of ArrivalMark
ON_THE_WAY = Q(indexed_at__isnull=True, index_rejected_at__isnull=True)


def stored_mark():
    """The mark as the last run left it; None before the first run."""
    return ArrivalMark.objects.filter(pk=MARK_ID).values_list("next_id", flat=True).first()


def current_mark():
    """The first article that has not arrived yet: articles from it on are new.

    Used for "new since the last visit": an article still on its way when the reader
    looked counts as new once it arrives.
    """
    start = stored_mark() or 0
    first_waiting = Article.objects.filter(ON_THE_WAY, id__gte=start).aggregate(first=Min("id"))["first"]
    if first_waiting is not None:
        return first_waiting
    last = Article.objects.filter(id__gte=start).aggregate(last=Max("id"))["last"]
    return start if last is None else last + 1


def start():
    """The first run: what is in the index already is not news. Returns the mark."""
    mark = current_mark()
    try:
        with transaction.atomic():
            ArrivalMark.objects.create(pk=MARK_ID, next_id=mark)
    except IntegrityError:  # another run started it first
        pass
    return stored_mark()


def new_arrivals(mark, limit, now=None):
    """(ids of searchable articles from `mark` on not matched yet, oldest first, at most
    `limit`; the mark to store once they are matched)."""
    now = now or timezone.now()
    matched = Arrival.objects.filter(article_id__gte=mark).values("article_id")
    ids = list(
        Article.objects.filter(id__gte=mark, indexed_at__isnull=False)
        .exclude(id__in=matched)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    after = Article.objects.filter(id__gte=mark)
    settled = after.filter(created_at__lt=now - SETTLE).aggregate(last=Max("id"))["last"]
    bounds = [mark if settled is None else settled + 1]
    first_waiting = after.filter(ON_THE_WAY).aggregate(first=Min("id"))["first"]
    if first_waiting is not None:
        bounds.append(first_waiting)
    if len(ids) == limit:  # the rest are left for the next call: the mark must not pass them
        bounds.append(ids[-1] + 1)
    return ids, max(mark, min(bounds))


def record(ids, next_mark):
    """Remember `ids` as matched and move the mark on (never back); call in the transaction
    that records what they matched."""
    Arrival.objects.bulk_create([Arrival(article_id=i) for i in ids], ignore_conflicts=True)
    ArrivalMark.objects.filter(pk=MARK_ID).update(next_id=Greatest("next_id", next_mark), updated_at=timezone.now())
    Arrival.objects.filter(article_id__lt=stored_mark()).delete()
