"""Chart builders, tested through their Vega-Lite spec."""
from __future__ import annotations

import pandas as pd
import pytest

from tracker import charts, db, queries
from tracker.filters import Filters


@pytest.fixture(scope="module")
def con(package_dir):
    return db.connect(db.current_package(package_dir).directory)


def _data(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def test_timeline_has_brush_lanes_and_citation_tooltips(con):
    facts = queries.facts(con, Filters())
    spec = charts.timeline(facts, "lane_country").to_dict()
    assert spec["params"][0]["name"] == charts.BRUSH and spec["params"][0]["select"]["type"] == "interval"
    enc = spec["encoding"]
    assert enc["x"]["field"] == "fact_date" and enc["x"]["type"] == "temporal"
    assert enc["y"]["field"] == "lane_country"
    assert [t["field"] for t in enc["tooltip"]] == ["title", "date_label", "kind", "status_label", "source_title", "source_line"]
    rows = _data(spec)
    assert len(rows) == 8  # undated fact left out
    assert {r["lane_country"] for r in rows} == {"US", "CN", "TW"}
    inferred = [r for r in rows if r["fact_id"] == "fx-later-report-01"][0]
    assert inferred["date_label"].endswith("(inferred)")


def test_chip_chart_draws_thresholds_on_the_track(con):
    nodes = queries.chip_nodes(con, Filters(), "logic_node", "nm")
    logic = nodes[nodes["metric"] == "logic_node"]
    spec = charts.chip_nodes(logic, queries.thresholds(con, "logic_node"), "nm").to_dict()
    assert len(spec["layer"]) == 1  # no logic threshold in the fixture
    assert spec["layer"][0]["encoding"]["y"]["scale"]["reverse"] is True  # smaller nm is better: up
    dram = queries.thresholds(con, "dram_half_pitch")
    spec = charts.chip_nodes(logic, dram, "nm").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["point", "rule", "text"]
    assert spec["layer"][1]["encoding"]["y"]["field"] == "value"


def test_status_legend_lists_only_statuses_present(con):
    nodes = queries.chip_nodes(con, Filters(), "logic_node", "nm")
    spec = charts.chip_nodes(nodes, pd.DataFrame(), "nm").to_dict()
    assert spec["layer"][0]["encoding"]["shape"]["scale"]["domain"] == ["mass_production", "claimed"]


def test_funding_totals_chart(con):
    totals = queries.funding_totals(con, Filters(), "funder")
    spec = charts.funding_totals(totals, "funder").to_dict()
    assert spec["encoding"]["x"]["field"] == "total_usd"
    assert _data(spec) == [{"group_label": "China Integrated Circuit Industry Investment Fund",
                            "total_usd": pytest.approx(47.5e9, rel=1e-6), "fact_count": 1}]


def test_time_axes_tick_once_a_year(con):
    """With a few facts close together Vega would tick every month and print the year each time."""
    timeline = charts.timeline(queries.timeline_points(con, Filters(), 100), "lane_country").to_dict()
    chips = charts.chip_nodes(queries.chip_nodes(con, Filters(), "logic_node", "nm"), pd.DataFrame(), "nm").to_dict()
    assert timeline["encoding"]["x"]["axis"]["tickCount"] == "year"
    assert chips["layer"][0]["encoding"]["x"]["axis"]["tickCount"] == "year"
