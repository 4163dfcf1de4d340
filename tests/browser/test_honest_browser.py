"""What only a browser shows of honest display, on the real fact base: Enter in the company box
picks one entity, the CSV bytes, the chart marks, and a company gap with its evidence."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS, rerun, streamlit_server, wait_for_app
from tests.browser.test_pages_browser import download_rows, rows_in_view

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    from etl.build import build
    from etl.evidence import default_corpus_dir
    from tests.conftest import ROOT

    corpus = default_corpus_dir(ROOT)
    if corpus is None:
        pytest.skip("no corpus beside the project")  # CI has one: tests/etl/test_fact_base.py fails without it
    out = tmp_path_factory.mktemp("real-browser") / "build"
    build(ROOT / "data", out, corpus)
    with streamlit_server(out, "streamlit-real.log") as url:
        yield url


def chosen_entities(pg) -> list[str]:
    box = pg.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
    return [
        t.get_attribute("aria-label")
        for t in box.locator("[data-testid='stMultiSelectTagsContainer'] [data-tag]").all()
    ]


def test_enter_in_the_company_box_picks_one_entity(real_server, page):
    page.goto(f"{real_server}/timeline")
    wait_for_app(page)
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input")

    def type_bis_and_enter():
        box.click()
        box.fill("BIS")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")

    rerun(page, type_bis_and_enter)
    tags = chosen_entities(page)
    assert len(tags) == 1 and tags[0].startswith("Bureau of Industry and Security"), tags
    assert "entity=us-bis" in page.url and "%2C" not in page.url.split("entity=")[1].split("&")[0]


def test_csv_bytes_keep_precision_hedges_and_plain_numbers(real_server, page):
    page.goto(f"{real_server}/funding?q=Big%20Fund%20III")
    wait_for_app(page)
    assert rows_in_view(page) >= 3
    rows, _ = download_rows(page)
    assert {
        "date_label",
        "date_precision",
        "date_qualifier",
        "value_qualifier",
        "amount_label",
        "amount_usd_label",
        "amount",
        "amount_usd",
    } <= set(rows[0])
    over = [r for r in rows if "with over $47 billion" in r["evidence"]]
    assert [(r["amount"], r["value_qualifier"], r["amount_label"]) for r in over] == [
        ("47000000000", "over", "over $47.0 B")
    ]
    for r in rows:
        for column in ("amount", "amount_usd", "amount_high", "amount_usd_high"):
            assert re.fullmatch(r"(-?\d+(\.\d+)?)?", r[column]), (column, r[column])
        if r["date_precision"] == "year":
            assert re.fullmatch(r"(early |mid |late |by |before |after |around )?\d{4}", r["date_label"]), r[
                "date_label"
            ]


def test_timeline_marks_spans_and_status_legend_render(real_server, page):
    page.goto(f"{real_server}/timeline?entity=ymtc&from=2025-01-01&to=2025-12-31&kind=event")
    wait_for_app(page)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for()
    page.wait_for_function(
        '() => document.querySelector(\'[data-testid="stVegaLiteChart"] svg, '
        '[data-testid="stVegaLiteChart"] canvas\') !== null'
    )
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for()
    page.screenshot(path=str(ARTIFACTS / "timeline_ymtc_2025.png"), full_page=True)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "drawn as a bar across that period" in text
    assert page.locator("[data-testid='stException']").count() == 0 and page.errors == []


def test_chip_gap_shows_the_facts_it_rests_on(real_server, page):
    page.goto(f"{real_server}/chip_nodes?metric=logic_node%7Cnm")
    wait_for_app(page)
    page.get_by_text("on the first dated evidence of each company").wait_for()
    text = page.locator("[data-testid='stMain']").inner_text()
    assert re.search(r"SMIC reached 7 nm or better \d+\.\d(–\d+\.\d)? years after TSMC", text)
    assert "Behind · SMIC reached 5–7 nm in Nov 2025 (date inferred)" in text
    assert "Ahead · TSMC reached 7 nm in 2018 (date stated in the text)" in text
    assert "left out of the comparison, and why" in text
    page.screenshot(path=str(ARTIFACTS / "chip_gap.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0


CUT_TEXT = """
() => [...document.querySelectorAll(
    '[data-testid="stMetricLabel"] *, [data-testid="stPageLink"] *, [data-testid="stMetricValue"] *')]
  .filter((el) => el.children.length === 0 && el.textContent.trim() && el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.textContent.trim())
"""


@pytest.mark.parametrize("width", [1400, 800])
def test_overview_metrics_and_links_are_never_cut(real_server, browser, width):
    """At 800 px the Overview's five metrics sat in five columns: "Chip-node …" and "Dispute…" lost their
    labels and the page links read "Timeline of", "Funding tal". They now wrap onto a second row."""
    from tests.browser.conftest import new_context

    pg = new_context(browser, viewport={"width": width, "height": 1000}).new_page()
    pg.goto(real_server)
    wait_for_app(pg)
    labels = pg.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert [label.strip() for label in labels] == [
        "Facts in view",
        "Rules",
        "Chip-node facts",
        "Funding facts",
        "Disputed claims",
    ]
    assert pg.evaluate(CUT_TEXT) == []
    pg.screenshot(path=str(ARTIFACTS / f"overview_{width}.png"))
