"""What readers follow: saved searches, the articles they were told about, and the digests
that told them.

Every article a reader is alerted to is one `Delivery` row, unique per reader and article,
so no article is ever announced twice; a `Digest` is one email, and its status says how far
sending it got. `ArrivalMark` and `Arrival` are the matcher's own bookkeeping of which
articles it has already seen enter the index.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import QueryDict

from articles.models import Article


class SavedSearch(models.Model):
    class Alert(models.TextChoices):
        OFF = "off", "Off"
        DAILY = "daily", "Daily digest"
        IMMEDIATE = "immediate", "As soon as they arrive"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=200)
    # The search page's query string (q, facets, dates), canonical: no page, sort or "more".
    query = models.TextField(blank=True)
    alert = models.CharField(max_length=10, choices=Alert.choices, default=Alert.OFF)
    created_at = models.DateTimeField(auto_now_add=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    # Articles from this id on count as new: the first one still on its way into the index
    # when the reader last opened the search (see arrivals.current_mark).
    new_from_id = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "saved searches"
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="unique_saved_search_name")]

    def __str__(self):
        return self.name

    def params(self):
        """The stored query as SearchParams; raises SearchParamError if it is no longer valid."""
        from articles.search import parse_search_params  # the search package loads the index document

        return parse_search_params(QueryDict(self.query))


class Digest(models.Model):
    """One alert email to one reader.

    pending -> sending -> sent; a send the server refused goes back to pending (retried a
    few times, then failed); a worker that died while sending leaves it "unknown", and it is
    never sent again: the reader may have it already.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        UNKNOWN = "unknown"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    frequency = models.CharField(max_length=10, choices=SavedSearch.Alert.choices)
    # The period it covers: the day (YYYY-MM-DD) of a daily digest; the run of an immediate one.
    period = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], condition=Q(frequency="daily"), name="one_daily_digest_a_day"
            )
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} digest {self.period} for {self.user}"


class Delivery(models.Model):
    """An article matched for a reader: recorded once, sent in at most one digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    saved_search = models.ForeignKey(SavedSearch, null=True, on_delete=models.SET_NULL, related_name="deliveries")
    frequency = models.CharField(max_length=10, choices=SavedSearch.Alert.choices)
    digest = models.ForeignKey(Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    matched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="one_delivery_per_article")]
        indexes = [models.Index(fields=["user", "frequency"], condition=Q(digest=None), name="delivery_waiting")]


class ArrivalMark(models.Model):
    """One row: every article below `next_id` has been seen arriving (or never will)."""

    next_id = models.BigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)


class Arrival(models.Model):
    """An article at or above the mark already matched; dropped once the mark passes it."""

    article_id = models.BigIntegerField(primary_key=True)
    arrived_at = models.DateTimeField(auto_now_add=True)


class EmailVerification(models.Model):
    """The address a reader proved theirs by following the link mailed to it. Their current
    address counts as verified only while it is this one: changing it unverifies it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_verification")
    email = models.EmailField(blank=True)  # the address proved; "" until one is
    verified_at = models.DateTimeField(null=True, blank=True)
    # The last link mailed: when, and to which address.
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
