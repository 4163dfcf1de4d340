"""Chart builders, tested through their Vega-Lite spec."""

from __future__ import annotations

import pandas as pd
import pytest

from tracker import charts, db
from tracker.filters import Filters
from tracker.read import Reader


@pytest.fixture(scope="module")
def read(package_dir):
    return Reader(db.connect(db.current_package(package_dir).directory))


@pytest.fixture(scope="module")
def honest(honest_package):
    return Reader(db.connect(db.current_package(honest_package).directory))


def _data(spec: dict, layer: dict | None = None) -> list[dict]:
    name = (layer or spec).get("data", {}).get("name")
    return spec["datasets"][name] if name else next(iter(spec["datasets"].values()))


def _layers(spec: dict) -> dict[str, dict]:
    """The layers of a chart by role: spans (rules across a period), solid and hollow marks."""
    out = {}
    for layer in spec["layer"]:
        mark = layer["mark"]
        if mark["type"] == "rule" and "x2" in layer.get("encoding", {}):
            out["spans"] = layer
        elif mark["type"] == "point":
            out["solid" if mark.get("filled") else "hollow"] = layer
        else:
            out.setdefault(mark["type"], layer)
    return out


def test_timeline_has_brush_lanes_and_citation_tooltips(read):
    facts = read.facts(Filters()).frame()
    spec = charts.timeline(facts, "lane_country").to_dict()
    layers = _layers(spec)
    [brush] = spec.get("params") or layers["solid"]["params"]  # Altair lifts a layer's selection to the top
    assert brush["name"] == charts.BRUSH and brush["select"]["type"] == "interval"
    assert brush.get("views", [layers["solid"].get("name")]) == [layers["solid"].get("name")]
    enc = layers["solid"]["encoding"]
    assert enc["x"]["field"] == "when" and enc["x"]["type"] == "temporal"
    assert enc["y"]["field"] == "lane_country"
    assert [t["field"] for t in enc["tooltip"]] == [
        "title",
        "date_label",
        "value_label",
        "kind",
        "status_label",
        "source_title",
        "source_line",
    ]
    rows = _data(spec)  # one dataset for every layer
    assert len(spec["datasets"]) == 1 and len(rows) == 8  # undated fact left out
    assert layers["solid"]["transform"] == [{"filter": "datum.is_solid"}]
    assert layers["hollow"]["transform"] == [{"filter": "!datum.is_solid"}]
    assert {r["lane_country"] for r in rows} == {"US", "CN", "TW"}
    inferred = [r for r in rows if r["fact_id"] == "fx-later-report-01"][0]
    assert inferred["date_label"] == "2024 (inferred)"


def test_a_year_is_drawn_across_the_year_not_on_1_january(honest):
    spec = charts.timeline(honest.timeline_points(Filters(), 100), "lane_country").to_dict()
    layers = _layers(spec)
    assert (
        layers["spans"]["encoding"]["x"]["field"] == "span_start"
        and layers["spans"]["encoding"]["x2"]["field"] == "span_end"
    )
    assert layers["spans"]["transform"] == [{"filter": "datum.is_period"}]
    rows = {r["fact_id"]: r for r in _data(spec, layers["spans"])}
    late = rows["hx-brief-01"]  # "late 2025"
    assert late["span_start"].startswith("2025-01-01") and late["span_end"].startswith("2025-12-31")
    assert late["when"].startswith("2025-07-02") and late["is_period"] is True
    assert late["date_label"] == "late 2025"
    day = rows["fx-december-rules-01"]
    assert day["is_period"] is False and day["when"].startswith("2024-12-02")


def test_every_status_has_its_own_mark_and_claims_are_hollow():
    shapes = [charts.STATUS_SHAPES[s] for s in charts.STATUS_SHAPES]
    assert len(set(shapes)) == len(shapes)  # enacted, reported and mass production no longer share one
    facts = pd.DataFrame(
        {
            "fact_id": ["a", "b", "c", "d"],
            "fact_date": pd.to_datetime(["2024-01-01"] * 4),
            "date_end": pd.to_datetime(["2024-12-31"] * 4),
            "value": [7.0, 5.0, 3.0, 2.0],
            "status": ["mass_production", "claimed", "planned", "reported"],
            "company_name": "X",
            "date_label": "2024",
            "date_basis": "stated",
        }
    )
    layers = _layers(charts.chip_nodes(facts, pd.DataFrame(), "nm").to_dict())
    spec = charts.chip_nodes(facts, pd.DataFrame(), "nm").to_dict()
    solid = {r["status_label"]: r["is_solid"] for r in _data(spec)}
    assert solid == {"mass_production": True, "claimed": False, "planned": False, "reported": False}
    assert layers["solid"]["mark"]["filled"] is True and layers["hollow"]["mark"]["filled"] is False
    shape = layers["solid"]["encoding"]["shape"]
    assert shape["scale"]["domain"] == ["mass_production", "planned", "claimed", "reported"]
    assert shape["scale"]["range"] == [charts.STATUS_SHAPES[s] for s in shape["scale"]["domain"]]
    assert shape["legend"]["labelExpr"] == charts.WORDS


