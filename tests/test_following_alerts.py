"""Alerts: new articles matched to saved searches, mailed in digests through a real SMTP server.

The SMTP server (aiosmtpd) runs in this process on a port chosen at import, before any
worker starts, so the worker's processes (started by the `worker` fixture with this
process's environment) send to it too. These tests call the alert functions themselves,
inside a test transaction the worker cannot see.
"""
import asyncio
import atexit
import email
import os
import socket
import threading
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

from articles.indexing import index_articles
from articles.models import Article
from following import alerts, arrivals, searches, verification
from following.models import ArrivalMark, Delivery, Digest, SavedSearch

from .archive import PUTIN, RUSSIA, SAUDI, make_article


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SMTP_PORT = _free_port()
# For the worker processes, which read their settings from the environment when they start.
os.environ.update(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=str(SMTP_PORT), EMAIL_USE_TLS="0", EMAIL_TIMEOUT="5",
    ALERT_INTERVAL=os.environ.get("ALERT_INTERVAL", "2"), ALERT_DAILY_HOUR="0",
)


class SmtpSink:
    """What a real SMTP server received; it can refuse messages or answer slowly."""

    def __init__(self):
        self.messages = []
        self.refuse = 0  # refuse the next N messages with 550
        self.delay = 0.0  # seconds to wait before accepting a message it already has
        self.receiving = threading.Event()  # set when a message has come in (before the answer)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "550 Refused by the test server"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.receiving.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for message in self.messages if message["To"] == address]

    def reset(self):
        self.messages.clear()
        self.refuse, self.delay = 0, 0.0
        self.receiving.clear()


_servers = []


@pytest.fixture(scope="session")
def smtp_sink():
    """The one SMTP server of the session, whichever test module asks first (modules that
    import this fixture get their own copy of it, and the port is one)."""
    if not _servers:
        sink = SmtpSink()
        controller = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
        controller.start()
        atexit.register(controller.stop)
        _servers.append(sink)
    return _servers[0]


