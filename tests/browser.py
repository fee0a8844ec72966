"""Playwright driving Debian's Chromium (no browser downloads)."""
import os
from contextlib import contextmanager
from pathlib import Path

from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/newsarchive-screenshots"))

# pytest-django's live server and Playwright's sync API share the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextmanager
def browser_page(width=1280, height=900, back_forward_cache=False):
    """A page in Chromium; when the test is done with it, any Content-Security-Policy violation
    the browser reported on any page fails the test. Playwright turns Chromium's back/forward
    cache off; `back_forward_cache` leaves it on, as browsers have it."""
    with sync_playwright() as playwright:
        kept_on = ["--disable-back-forward-cache"] if back_forward_cache else []  # left out of Playwright's switches
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                             ignore_default_args=kept_on)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            violations = []
            page.on("console", lambda message: "Content Security Policy" in message.text
                    and violations.append(f"{page.url}: {message.text}"))
            yield page
            assert violations == [], "the page broke its Content-Security-Policy"
        finally:
            browser.close()
            # Queries made while Playwright's loop runs open connections in that loop's context,
            # which the test database's teardown never sees: closed here, or the database cannot
            # be dropped at the end of the session ("being accessed by other users").
            connections.close_all()


def screenshot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
