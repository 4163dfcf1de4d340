"""Smoke: the served app renders the overview in a real browser with no exception."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.browser


def test_overview_renders_in_chromium(server, page):
    page.goto(server + "/")
    wait_for_app(page)
    page.get_by_role("heading", name="US–China technology policy tracker").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    assert "Download all 8 rows as CSV" in page.locator("[data-testid='stDownloadButton']").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    assert page.errors == []