@pytest.fixture
def smtp(smtp_sink, settings):
    """This process sends through the real SMTP server too (Django's tests default to locmem)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SMTP_PORT
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
    settings.ALERT_DAILY_HOUR = 0
    smtp_sink.reset()
    yield smtp_sink
    smtp_sink.reset()


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()


def reader(name="reader", verified=True):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "a-long-pass-phrase")
    if verified:
        verification.confirm(user)
    return user


def saved(user, query, alert=SavedSearch.Alert.IMMEDIATE, name=None):
    params = searches.parse_query(query)
    return searches.save(user, params, name or searches.describe(params), alert)


def publish(title, body="A report.", mentions=(), day=None, source="Reuters"):
    """A new article, enriched and in the index: it has arrived."""
    article = make_article(title, body, source, day, list(mentions))
    index_articles(Article.objects.filter(pk=article.pk), refresh=True)
    return article


@pytest.fixture
def news(archive):
    """The test archive, all of it old news: the mark is past it."""
    ArrivalMark.objects.update_or_create(pk=arrivals.MARK_ID, defaults={"next_id": arrivals.current_mark()})
    return archive


def run_alerts(now=None):
    alerts.match_new_articles()
    return alerts.send_due_digests(now)


def test_a_new_matching_article_is_mailed_to_the_reader(smtp, news):
    user = reader()
    saved(user, "q=summit", name="Summits")
    article = publish("Summit opens in Vienna", "Leaders gather for the summit.")

    run_alerts()

    (message,) = smtp.to("reader@example.com")
    assert message["Subject"] == "newsarchive: 1 new article for your saved searches"
    assert "Summits" in text_of(message)
    assert "- *Summit* opens in Vienna (Reuters)" in text_of(message)  # its title, the search's word marked
    assert f"/articles/{article.pk}" in text_of(message)


def test_articles_that_do_not_match_or_were_already_in_the_index_are_not_mailed(smtp, news):
    user = reader()
    saved(user, "q=talks")  # two articles of the archive match: they are old
    publish("Harbour reopens", "The harbour reopened on Monday.")

    run_alerts()

    assert smtp.to("reader@example.com") == []


def test_an_entity_facet_matches_once_the_article_is_in_the_index_with_its_entities(smtp, news):
    user = reader()
    saved(user, "person=Vladimir+Putin")
    article = make_article("Kremlin statement", "Vladimir Putin spoke.", "Reuters", None, [(PUTIN, "Vladimir Putin")])

    run_alerts()  # enriched, not indexed yet: it has not arrived
    assert smtp.to("reader@example.com") == []

    index_articles(Article.objects.filter(pk=article.pk), refresh=True)
    run_alerts()
    (message,) = smtp.to("reader@example.com")
    assert "Kremlin statement" in text_of(message)


def test_an_article_found_by_two_of_a_readers_searches_is_listed_once(smtp, news):
    user = reader()
    saved(user, "q=Putin", name="Putin")
    saved(user, "country=RU", name="Russia")
    publish("Putin in Russia", "Putin toured Russia.", [(PUTIN, "Putin"), (RUSSIA, "Russia")])

    run_alerts()

    (message,) = smtp.to("reader@example.com")
    assert text_of(message).count(" in Russia (Reuters)") == 1  # its title
    assert Delivery.objects.count() == 1


def test_each_reader_gets_one_digest_for_all_their_new_articles(smtp, news):
    alice, bob = reader("alice"), reader("bob")
    saved(alice, "q=grain")
    saved(alice, "q=wheat")
    saved(bob, "q=wheat")
    publish("Grain harvest up", "The grain harvest grew.")
    publish("Wheat prices fall", "Wheat fell.")

    run_alerts()

    (to_alice,) = smtp.to("alice@example.com")
    (to_bob,) = smtp.to("bob@example.com")
    assert "2 new articles" in to_alice["Subject"]
    assert "*Wheat* prices fall" in text_of(to_bob) and "harvest up" not in text_of(to_bob)


def test_running_again_never_mails_an_article_twice(smtp, news):
    user = reader()
    saved(user, "q=summit")
    publish("Summit opens", "The summit opened.")
    run_alerts()

    ArrivalMark.objects.update(next_id=1)  # as if the run were redelivered from the start
    run_alerts()
    run_alerts()

    assert len(smtp.to("reader@example.com")) == 1
    assert Digest.objects.get().status == Digest.Status.SENT


def test_searches_with_alerts_off_and_readers_without_email_get_nothing(smtp, news):
    saved(reader("quiet"), "q=summit", alert=SavedSearch.Alert.OFF)
    silent = get_user_model().objects.create_user("nomail", "", "a-long-pass-phrase")
    saved(silent, "q=summit")
    publish("Summit opens", "The summit opened.")

    run_alerts()

    assert smtp.messages == [] and Delivery.objects.count() == 0


def test_a_reader_whose_address_is_unverified_gets_nothing(smtp, news):
    saved(reader(verified=False), "q=summit")
    publish("Summit opens", "The summit opened.")

    run_alerts()

    assert smtp.messages == [] and Delivery.objects.count() == 0


def test_a_digest_waits_while_the_changed_address_is_unverified_and_goes_to_it_once_verified(smtp, news):
    user = reader()
    saved(user, "q=summit")
    publish("Summit opens", "The summit opened.")
    alerts.match_new_articles()
    user.email = "new-address@example.com"
    user.save()

    run_alerts()
    assert smtp.messages == [] and Digest.objects.get().status == Digest.Status.PENDING

    verification.confirm(user)
    run_alerts()
    (message,) = smtp.messages
    assert message["To"] == "new-address@example.com"


def test_a_daily_digest_goes_once_a_day_and_later_articles_wait_for_the_next(smtp, news):
    user = reader()
    saved(user, "q=summit", alert=SavedSearch.Alert.DAILY)
    today = datetime.now(timezone.utc)
    publish("Summit opens", "The summit opened.")
    run_alerts(today)
    publish("Summit closes", "The summit closed.")
    run_alerts(today)

    first = smtp.to("reader@example.com")
    run_alerts(today + timedelta(days=1))
    second = smtp.to("reader@example.com")[1:]

    assert len(first) == 1 and "*Summit* opens" in text_of(first[0]) and "closes" not in text_of(first[0])
    assert first[0]["Subject"] == "Your daily newsarchive digest: 1 new article"
    assert len(second) == 1 and "*Summit* closes" in text_of(second[0])


def test_a_daily_digest_waits_for_its_hour(smtp, news, settings):
    settings.ALERT_DAILY_HOUR = 7
    saved(reader(), "q=summit", alert=SavedSearch.Alert.DAILY)
    publish("Summit opens", "The summit opened.")
    early = datetime.now(timezone.utc).replace(hour=6)

    run_alerts(early)
    assert smtp.messages == []
    run_alerts(early.replace(hour=7))
    assert len(smtp.to("reader@example.com")) == 1


def test_a_refused_digest_is_sent_on_a_later_run(smtp, news):
    saved(reader(), "q=summit")
    publish("Summit opens", "The summit opened.")
    smtp.refuse = 1

    run_alerts()
    digest = Digest.objects.get()
    assert (digest.status, smtp.messages) == (Digest.Status.PENDING, [])
    assert "550" in digest.error

    run_alerts()
    digest.refresh_from_db()
    assert (digest.status, digest.attempts) == (Digest.Status.SENT, 2)
    assert len(smtp.to("reader@example.com")) == 1


def test_a_digest_whose_sending_was_cut_off_is_never_sent_again(smtp, news, settings):
    saved(reader(), "q=summit")
    publish("Summit opens", "The summit opened.")
    alerts.match_new_articles()
    alerts.open_digests(SavedSearch.Alert.IMMEDIATE, "run")
    stale = datetime.now(timezone.utc) - timedelta(seconds=2 * settings.EMAIL_TIMEOUT + 31)
    Digest.objects.update(status=Digest.Status.SENDING, claimed_at=stale)  # the worker died mid-send

    run_alerts()

    assert Digest.objects.get().status == Digest.Status.UNKNOWN
    assert smtp.messages == []


MARKED = '<strong style="background-color: #fff0a0;">'  # how the HTML part marks a matched word


def test_the_digest_escapes_what_it_shows_in_html(smtp, news):
    user = reader()
    saved(user, "q=summit", name="<b>My</b> summits")
    publish("Summit <script>alert(1)</script> opens", "The summit opened.")

    run_alerts()

    (message,) = smtp.to("reader@example.com")
    html = html_of(message)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert f"{MARKED}Summit</strong> &lt;script&gt;alert(1)&lt;&#x2F;script&gt; opens</a>" in html  # its title
    assert "&lt;b&gt;My&lt;/b&gt; summits" in html
    assert "- *Summit* <script>alert(1)</script> opens (Reuters)" in text_of(message)  # text, as written




def test_each_article_comes_with_its_snippet_and_the_matched_words_marked(smtp, news):
    saved(reader(), "q=oil")
    publish("Markets in London", "Shares were flat in early trading. Later, oil prices rose on supply worries.")

    run_alerts()

    (message,) = smtp.to("reader@example.com")
    assert "\n  Later, *oil* prices rose on supply worries." in text_of(message)  # the sentence that matched
    assert f"Later, {MARKED}oil</strong> prices rose" in html_of(message)


def test_the_searched_words_are_marked_in_each_title(smtp, news):
    saved(reader(), "q=oil")
    publish("Oil prices climb in London", "Shares were flat in early trading.")

    run_alerts()

    (message,) = smtp.to("reader@example.com")
    assert "- *Oil* prices climb in London (Reuters)" in text_of(message)
    assert f">{MARKED}Oil</strong> prices climb in London</a>" in html_of(message)


def test_hostile_markup_in_a_snippet_is_escaped_in_html_and_plain_in_text(smtp, news):
    saved(reader(), "q=oil")
    publish("Oil report", "Oil <script>alert(1)</script> & <img src=x onerror=alert(1)> rose.")

    run_alerts()

    (message,) = smtp.to("reader@example.com")
    html = html_of(message)
    assert "<script" not in html and "<img" not in html
    assert f"{MARKED}Oil</strong> &lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; &lt;img" in html
    assert "  *Oil* <script>alert(1)</script> & <img src=x onerror=alert(1)> rose." in text_of(message)


def test_a_search_without_words_gets_each_articles_opening_lines(smtp, news):
    saved(reader(), "country=SA")
    body = ("Saudi Arabia kept its output steady. " * 10) + "The closing words of a long report."
    publish("Output steady", body, [(SAUDI, "Saudi Arabia")])

    run_alerts()

    (message,) = smtp.to("reader@example.com")
    text = text_of(message)
    assert "  Saudi Arabia kept its output steady. Saudi Arabia kept" in text
    assert "closing words" not in text and "*" not in text
    assert "Saudi Arabia kept its output steady." in html_of(message) and MARKED not in html_of(message)


def test_the_digest_goes_without_snippets_when_the_index_is_down(smtp, db, elasticsearch_down):
    user = reader()
    search = saved(user, "q=oil")
    article = make_article("Oil prices climb", "Oil prices climbed.", "Reuters", None, [])
    Delivery.objects.create(user=user, article=article, saved_search=search, frequency=search.alert)

    assert alerts.send_due_digests() == 1

    (message,) = smtp.to("reader@example.com")
    assert "Oil prices climb" in text_of(message) and "Oil prices climbed." not in text_of(message)


def test_the_mark_waits_for_an_article_still_on_its_way(news):
    waiting = make_article("Pending", "Not indexed yet.", "Reuters", None, [])
    Article.objects.filter(pk=waiting.pk).update(enrichment_status=Article.Enrichment.PENDING)
    later = publish("Indexed", "Already in the index.")
    mark = arrivals.stored_mark()

    ids, next_mark = arrivals.new_arrivals(mark, limit=100, now=datetime.now(timezone.utc) + timedelta(hours=1))

    assert ids == [later.pk]
    assert next_mark == waiting.pk


def test_the_mark_never_passes_articles_created_in_the_last_minute(news):
    article = publish("Indexed", "Already in the index.")
    mark = arrivals.stored_mark()

    ids, next_mark = arrivals.new_arrivals(mark, limit=100)

    assert ids == [article.pk]
    assert next_mark == mark  # its import may have neighbours not committed yet


def test_what_is_in_the_index_at_the_first_run_is_not_news(archive):
    ArrivalMark.objects.all().delete()

    assert arrivals.start() == max(a.pk for a in archive.values()) + 1
