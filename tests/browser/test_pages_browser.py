"""Every page in a real browser: renders, a filter changes the table, the CSV holds the rows
in view, and a copied link reopens the same view. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.browser.conftest import ARTIFACTS, new_context, rerun, wait_for_app

pytestmark = pytest.mark.browser

# page -> (rows before, entity to pick, its search text, rows after)
PAGES = {
    "overview": (8, "smic", "中芯", 2),
    "timeline": (4, "us-bis", "BIS", 3),
    "chip_nodes": (3, "tsmc", "台积电", 1),
    "funding": (2, "big-fund", "大基金", 2),
    "entities": (3, "smic", "SMIC", 3),
    "sources": (2, "tsmc", "TSMC", 2),
}


def rows_in_view(pg) -> int:
    pg.locator("[data-testid='stDownloadButton']").first.wait_for()
    label = pg.locator("[data-testid='stDownloadButton']").first.inner_text()
    return int(re.search(r"Download all (\d+) rows?", label).group(1))


def pick_entity(pg, text: str) -> None:
    """Type `text` in the sidebar's company box and press Enter; wait for the run that follows."""
    box = pg.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input")

    def pick():
        box.click()
        box.fill(text)
        pg.keyboard.press("Enter")
        pg.keyboard.press("Escape")

    rerun(pg, pick)


def download_rows(pg) -> list[dict]:
    with pg.expect_download() as info:
        pg.locator("[data-testid='stDownloadButton'] button").first.click()
    text = open(info.value.path(), encoding="utf-8").read()
    return list(csv.DictReader(io.StringIO(text))), info.value.suggested_filename


@pytest.mark.parametrize("name", PAGES)
def test_page_filter_download_and_link(server, page, browser, name):
    before, entity, search, after = PAGES[name]
    page.goto(f"{server}/{'' if name == 'overview' else name}")  # the default page lives at /
    wait_for_app(page)
    assert rows_in_view(page) == before
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    pick_entity(page, search)
    assert rows_in_view(page) == after
    assert f"entity={entity}" in page.url

    rows, filename = download_rows(page)
    assert len(rows) == after
    assert entity in filename and filename.endswith(".csv")
    assert "evidence" in rows[0] or "source_id" in rows[0]
    page.screenshot(path=str(ARTIFACTS / f"{name}_filtered.png"), full_page=True)

    fresh = new_context(browser)
    again = fresh.new_page()
    again.goto(page.url)
    wait_for_app(again)
    assert rows_in_view(again) == after
    assert (
        search.lower() in again.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").inner_text().lower()
        or entity in again.url
    )
    fresh.close()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.errors == []


def test_bad_url_parameter_shows_a_notice_not_a_traceback(server, page):
    page.goto(f"{server}/timeline?entity=%3Cscript%3Ealert(1)%3C/script%3E&from=yesterday&lane=sideways")
    wait_for_app(page)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Ignored URL parameter entity='<script>alert(1)</script>'" in text
    assert "Ignored URL parameter from='yesterday'" in text
    assert "Ignored URL parameter lane='sideways'" in text
    assert page.locator("[data-testid='stException']").count() == 0
    assert rows_in_view(page) == 4
