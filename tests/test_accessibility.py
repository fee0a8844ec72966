"""Keyboard, phone and automated accessibility checks of the main pages in a real browser
(Debian's Chromium through Playwright). The axe-core engine is the copy that the pinned
axe-playwright-python package ships (requirements-dev.txt): nothing is downloaded when the
tests run."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from following.models import SavedSearch

from .archive import PUTIN, ref
from .browser import browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP_WIDTH, PHONE_WIDTH = 1280, 390
PASSWORD = "a-long-pass-phrase"
SERIOUS = {"serious", "critical"}


# The database is written before the browser starts: while Playwright's event loop runs, Django
# would open a connection of its own that outlives the test.
@pytest.fixture
def reader(archive):
    """A reader with one saved search."""
    user = get_user_model().objects.create_user("reader", "reader@example.com", PASSWORD)
    SavedSearch.objects.create(user=user, name="“oil”", query="q=oil")
    return user


@pytest.fixture
def page(request):
    """A browser page, desktop-wide unless a test asks for another width (indirect parametrization)."""
    with browser_page(width=getattr(request, "param", DESKTOP_WIDTH)) as page:
        page.set_default_timeout(10_000)
        yield page


def sign_in(page, base_url):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/searches/")


def serious_violations(page):
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    page.wait_for_load_state("networkidle")  # the rising block is filled by a script
    found = Axe().run(page).response["violations"]
    return [f"{rule['id']} ({rule['impact']}): {[node['target'] for node in rule['nodes']]}"
            for rule in found if rule["impact"] in SERIOUS]


def focused(page):
    return page.locator(":focus")


def test_the_first_result_is_two_tab_presses_from_the_page_load(archive, live_server, page):
    page.goto(live_server.url + "/?q=oil")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("ol.hits")).to_be_focused()
    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="Oil prices climb")).to_be_focused()


def test_the_skip_link_of_a_search_without_results_lands_on_the_message(search_index, live_server, page):
    page.goto(live_server.url + "/?q=zeppelin")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(focused(page)).to_contain_text("No stories match “zeppelin”")


def test_the_skip_link_of_other_pages_moves_the_focus_to_the_content(archive, live_server, page):
    page.goto(f"{live_server.url}/articles/{archive['oil'].pk}")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="‹ Back to search")).to_be_focused()


def test_every_control_the_tab_key_reaches_on_the_search_page_shows_an_outline(archive, live_server, page):
    page.goto(live_server.url + "/?q=talks")
    page.wait_for_load_state("networkidle")
    unmarked, seen = [], 0
    while True:
        page.keyboard.press("Tab")
        state = page.evaluate("""() => {
            const element = document.activeElement;
            if (element === document.body) return null;
            const style = getComputedStyle(element);
            return {html: element.outerHTML.slice(0, 80), inSvg: !!element.closest("svg"),
                    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2};
        }""")
        if state is None:
            break  # past the last control
        seen += 1
        # The chart's bars mark the focused period with a fill instead (archive.css).
        if not state["outline"] and not state["inSvg"]:
            unmarked.append(state["html"])
    assert seen > 20  # the whole page was walked: search box, toolbar, results, filters
    assert unmarked == []


@pytest.mark.parametrize("path", [
    "/?q=talks",
    "/compare?q1=talks&q2=oil&q3=Putin&q4=Reagan",
    "/rising",
    "/accounts/signup/",
    "/help/search",
])
def test_a_page_fits_a_phone_screen(path, archive, live_server):
    with browser_page(width=PHONE_WIDTH, height=800) as page:
        page.goto(live_server.url + path)
        # Everything folded opens: the search filters, the compare page's table of numbers.
        page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")

        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_the_compare_chart_keeps_readable_labels_on_a_phone(archive, live_server):
    with browser_page(width=PHONE_WIDTH, height=800) as page:
        page.goto(live_server.url + "/compare?q1=talks&q2=oil")
        label = page.locator(".compare-chart .grid text").first

        assert label.bounding_box()["height"] >= 11
        screenshot(page, "compare-phone")


def test_the_favicon_is_served_and_no_page_asks_for_a_missing_file(archive, live_server, page):
    missing = []
    page.on("response", lambda response: response.status == 404 and missing.append(response.url))
    for path in ["/?q=oil", f"/articles/{archive['oil'].pk}", "/accounts/login/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    from_link = page.request.get(live_server.url + icon)
    from_root = page.request.get(live_server.url + "/favicon.ico")  # redirected to the same file

    assert missing == []
    assert from_link.status == 200 and from_link.headers["content-type"] == "image/svg+xml"
    assert from_root.status == 200 and from_root.body() == from_link.body()


@pytest.mark.parametrize("page", [DESKTOP_WIDTH, PHONE_WIDTH], ids=["desktop", "phone"], indirect=True)
@pytest.mark.parametrize("name", [
    "search", "search without results", "article", "entity", "compare", "rising", "help",
    "login", "signup", "password reset", "saved searches", "save a search", "account",
])
def test_axe_finds_no_serious_violation(name, reader, archive, live_server, page):
    signed_in = name in {"saved searches", "save a search", "account"}
    path = {
        "search": "/?q=talks", "search without results": "/?q=zeppelin",
        "article": f"/articles/{archive['grain'].pk}", "entity": f"/entities/person/{ref(PUTIN)}",
        "compare": "/compare?q1=talks&q2=oil", "rising": "/rising", "help": "/help/search",
        "login": "/accounts/login/", "signup": "/accounts/signup/",
        "password reset": "/accounts/password/reset/", "saved searches": "/searches/",
        "save a search": "/searches/new?q=oil", "account": "/accounts/",
    }[name]
    if signed_in:
        sign_in(page, live_server.url)
    page.goto(live_server.url + path)

    assert serious_violations(page) == []
