"""The emails to readers, links made absolute with SITE_URL: the digest (plain text with an
HTML alternative) and the link that verifies an address (plain text).

Everything from the archive or the reader (titles, search names) goes through the
templates' autoescaping in the HTML part; the subject carries only counts. Each article
of a digest comes with its title and highlighted snippet for its saved search's words,
as the search page shows them: Elasticsearch's html encoder escaped their text and left
only <mark> as markup, which the HTML part shows as bold on a light background (bold
survives in every mail client) and the text part as *word*.
"""
import html
import logging
import textwrap
from itertools import groupby
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString

from articles.search import UNAVAILABLE, SearchParamError, highlights

from . import searches

logger = logging.getLogger(__name__)
MARK_HTML = ('<strong style="background-color: #fff0a0;">', "</strong>")
MARK_TEXT = ("*", "*")


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def digest_groups(digest):
    """[(saved search name, its links, [articles])] of the digest, by search name."""
    deliveries = digest.deliveries.select_related("article", "saved_search").order_by(
        "saved_search__name", "saved_search_id", "-article__published_at", "-article_id"
    )
    grouped = [(search, list(items)) for search, items in groupby(deliveries, key=lambda d: d.saved_search)]
    found = digest_highlights([(_words(search), [d.article_id for d in items]) for search, items in grouped])
    groups = []
    for search, items in grouped:
        query = search.query if search else ""
        groups.append({
            "name": search.name if search else "A deleted saved search",
            "search_url": absolute(searches.search_url(query)),
            "feed_url": absolute(searches.feed_url(query, digest.user)),
            "articles": [_article(d.article, found.get(d.article_id, {})) for d in items],
        })
    return groups


def _article(article, found):
    """An article of the digest, its title and snippet marked as `found` (`highlights`) has
    them: its title escaped and its snippet empty without them."""
    title = found.get("title_html") or escape(article.title)
    return {
        "title_html": marked(title, MARK_HTML),
        "title_text": html.unescape(marked(title, MARK_TEXT)),
        "source": article.source,
        "published_at": article.published_at,
        "url": absolute(reverse("articles:article", args=[article.id])),
        "snippet_html": marked(found.get("snippet", ""), MARK_HTML),
        "snippet_text": plain_text(found.get("snippet", "")),
    }


def _words(search):
    """A saved search's words; none (so opening lines) for a deleted search or one that can
    no longer be read (a facet value the archive no longer knows)."""
    try:
        return search.params().q if search else ""
    except SearchParamError:
        return ""


def digest_highlights(requests):
    """{article id: {"title_html", "snippet"}} for [(words, article ids)]; none when
    Elasticsearch cannot be asked (the digest still goes, with plain titles and links only)."""
    try:
        return highlights(requests)
    except UNAVAILABLE as exc:
        logger.warning("Digest sent without snippets, Elasticsearch unavailable: %s", exc)
        return {}


def marked(highlighted, tags):
    """A highlighted title or snippet with its <mark> tags replaced by `tags` (opening,
    closing). Its text is escaped, so replacing exactly these tags keeps it safe."""
    opening, closing = tags
    return SafeString(highlighted.replace("<mark>", opening).replace("</mark>", closing))


def plain_text(snippet):
    """A highlighted snippet as plain text for the text part: *marked* words, one paragraph
    wrapped and indented under its article's title."""
    text = " ".join(html.unescape(marked(snippet, MARK_TEXT)).split())
    return textwrap.fill(text, width=76, initial_indent="  ", subsequent_indent="  ")


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
