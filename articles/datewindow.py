"""The one window of dates an article may carry: from ARTICLE_DATE_EARLIEST to
ARTICLE_DATE_DAYS_AHEAD days after today.

A date outside it is a typing or parsing error ("9999-12-31", "0002-01-01"), never news:
imports keep such an article with its date unknown and say so in the batch report, the
admin refuses it, and search counts any that still reach the index as undated, so that no
histogram, comparison or trend has to span ten thousand years.
"""
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone


def earliest() -> date:
    return settings.ARTICLE_DATE_EARLIEST


def latest(today: date | None = None) -> date:
    """The last accepted day: a few days ahead of today, for time zones and embargoed copy."""
    return (today or timezone.now().date()) + timedelta(days=settings.ARTICLE_DATE_DAYS_AHEAD)


def accepts(day: date) -> bool:
    return earliest() <= day <= latest()


def describe() -> str:
    return f"from {earliest().isoformat()} to {latest().isoformat()}"


def checked(published_at: datetime | None) -> tuple[datetime | None, str]:
    """(the date when the window accepts it, else None; a note saying what was dropped)."""
    if published_at is None or accepts(published_at.date()):
        return published_at, ""
    return None, (f"date {published_at.date().isoformat()} is outside the accepted dates "
                  f"({describe()}): stored as undated")


def validate_article_date(value):
    """Model and form validator: the same window for dates typed by staff."""
    day = value.date() if isinstance(value, datetime) else value
    if not accepts(day):
        raise ValidationError(f"Article dates must be {describe()}.", code="date_outside_window")
