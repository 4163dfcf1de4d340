"""Pages over a synthetic package too big to show at once: paging, counts, chart aggregates."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_app
from tracker import db
from tracker.filters import Filters
from tracker.read import Reader
from tracker.ui import PAGE_SIZE


@pytest.fixture(scope="module")
def read(synthetic_package):
    return Reader(db.connect(db.current_package(synthetic_package).directory))


@pytest.fixture
def open_page(synthetic_package, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA_DIR", str(synthetic_package))

    def run(page: str, **params) -> AppTest:
        return open_app(page, params)

    return run


ACTIONS = Filters(kinds=("rule", "event", "entity_action", "threshold"))


def test_timeline_pages_through_every_fact_in_view(open_page, read):
    at = open_page("timeline")
    total = read.facts(ACTIONS).count()
    assert total > 2 * PAGE_SIZE
    first = at.dataframe[0].value
    assert len(first) == PAGE_SIZE
    assert first["fact_id"].tolist() == read.facts(ACTIONS).page(PAGE_SIZE)["fact_id"].tolist()
    assert any(
        c.value.startswith(f"Facts 1–{PAGE_SIZE} of {total:,}. A click on a column header sorts only this page")
        for c in at.caption
    )
    assert at.get("download_button")[0].proto.label == f"Download all {total:,} rows as CSV"

    at.number_input(key="timeline_page").set_value(2).run()
    second = at.dataframe[0].value
    assert second["fact_id"].tolist() == read.facts(ACTIONS).page(PAGE_SIZE, PAGE_SIZE)["fact_id"].tolist()
    assert at.query_params["page"] == "2"  # the page is in the link

    at.selectbox(key="timeline_sort").set_value("oldest").run()  # the whole result is sorted, then paged
    assert at.number_input(key="timeline_page").value == 1 and at.query_params["sort"] == "oldest"
    oldest = at.dataframe[0].value["fact_id"].tolist()
    assert oldest == read.facts(ACTIONS).sorted_by("oldest").page(PAGE_SIZE)["fact_id"].tolist()
    assert oldest[0] == read.facts(ACTIONS, dated_only=True).sorted_by("oldest").page(1)["fact_id"].iloc[0]
    at.selectbox(key="timeline_sort").set_value("newest").run()

    at.text_input(key="filters_q").input("wafer").run()  # a new view starts on its first page
    assert at.number_input(key="timeline_page").value == 1
    narrowed = read.facts(Filters(kinds=ACTIONS.kinds, search="wafer")).count()
    assert narrowed < total
    assert at.get("download_button")[0].proto.label == f"Download all {narrowed:,} rows as CSV"


def test_timeline_chart_shows_months_not_single_facts_when_too_many(open_page):
    at = open_page("timeline")
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert '"rect"' in spec and "fact_count" in spec and "period_end" in spec  # a heat map of periods by lane
    assert any("each cell counts the facts of one year" in c.value for c in at.caption)


def test_sidebar_lists_the_most_cited_entities_and_keeps_a_chosen_rare_one(open_page, read):
    from tracker.ui import MAX_ENTITY_OPTIONS

    rare = read.entities_matching(None)["entity_id"].iloc[-1]
    at = open_page("overview", entity=rare)
    assert at.multiselect(key="filters_entity").value == [rare]
    assert len(at.multiselect(key="filters_entity").options) <= MAX_ENTITY_OPTIONS + 1


def test_entity_page_button_filters_every_page_by_the_entity(open_page, read):
    top = read.entities_matching(None)["entity_id"].iloc[0]
    at = open_page("entities", id=top)
    at.button(key="entities_use_filter").click().run()
    assert not at.exception
    assert at.multiselect(key="filters_entity").value == [top]
    assert at.query_params["entity"] == [top] or at.query_params["entity"] == top
