"""The read API (tracker/read.py) against a real DuckDB over the fixture package."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker import db
from tracker.filters import Filters
from tracker.read import Reader


@pytest.fixture(scope="module")
def read(package_dir):
    return Reader(db.connect(db.current_package(package_dir).directory))


def ids(df, column="fact_id"):
    return sorted(df[column].tolist())


def test_all_facts_newest_first_with_citations(read):
    df = read.facts(Filters()).frame()
    assert len(df) == 9
    assert df["fact_id"].iloc[0] == "fx-later-report-02"  # 2025
    assert df["fact_id"].iloc[-1] == "fx-later-report-03"  # undated last
    row = df.set_index("fact_id").loc["fx-december-rules-01"]
    assert (row["source_title"], row["source_line"], row["evidence"]) == (
        "The December rules",
        2,
        "added 140 Chinese firms to the Entity List",
    )


def test_entity_filter_uses_every_role(read):
    assert ids(read.facts(Filters(entity_ids=("smic",))).frame()) == ["fx-december-rules-03", "fx-later-report-02"]
    assert ids(read.facts(Filters(entity_ids=("smic", "tsmc"))).frame()) == [
        "fx-december-rules-03",
        "fx-december-rules-04",
        "fx-later-report-02",
    ]


def test_date_range_excludes_undated(read):
    df = read.facts(Filters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))).frame()
    assert ids(df) == [
        "fx-december-rules-01",
        "fx-december-rules-02",
        "fx-december-rules-05",
        "fx-december-rules-06",
        "fx-later-report-01",
    ]


def test_kind_topic_country_status_and_search(read):
    assert ids(read.facts(Filters(kinds=("funding",))).frame()) == ["fx-december-rules-05", "fx-later-report-01"]
    assert ids(read.facts(Filters(topics=("other_policy",))).frame()) == ["fx-later-report-03"]
    assert ids(read.facts(Filters(countries=("TW",))).frame()) == ["fx-december-rules-04"]
    assert ids(read.facts(Filters(statuses=("claimed",))).frame()) == ["fx-later-report-02"]
    assert ids(read.facts(Filters(search="entity list")).frame()) == ["fx-december-rules-01"]


def test_hostile_search_is_just_text(read):
    assert read.facts(Filters(search="'; drop view facts; --")).frame().empty
    assert len(read.facts(Filters()).frame()) == 9


def test_chip_nodes_join_company(read):
    df = read.chip_nodes(Filters(), "logic_node", "nm").frame()
    assert ids(df) == ["fx-december-rules-03", "fx-december-rules-04", "fx-later-report-02"]
    row = df.set_index("fact_id").loc["fx-december-rules-04"]
    assert (row["company_name"], row["value"], row["status"], row["lithography"]) == (
        "TSMC",
        3.0,
        "mass_production",
        "EUV",
    )  # the short alias labels charts
    assert ids(read.chip_nodes(Filters(statuses=("claimed",)), "logic_node", "nm").frame()) == ["fx-later-report-02"]


def test_thresholds(read):
    df = read.thresholds()
    assert df[["parameter", "comparator", "value"]].values.tolist() == [["dram_half_pitch", "<=", 18.0]]


def test_funding_in_usd_largest_first(read):
    df = read.funding(Filters()).frame()
    assert df["fact_id"].tolist() == ["fx-later-report-01", "fx-december-rules-05"]
    assert df["amount_usd"].iloc[1] == pytest.approx(47.5e9, rel=1e-6)
    assert df["funder_name"].tolist() == ["China Integrated Circuit Industry Investment Fund"] * 2
    assert df["is_disputed"].all()


def test_entities_found_by_any_alias(read):
    assert ids(read.entities_matching("中芯"), "entity_id") == ["smic"]
    assert ids(read.entities_matching("0981.hk"), "entity_id") == ["smic"]
    assert ids(read.entities_matching("smic"), "entity_id") == ["smic", "smic-south"]
    assert len(read.entities_matching(None)) == 6
    south = read.entities_matching("south").iloc[0]
    assert south["parent_name"] == "Semiconductor Manufacturing International Corporation"


def test_sources_count_facts_in_view(read):
    df = read.sources(Filters(entity_ids=("tsmc",))).frame().set_index("source_id")
    assert df.loc["fx-december-rules", "facts_in_view"] == 1
    assert df.loc["fx-later-report", "facts_in_view"] == 0
    assert df.loc["fx-december-rules", "fact_count"] == 6


def test_counts_by_kind(read):
    df = read.counts_by_kind(Filters())
    assert dict(zip(df["kind"], df["fact_count"])) == {
        "chip_node": 3,
        "funding": 2,
        "entity_action": 1,
        "event": 1,
        "rule": 1,
        "threshold": 1,
    }
