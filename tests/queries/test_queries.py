"""Query functions against a real DuckDB over the fixture package."""
from __future__ import annotations

import datetime as dt

import pytest

from tracker import db, queries
from tracker.filters import Filters


@pytest.fixture(scope="module")
def con(package_dir):
    return db.connect(db.current_package(package_dir).directory)


def ids(df, column="fact_id"):
    return sorted(df[column].tolist())


def test_all_facts_newest_first_with_citations(con):
    df = queries.facts(con, Filters())
    assert len(df) == 9
    assert df["fact_id"].iloc[0] == "fx-later-report-02"  # 2025
    assert df["fact_id"].iloc[-1] == "fx-later-report-03"  # undated last
    row = df.set_index("fact_id").loc["fx-december-rules-01"]
    assert (row["source_title"], row["source_line"], row["evidence"]) == (
        "The December rules", 2, "added 140 Chinese firms to the Entity List")


def test_entity_filter_uses_every_role(con):
    assert ids(queries.facts(con, Filters(entity_ids=("smic",)))) == ["fx-december-rules-03", "fx-later-report-02"]
    assert ids(queries.facts(con, Filters(entity_ids=("smic", "tsmc")))) == [
        "fx-december-rules-03", "fx-december-rules-04", "fx-later-report-02"]


def test_date_range_excludes_undated(con):
    df = queries.facts(con, Filters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)))
    assert ids(df) == ["fx-december-rules-01", "fx-december-rules-02", "fx-december-rules-05",
                       "fx-december-rules-06", "fx-later-report-01"]


def test_kind_topic_country_status_and_search(con):
    assert ids(queries.facts(con, Filters(kinds=("funding",)))) == ["fx-december-rules-05", "fx-later-report-01"]
    assert ids(queries.facts(con, Filters(topics=("other_policy",)))) == ["fx-later-report-03"]
    assert ids(queries.facts(con, Filters(countries=("TW",)))) == ["fx-december-rules-04"]
    assert ids(queries.facts(con, Filters(statuses=("claimed",)))) == ["fx-later-report-02"]
    assert ids(queries.facts(con, Filters(search="entity list"))) == ["fx-december-rules-01"]


def test_hostile_search_is_just_text(con):
    assert queries.facts(con, Filters(search="'; drop view facts; --")).empty
    assert len(queries.facts(con, Filters())) == 9


def test_chip_nodes_join_company(con):
    df = queries.chip_nodes(con, Filters(), "logic_node", "nm")
    assert ids(df) == ["fx-december-rules-03", "fx-december-rules-04", "fx-later-report-02"]
    row = df.set_index("fact_id").loc["fx-december-rules-04"]
    assert (row["company_name"], row["value"], row["status"], row["lithography"]) == (
        "TSMC", 3.0, "mass_production", "EUV")  # the short alias labels charts
    assert ids(queries.chip_nodes(con, Filters(statuses=("claimed",)), "logic_node", "nm")) == ["fx-later-report-02"]


def test_thresholds(con):
    df = queries.thresholds(con)
    assert df[["parameter", "comparator", "value"]].values.tolist() == [["dram_half_pitch", "<=", 18.0]]


def test_funding_in_usd_largest_first(con):
    df = queries.funding(con, Filters())
    assert df["fact_id"].tolist() == ["fx-later-report-01", "fx-december-rules-05"]
    assert df["amount_usd"].iloc[1] == pytest.approx(47.5e9, rel=1e-6)
    assert df["funder_name"].tolist() == ["China Integrated Circuit Industry Investment Fund"] * 2
    assert df["is_disputed"].all()


def test_entities_found_by_any_alias(con):
    assert ids(queries.entities_matching(con, "中芯"), "entity_id") == ["smic"]
    assert ids(queries.entities_matching(con, "0981.hk"), "entity_id") == ["smic"]
    assert ids(queries.entities_matching(con, "smic"), "entity_id") == ["smic", "smic-south"]
    assert len(queries.entities_matching(con, None)) == 6
    south = queries.entities_matching(con, "south").iloc[0]
    assert south["parent_name"] == "Semiconductor Manufacturing International Corporation"


def test_sources_count_facts_in_view(con):
    df = queries.sources(con, Filters(entity_ids=("tsmc",))).set_index("source_id")
    assert df.loc["fx-december-rules", "facts_in_view"] == 1
    assert df.loc["fx-later-report", "facts_in_view"] == 0
    assert df.loc["fx-december-rules", "fact_count"] == 6


def test_counts_by_kind(con):
    df = queries.counts_by_kind(con, Filters())
    assert dict(zip(df["kind"], df["fact_count"])) == {
        "chip_node": 3, "funding": 2, "entity_action": 1, "event": 1, "rule": 1, "threshold": 1}