def test_chip_chart_draws_thresholds_on_a_log_axis(read):
    nodes = read.chip_nodes(Filters(), "logic_node", "nm").frame()
    spec = charts.chip_nodes(nodes, read.thresholds("logic_node"), "nm").to_dict()
    y = _layers(spec)["solid"]["encoding"]["y"]
    assert y["scale"] == {"type": "log", "reverse": True}  # 28, 14, 7, 5, 3 nm spread out; smaller is up
    assert set(_layers(spec)) == {"spans", "solid", "hollow"}  # no logic threshold in the fixture
    dram = read.thresholds("dram_half_pitch")
    spec = charts.chip_nodes(nodes, dram, "nm").to_dict()
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert len(texts) == 1 and _data(spec, texts[0])[0]["label"] == "<= 18 nm: DRAM fabs in China"


def test_hbm_generations_are_named_on_the_axis():
    nodes = pd.DataFrame(
        {
            "fact_id": ["a"],
            "fact_date": pd.to_datetime(["2024-01-01"]),
            "value": [3.5],
            "status": ["mass_production"],
            "company_name": "X",
            "date_label": "2024",
        }
    )
    y = _layers(charts.chip_nodes(nodes, pd.DataFrame(), "hbm_gen").to_dict())["solid"]["encoding"]["y"]
    assert "'HBM3E'" in y["axis"]["labelExpr"] and "'HBM2E'" in y["axis"]["labelExpr"]
    assert 2.5 in y["axis"]["values"] and 3.5 in y["axis"]["values"]


def test_funding_totals_chart(read):
    totals = read.funding_totals(Filters(), "funder")
    spec = charts.funding_totals(totals, "funder").to_dict()
    assert spec["encoding"]["x"]["field"] == "total_usd"
    assert [t["field"] for t in spec["encoding"]["tooltip"]][:2] == ["group_label", "total_label"]
    [row] = _data(spec)
    assert row["group_label"] == "China Integrated Circuit Industry Investment Fund"
    assert row["total_usd"] == pytest.approx(47.5e9, rel=1e-6) and row["total_label"] == "$47.5 B"
    # the axis says claims count once on a line of its own: as one 40-character line it was cut at 800 px
    assert spec["encoding"]["x"]["title"] == ["USD billions", "(linked claims counted once)"]


def test_time_axes_tick_once_a_year(read):
    """With a few facts close together Vega would tick every month and print the year each time."""
    timeline = charts.timeline(read.timeline_points(Filters(), 100), "lane_country").to_dict()
    chips = charts.chip_nodes(read.chip_nodes(Filters(), "logic_node", "nm").frame(), pd.DataFrame(), "nm").to_dict()
    assert _layers(timeline)["solid"]["encoding"]["x"]["axis"]["tickCount"] == "year"
    assert _layers(chips)["solid"]["encoding"]["x"]["axis"]["tickCount"] == "year"


def test_entity_strip_counts_years_not_months(read):
    density = read.entity_density("smic")
    assert {d.month for d in pd.to_datetime(density["fact_date"])} == {1}  # one bin per year
    spec = charts.entity_timeline(density).to_dict()
    assert spec["encoding"]["x"] == {"field": "fact_date", "timeUnit": "year", "title": None, "type": "ordinal"}


def test_entity_strip_is_tall_enough_for_its_legend(read):
    """The legend beside the strip lists every kind (18-20 px a line under its title): at 90 px it
    showed three of six and cut the rest."""
    spec = charts.entity_timeline(read.entity_density("smic")).to_dict()
    assert spec["height"] >= 20 * (len(charts.KIND_COLORS) + 1)
