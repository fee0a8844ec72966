"""Batch search in a real browser, on make run's worker: a reader signs in, uploads a 20-line
list, watches it run, sorts its results and downloads them as CSV and XLSX."""
import csv
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import expect

from .browser import browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["China", "OPEC", "Vladimir Putin", "oil", "Kremlin", "talks", "budget", "Russia", "grain", "museum"]


@pytest.mark.slow
def test_a_reader_uploads_a_list_watches_it_run_and_downloads_the_results(archive, live_server, worker, tmp_path):
    # The archive and the reader are written before the browser starts (see test_trends_browser.py).
    get_user_model().objects.create_user("researcher", "researcher@example.com", "a-long-pass-phrase")
    listed = tmp_path / "names.txt"
    listed.write_text("\n".join(NAMES * 2) + "\n")
    with browser_page() as page:
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/?next=/batches/")
        page.get_by_label("Username").fill("researcher")
        page.get_by_label("Password").fill("a-long-pass-phrase")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/batches/")

        page.get_by_label("List").set_input_files(listed)
        page.get_by_role("button", name="Upload and search").click()
        page.wait_for_url(re.compile(r"/batches/\d+/$"))
        state = page.locator("#batch-state")
        expect(state).to_contain_text("Searching:")
        page.wait_for_function("() => { const bar = document.querySelector('progress');"
                               " return bar.value > 0 && bar.value < bar.max; }", timeout=60_000)  # live, mid-run
        expect(state).to_have_text("Done: 20 of 20 lines searched.", timeout=90_000)

        table = page.get_by_role("table", name=re.compile("What each line finds"))
        page.get_by_role("link", name="Articles").click()
        page.wait_for_url(re.compile(r"\?sort=hits&order=desc$"))
        first = table.get_by_role("row").nth(1)
        expect(first.get_by_role("cell").nth(2)).to_have_text("2")
        expect(page.get_by_role("columnheader", name="Articles")).to_have_attribute("aria-sort", "descending")
        screenshot(page, "batch-results")

        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV").click()
        assert re.fullmatch(r"batch-\d+\.csv", download.value.suggested_filename)
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        assert len(rows) == 21 and rows[0][:2] == ["line", "query"]
        assert [row[1] for row in rows[1:3]] == ["China", "OPEC"]
        with page.expect_download() as download:
            page.get_by_role("link", name="Download XLSX").click()
        assert re.fullmatch(r"batch-\d+\.xlsx", download.value.suggested_filename)
        sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
        assert sheet.max_row == 21 and sheet.cell(row=3, column=2).value == "OPEC"
