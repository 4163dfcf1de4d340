"""Paged tables, counts and chart aggregates: what keeps pages fast at any size."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from tracker import db
from tracker.export import arrow_to_csv_bytes, to_csv_bytes
from tracker.filters import Filters
from tracker.read import Reader


@pytest.fixture(scope="module")
def read(package_dir):
    return Reader(db.connect(db.current_package(package_dir).directory))


TABLES = [  # (listing, args)
    ("facts", (Filters(), False)),
    ("facts", (Filters(), True)),
    ("facts", (Filters(entity_ids=("smic",)), False)),
    ("chip_nodes", (Filters(), "logic_node", "nm")),
    ("chip_nodes", (Filters(), "logic_node", "nm", ("smic",))),
    ("funding", (Filters(),)),
    ("facts_of_entity", ("us-bis",)),
    ("sources", (Filters(),)),
    ("facts_of_source", ("fx-december-rules",)),
]


@pytest.mark.parametrize("name, args", TABLES)
def test_pages_are_slices_of_the_whole_in_order_and_the_count_matches(read, name, args):
    rows = getattr(read, name)(*args)
    whole = rows.frame()
    assert rows.count() == len(whole) > 0
    key = whole.columns[0]
    pieces = [rows.page(2, k) for k in range(0, len(whole), 2)]
    assert [v for p in pieces for v in p[key].tolist()] == whole[key].tolist()
    assert rows.page(2, len(whole)).empty


# Views with every filter a listing's rows file takes, so a filter the count forgot (or applied
# twice) shows as a count that differs from the rows: (listing, args). Each is tried in every order
# the listing offers.
SPRING_2024_ON = dt.date(2024, 3, 1)
VIEWS = [
    ("facts", (Filters(kinds=("rule", "funding", "chip_node")),)),
    ("facts", (Filters(topics=("other_policy",)),)),
    ("facts", (Filters(countries=("CN",), statuses=("enacted", "claimed", "raised", "mass_production")),)),
    ("facts", (Filters(date_from=SPRING_2024_ON), True)),
    ("facts", (Filters(date_to=dt.date(2024, 12, 31)), False, dt.date(2022, 6, 1))),
    ("facts", (Filters(search="entity list"),)),
    ("facts", (Filters(entity_ids=("smic", "tsmc"), search="nm"),)),
    ("chip_nodes", (Filters(statuses=("mass_production",)), "logic_node", "nm")),
    ("chip_nodes", (Filters(countries=("CN",)), "logic_node", "nm", ("smic", "tsmc"))),
    ("chip_nodes", (Filters(date_to=dt.date(2022, 12, 31)), "logic_node", "nm")),
    ("chip_nodes", (Filters(), "logic_node", None)),
    ("funding", (Filters(), ("raised",))),
    ("funding", (Filters(), ("subsidy",))),
    ("funding", (Filters(entity_ids=("big-fund",), date_from=SPRING_2024_ON),)),
    ("funding", (Filters(search="big fund"),)),
    ("facts_of_entity", ("smic", Filters(date_from=dt.date(2023, 1, 1)))),
    ("facts_of_entity", ("us-bis", Filters(search="entity list"))),
    ("facts_of_entity", ("nosuch",)),
    ("sources", (Filters(entity_ids=("tsmc",)),)),
    ("sources", (Filters(search="zzzz"),)),
    ("facts_of_source", ("fx-later-report",)),
    ("facts_of_source", ("nosuch",)),
]


@pytest.mark.parametrize("name, args", VIEWS)
def test_the_count_is_the_number_of_rows_in_every_order(read, name, args):
    """The count and the rows come from one rows file (no *_count.sql repeats its filters): for any
    filters and any order, count() is how many rows frame() returns, and the pages hold those rows."""
    view = getattr(read, name)(*args)
    for sort in [None, *view.sorts]:
        rows = view.sorted_by(sort)
        whole = rows.frame()
        assert rows.count() == len(whole), (name, args, sort)
        pieces = pd.concat([rows.page(3, k) for k in range(0, len(whole) + 3, 3)])
        assert pieces[whole.columns[0]].tolist() == whole[whole.columns[0]].tolist(), (name, args, sort)


def test_the_views_above_are_not_all_empty(read):
    counts = [getattr(read, name)(*args).count() for name, args in VIEWS]
    assert sum(c > 0 for c in counts) >= len(VIEWS) - 4 and any(c == 0 for c in counts)


def test_an_order_sorts_every_row_before_the_page_is_cut(read):
    newest = read.facts(Filters()).frame()["fact_id"].tolist()
    oldest = read.facts(Filters()).sorted_by("oldest").frame()["fact_id"].tolist()
    assert oldest[-1] == newest[-1] == "fx-later-report-03"  # undated last either way
    assert oldest[:-1] == newest[:-1][::-1]
    assert read.facts(Filters()).sorted_by("oldest").page(1, 0)["fact_id"].tolist() == oldest[:1]
    assert read.facts(Filters()).sorted_by("sideways") == read.facts(Filters())  # an unknown order: the default
    amounts = read.funding(Filters()).sorted_by("amount_asc").frame()["amount_usd"].tolist()
    assert amounts == sorted(amounts)


def test_dated_only_drops_undated_facts(read):
    everything, dated = read.facts(Filters()).frame(), read.facts(Filters(), True).frame()
    assert len(everything) - len(dated) == everything["fact_date"].isna().sum() == 1
    assert dated["fact_date"].notna().all()


def test_arrow_csv_equals_the_pandas_csv_rows(read):
    """The download is built from Arrow; it must hold the same rows and values as the table."""
    columns = ["fact_date", "kind", "title", "entity_ids", "value", "is_disputed", "evidence", "fact_id"]
    rows = read.facts(Filters())
    df = rows.page(rows.count())[columns]  # the table as a page shows it (a DataFrame from DuckDB), every row
    fast = list(csv.DictReader(io.StringIO(arrow_to_csv_bytes(rows.arrow().select(columns)).decode())))
    slow = list(csv.DictReader(io.StringIO(to_csv_bytes(df).decode())))
    assert [r["fact_id"] for r in fast] == [r["fact_id"] for r in slow] == df["fact_id"].tolist()
    for a, b in zip(fast, slow):
        assert (a["fact_date"], a["kind"], a["title"], a["entity_ids"], a["evidence"]) == (
            b["fact_date"],
            b["kind"],
            b["title"],
            b["entity_ids"],
            b["evidence"],
        )
        assert (float(a["value"]) if a["value"] else None) == (float(b["value"]) if b["value"] else None)
        assert a["is_disputed"].lower() == b["is_disputed"].lower()


def test_summary_counts_facts_dates_and_disputed_claims(read):
    s = read.facts_summary(Filters()).iloc[0]
    assert (s["fact_count"], s["dated_count"], s["disputed_claims"], s["corroborated_claims"]) == (9, 8, 1, 0)
    assert s["first_date"].year == 2022 and s["last_date"].year == 2025


def test_timeline_density_counts_every_dated_fact_per_month_and_lane(read):
    for lane in ("country", "authority"):
        for bin in ("month", "quarter", "year"):
            d = read.timeline_density(Filters(), lane, bin=bin)
            assert d["fact_count"].sum() == read.facts(Filters(), True).count()
            assert (d["fact_date"].dt.day == 1).all() and (d["period_end"] > d["fact_date"]).all()
        assert (read.timeline_density(Filters(), lane, bin="year")["fact_date"].dt.month == 1).all()
    pooled = read.timeline_density(Filters(), "country", top_lanes=1)
    assert set(pooled["lane"]) == {pooled.groupby("lane")["fact_count"].sum().idxmax(), "other lanes"}
    with pytest.raises(ValueError):
        read.timeline_density(Filters(), "1; drop table facts")
    with pytest.raises(ValueError):
        read.timeline_density(Filters(), "country", bin="week; drop table facts")


def test_timeline_points_carry_lanes_and_stop_at_the_limit(read):
    points = read.timeline_points(Filters(), 100)
    assert len(points) == 8 and points["fact_date"].notna().all()
    assert len(read.timeline_points(Filters(), 3)) == 3
    assert set(points["lane_country"]) <= {"US", "CN", "TW", "unknown"}


def test_chip_best_keeps_the_most_advanced_value_per_company_year_and_status(read):
    best = read.chip_best(Filters(), "logic_node", "nm", smaller_is_better=True)
    rows = read.chip_nodes(Filters(), "logic_node", "nm").frame()
    rows = rows[rows["fact_date"].notna()].assign(fact_date=lambda r: pd.to_datetime(r["fact_date"]))
    assert best["fact_count"].sum() == len(rows)
    for r in best.itertuples():
        same = rows[
            (rows["company_name"] == r.company_name)
            & (rows["status"] == r.status)
            & (rows["fact_date"].dt.year == r.fact_date.year)
        ]
        assert r.value == same["value"].min()


def test_chip_gap_facts_feed_the_gap_in_years(read):
    from tracker.compare import gaps

    track = read.chip_gap_facts(Filters(), "logic_node", "nm", ("smic", "tsmc"))
    assert set(track["status"]) == {"mass_production"}
    gap = gaps(track, "logic_node", ["SMIC", "TSMC"])
    direct = gaps(read.chip_nodes(Filters(), "logic_node", "nm").frame(), "logic_node", ["SMIC", "TSMC"])
    assert gap.to_dict("records") == direct.to_dict("records")
    assert gap.empty  # SMIC's 7 nm is dated "2022", TSMC's 3 nm "Dec 2022": the periods overlap, no gap holds


def test_entity_density_sums_to_its_dated_facts(read):
    d = read.entity_density("us-bis")
    facts = read.facts_of_entity("us-bis").frame()
    assert d["fact_count"].sum() == facts["fact_date"].notna().sum() > 0


def test_entities_matching_limit_keeps_the_most_cited(read):
    top = read.entities_matching(None, 2)
    assert top["entity_id"].tolist() == read.entities_matching(None)["entity_id"].tolist()[:2]


def test_claims_list_each_claim_stated_twice_or_more_disagreements_first(read):
    rows = read.claims(Filters())
    assert rows.count() == 1
    page = rows.page(10)
    assert page[["claim_id", "claim_label", "claim_sources", "claim_facts", "is_disputed"]].values.tolist() == [
        ["claim-big-fund-iii-size", "2 sources disagree", 2, 2, True]
    ]
    assert page.loc[0, "claim_values"].count("|") == 1  # the two competing values side by side
    assert page.loc[0, "fact_id"] == "fx-december-rules-05"  # its first fact, to open
    assert rows.sorts == {"disputed": "Disagreements first", "sources": "Most sources first"}
    assert rows.sorted_by("sources").page(10)["claim_id"].tolist() == ["claim-big-fund-iii-size"]
    # a filter that leaves out both facts leaves out the claim
    assert read.claims(Filters(search="dram")).count() == 0
