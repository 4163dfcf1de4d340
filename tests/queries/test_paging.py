"""Paged tables, counts and chart aggregates: what keeps pages fast at any size."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tracker import db, queries
from tracker.export import arrow_to_csv_bytes, to_csv_bytes
from tracker.filters import Filters


@pytest.fixture(scope="module")
def con(package_dir):
    return db.connect(db.current_package(package_dir).directory)


TABLES = [  # (rows query, count query, args)
    ("facts", "facts_count", (Filters(), False)),
    ("facts", "facts_count", (Filters(), True)),
    ("facts", "facts_count", (Filters(entity_ids=("smic",)), False)),
    ("chip_nodes", "chip_nodes_count", (Filters(), "logic_node", "nm")),
    ("chip_nodes", "chip_nodes_count", (Filters(), "logic_node", "nm", ("smic",))),
    ("funding", "funding_count", (Filters(),)),
    ("facts_of_entity", "facts_of_entity_count", ("us-bis",)),
    ("sources", "sources_count", (Filters(),)),
    ("facts_of_source", "facts_of_source_count", ("fx-december-rules",)),
]


@pytest.mark.parametrize("rows, count, args", TABLES)
def test_pages_are_slices_of_the_whole_in_order_and_the_count_matches(con, rows, count, args):
    whole = getattr(queries, rows)(con, *args)
    assert getattr(queries, count)(con, *args) == len(whole) > 0
    key = whole.columns[0]
    pieces = [getattr(queries, rows)(con, *args, limit=2, offset=k) for k in range(0, len(whole), 2)]
    assert [v for p in pieces for v in p[key].tolist()] == whole[key].tolist()
    assert getattr(queries, rows)(con, *args, limit=2, offset=len(whole)).empty


def test_dated_only_drops_undated_facts(con):
    everything, dated = queries.facts(con, Filters()), queries.facts(con, Filters(), True)
    assert len(everything) - len(dated) == everything["fact_date"].isna().sum() == 1
    assert dated["fact_date"].notna().all()


def test_arrow_csv_equals_the_pandas_csv_rows(con):
    """The download is built from Arrow; it must hold the same rows and values as the table."""
    columns = ["fact_date", "kind", "title", "entity_ids", "value", "is_disputed", "evidence", "fact_id"]
    df = queries.facts(con, Filters())[columns]
    fast = list(csv.DictReader(io.StringIO(arrow_to_csv_bytes(queries.facts(con, Filters(), arrow=True).select(columns)).decode())))
    slow = list(csv.DictReader(io.StringIO(to_csv_bytes(df).decode())))
    assert [r["fact_id"] for r in fast] == [r["fact_id"] for r in slow] == df["fact_id"].tolist()
    for a, b in zip(fast, slow):
        assert (a["fact_date"], a["kind"], a["title"], a["entity_ids"], a["evidence"]) == (
            b["fact_date"], b["kind"], b["title"], b["entity_ids"], b["evidence"])
        assert (float(a["value"]) if a["value"] else None) == (float(b["value"]) if b["value"] else None)
        assert a["is_disputed"].lower() == b["is_disputed"].lower()


def test_summary_counts_facts_dates_and_disputed_claims(con):
    s = queries.facts_summary(con, Filters()).iloc[0]
    assert (s["fact_count"], s["dated_count"], s["disputed_claims"]) == (9, 8, 1)
    assert s["first_date"].year == 2022 and s["last_date"].year == 2025


def test_timeline_density_counts_every_dated_fact_per_month_and_lane(con):
    for lane in ("country", "authority"):
        for bin in ("month", "quarter", "year"):
            d = queries.timeline_density(con, Filters(), lane, bin=bin)
            assert d["fact_count"].sum() == queries.facts_count(con, Filters(), True)
            assert (d["fact_date"].dt.day == 1).all() and (d["period_end"] > d["fact_date"]).all()
        assert (queries.timeline_density(con, Filters(), lane, bin="year")["fact_date"].dt.month == 1).all()
    pooled = queries.timeline_density(con, Filters(), "country", top_lanes=1)
    assert set(pooled["lane"]) == {pooled.groupby("lane")["fact_count"].sum().idxmax(), "other lanes"}
    with pytest.raises(ValueError):
        queries.timeline_density(con, Filters(), "1; drop table facts")
    with pytest.raises(ValueError):
        queries.timeline_density(con, Filters(), "country", bin="week; drop table facts")


def test_timeline_points_carry_lanes_and_stop_at_the_limit(con):
    points = queries.timeline_points(con, Filters(), 100)
    assert len(points) == 8 and points["fact_date"].notna().all()
    assert len(queries.timeline_points(con, Filters(), 3)) == 3
    assert set(points["lane_country"]) <= {"US", "CN", "TW", "unknown"}


def test_chip_best_keeps_the_most_advanced_value_per_company_year_and_status(con):
    best = queries.chip_best(con, Filters(), "logic_node", "nm", smaller_is_better=True)
    rows = queries.chip_nodes(con, Filters(), "logic_node", "nm")
    rows = rows[rows["fact_date"].notna()]
    assert best["fact_count"].sum() == len(rows)
    for r in best.itertuples():
        same = rows[(rows["company_name"] == r.company_name) & (rows["status"] == r.status)
                    & (rows["fact_date"].dt.year == r.fact_date.year)]
        assert r.value == same["value"].min()


def test_chip_gap_facts_feed_the_gap_in_years(con):
    from tracker.compare import gaps
    track = queries.chip_gap_facts(con, Filters(), "logic_node", "nm", ("smic", "tsmc"))
    assert set(track["status"]) == {"mass_production"}
    gap = gaps(track, "logic_node", ["SMIC", "TSMC"])
    direct = gaps(queries.chip_nodes(con, Filters(), "logic_node", "nm"), "logic_node", ["SMIC", "TSMC"])
    assert gap.to_dict("records") == direct.to_dict("records")
    assert gap.empty  # SMIC's 7 nm is dated "2022", TSMC's 3 nm "Dec 2022": the periods overlap, no gap holds


def test_entity_density_sums_to_its_dated_facts(con):
    d = queries.entity_density(con, "us-bis")
    facts = queries.facts_of_entity(con, "us-bis")
    assert d["fact_count"].sum() == facts["fact_date"].notna().sum() > 0


def test_entities_matching_limit_keeps_the_most_cited(con):
    top = queries.entities_matching(con, None, 2)
    assert top["entity_id"].tolist() == queries.entities_matching(con, None)["entity_id"].tolist()[:2]
