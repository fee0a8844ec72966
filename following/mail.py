"""The emails to readers, links made absolute with SITE_URL: the digest (plain text with an
HTML alternative) and the link that verifies an address (plain text).

Everything from the archive or the reader (titles, search names) goes through the
templates' autoescaping in the HTML part; the subject carries only counts.
"""
from itertools import groupby
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from . import searches


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def digest_groups(digest):
    """[(saved search name, its links, [articles])] of the digest, by search name."""
    deliveries = digest.deliveries.select_related("article", "saved_search").order_by(
        "saved_search__name", "saved_search_id", "-article__published_at", "-article_id"
    )
    groups = []
    for search, items in groupby(deliveries, key=lambda d: d.saved_search):
        query = search.query if search else ""
        groups.append({
            "name": search.name if search else "A deleted saved search",
            "search_url": absolute(searches.search_url(query)),
            "feed_url": absolute(searches.feed_url(query, digest.user)),
            "articles": [{
                "title": d.article.title,
                "source": d.article.source,
                "published_at": d.article.published_at,
                "url": absolute(reverse("articles:article", args=[d.article_id])),
            } for d in items],
        })
    return groups


def digest_message(digest):
    groups = digest_groups(digest)
    count = sum(len(group["articles"]) for group in groups)
    daily = digest.frequency == "daily"
    subject = (f"Your daily newsarchive digest: {count} new article{'s' if count != 1 else ''}" if daily
               else f"newsarchive: {count} new article{'s' if count != 1 else ''} for your saved searches")
    context = {"user": digest.user, "groups": groups, "count": count, "daily": daily,
               "searches_url": absolute(reverse("following:searches"))}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("following/email/digest.txt", context),
        to=[digest.user.email],
        # The same digest always has the same Message-ID: a copy is recognisable as one.
        headers={"Message-ID": f"<digest-{digest.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>"},
    )
    message.attach_alternative(render_to_string("following/email/digest.html", context), "text/html")
    return message


def verification_message(user, link):
    context = {"user": user, "link": link, "account_url": absolute(reverse("following:account"))}
    return EmailMessage(
        subject="Confirm your email address for newsarchive alerts",
        body=render_to_string("following/email/verify.txt", context),
        to=[user.email],
    )
