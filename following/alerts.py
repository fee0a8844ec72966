"""Alerts: new articles matched to saved searches, and the digests that announce them.

Each run (the `send_alerts` task) first matches the articles that entered the index since
the last run and records one Delivery per reader and article (a unique constraint: an
article is never announced to a reader twice, whichever searches find it); then it gathers
each reader's waiting deliveries into a digest (immediate: every run; daily: once a day
from ALERT_DAILY_HOUR) and sends it. Only readers whose address is verified are matched,
and a digest waits while its reader's address is unverified (changed since it was made).

Sending is at most once. A digest is claimed (status "sending") in its own committed
update before the SMTP exchange starts. A refusal or an unreachable server means it was
not sent: back to pending, tried again next run. A worker that dies during the exchange
leaves the digest "sending"; as the server may have taken the message, it is marked
"unknown" after a lease and never sent again, so a redelivered task or a restarted
worker cannot send it twice.
"""
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.search import SearchParamError

from . import arrivals, mail, matching, verification
from .models import Delivery, Digest, SavedSearch

logger = logging.getLogger(__name__)
BATCH = 500  # new articles matched per request round
MAX_BATCHES = 20  # per run; the next run takes the rest
MAX_ATTEMPTS = 5  # sends a server refused before a digest is marked failed
# The server answered "no": the message was not taken.
REFUSED = (smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
INTERRUPTED = (
    "The worker stopped while sending this digest. The mail server may have taken it, so it "
    "is not sent again (an alert is never sent twice)."
)
ALERT_ORDER = {SavedSearch.Alert.IMMEDIATE: 0, SavedSearch.Alert.DAILY: 1}


def alerting_searches():
    """(saved search, its query) of every search with an alert whose reader has a verified
    address; an immediate search first, so an article both kinds find goes out at once."""
    searches = SavedSearch.objects.exclude(alert=SavedSearch.Alert.OFF).filter(
        user__is_active=True, user__in=verification.verified_readers()
    )
    result = []
    for search in sorted(searches, key=lambda s: (ALERT_ORDER[s.alert], s.pk)):
        try:
            result.append((search, matching.search_filter(search.params())))
        except SearchParamError as exc:  # a value the archive no longer knows (a country code)
            logger.warning("Saved search %s cannot be run: %s", search.pk, exc)
    return result


def match_new_articles(batch=BATCH, max_batches=MAX_BATCHES):
    """Match newly indexed articles against the saved searches; returns deliveries recorded."""
    mark = arrivals.stored_mark()
    if mark is None:
        arrivals.start()
        return 0
    recorded = 0
    searches = None
    for _ in range(max_batches):
        ids, next_mark = arrivals.new_arrivals(mark, batch)
        deliveries = []
        if ids:
            searches = alerting_searches() if searches is None else searches
            deliveries = _deliveries(searches, ids)
        with transaction.atomic():
            Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
            arrivals.record(ids, next_mark)
        recorded += len(deliveries)
        mark = arrivals.stored_mark()
        if len(ids) < batch:
            break
    return recorded


def _deliveries(searches, article_ids):
    """One Delivery per reader and article found, from the first search that found it."""
    found = matching.match([(search.pk, query) for search, query in searches], article_ids)
    deliveries = {}
    for search, _ in searches:
        for article_id in found.get(search.pk, []):
            deliveries.setdefault((search.user_id, article_id), Delivery(
                user_id=search.user_id, article_id=article_id, saved_search=search, frequency=search.alert,
            ))
    return list(deliveries.values())


def send_due_digests(now=None):
    """Gather waiting deliveries into digests and send every pending digest to a verified
    address; returns how many went."""
    now = now or timezone.now()
    mark_interrupted_sends(now)
    open_digests(SavedSearch.Alert.IMMEDIATE, now.isoformat(timespec="microseconds"))
    if now.hour >= settings.ALERT_DAILY_HOUR:
        open_digests(SavedSearch.Alert.DAILY, now.date().isoformat())
    pending = Digest.objects.filter(status=Digest.Status.PENDING, user__in=verification.verified_readers())
    return sum(send_digest(digest) for digest in pending.order_by("id"))


def open_digests(frequency, period):
    """Put each reader's waiting deliveries of `frequency` in their digest for `period`.

    A reader's daily digest of a day is made once (a unique constraint); deliveries that
    come after it was sent wait for the next day's.
    """
    readers = Delivery.objects.filter(frequency=frequency, digest=None).values_list("user_id", flat=True).distinct()
    for user_id in list(readers):
        try:
            with transaction.atomic():
                digest, created = Digest.objects.get_or_create(user_id=user_id, frequency=frequency, period=period)
                if digest.status != Digest.Status.PENDING:
                    continue
                # Another run's UPDATE of the same rows waits for this one, then finds none left.
                waiting = Delivery.objects.filter(user_id=user_id, frequency=frequency, digest=None)
                if not waiting.update(digest=digest) and created:
                    digest.delete()
        except IntegrityError:  # another run made this daily digest at the same moment
            continue


def send_digest(digest):
    """Send one pending digest at most once; returns 1 when it went, else 0."""
    claimed = Digest.objects.filter(pk=digest.pk, status=Digest.Status.PENDING).update(
        status=Digest.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return 0  # another run has it
    digest.refresh_from_db()
    if digest.deliveries.exists():
        status, error = _deliver(mail.digest_message(digest), digest.attempts)
    else:  # its articles were deleted meanwhile
        status, error = Digest.Status.FAILED, "No articles left to send."
    if status != Digest.Status.SENT:
        logger.warning("Digest %s not sent (%s): %s", digest.pk, status, error)
    Digest.objects.filter(pk=digest.pk, status=Digest.Status.SENDING).update(
        status=status, error=error, sent_at=timezone.now() if status == Digest.Status.SENT else None
    )
    return int(status == Digest.Status.SENT)


def _deliver(message, attempts):
    """(status, error) after one SMTP exchange: sent; refused (pending again, or failed after
    MAX_ATTEMPTS); or unknown, when the exchange broke off after it began."""
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # no connection, so nothing was sent
        return _refused(attempts, exc)
    try:
        connection.send_messages([message])
    except REFUSED as exc:
        return _refused(attempts, exc)
    except Exception as exc:  # cut off mid-exchange: the server may have the message
        return Digest.Status.UNKNOWN, f"{type(exc).__name__}: {exc}"
    finally:
        try:
            connection.close()
        except Exception:  # the message went (or not) before QUIT: nothing to change
            pass
    return Digest.Status.SENT, ""


def _refused(attempts, exc):
    status = Digest.Status.FAILED if attempts >= MAX_ATTEMPTS else Digest.Status.PENDING
    return status, f"{type(exc).__name__}: {exc}"


def mark_interrupted_sends(now):
    """Digests whose sending outlived its lease: the worker died mid-send. Never resent."""
    lease = timedelta(seconds=2 * settings.EMAIL_TIMEOUT + 30)
    return Digest.objects.filter(status=Digest.Status.SENDING, claimed_at__lt=now - lease).update(
        status=Digest.Status.UNKNOWN, error=INTERRUPTED
    )
