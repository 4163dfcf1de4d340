"""Never more certainty than the source: hedged dates and values, the right actor's lane, gaps that
hold, search over names, totals over floors. Over the fixture plus a hedged brief (honest_package)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pyarrow.parquet as pq
import pytest

from tracker import db, read
from tracker.compare import gaps, usable, years_text
from tracker.data import csv_bytes
from tracker.export import arrow_to_csv_bytes
from tracker.filters import Filters
from tracker.read import FACTS, Reader


@pytest.fixture(scope="module")
def reader(honest_package):
    return Reader(db.connect(db.current_package(honest_package).directory))


@pytest.fixture(scope="module")
def facts(honest_package):
    return {r["fact_id"]: r for r in pq.read_table(honest_package / "facts.parquet").to_pylist()}


def test_hedged_date_and_value_are_columns_and_labels(facts):
    fund = facts["hx-brief-01"]
    assert (fund["date_qualifier"], fund["date_label"], fund["date_precision"]) == ("late", "late 2025", "year")
    assert (fund["value_qualifier"], fund["value_label"], fund["amount_usd_label"]) == (
        "over",
        "over $47.0 B",
        "over $47.0 B",
    )
    assert fund["date_end"] == dt.date(2025, 12, 31)
    assert facts["hx-brief-07"]["date_label"] == "by 2030"
    assert facts["hx-brief-02"]["value_label"] == "5–7 nm"
    assert facts["fx-december-rules-01"]["date_label"] == "2024-12-02"


def test_money_is_converted_to_the_cent(facts):
    assert facts["fx-december-rules-05"]["amount_usd"] == 47_499_999_983.2  # 344e9 at the cited rate


def test_a_threshold_sits_in_its_rules_lane_not_the_first_country(facts):
    # countries [CN, US], first entity SMIC: the rule it belongs to was issued by BIS
    assert facts["hx-brief-05"]["lane_country"] == "US" and facts["hx-brief-05"]["lane_entity_id"] == "us-bis"
    # no rule_fact: the first entity listed acted (BIS), not the alphabetically first country (CN)
    assert facts["fx-december-rules-02"]["lane_country"] == "US"


def test_entities_keep_the_annotators_order(facts):
    assert facts["hx-brief-05"]["entity_ids"] == ["smic", "us-bis"]


@pytest.mark.parametrize("search", ["华为", "huawei", "Huawei Technologies", "中芯国际"])
def test_search_matches_entity_names_and_aliases(reader, search):
    found = set(reader.facts(Filters(search=search)).frame()["fact_id"])
    assert "fx-later-report-02" in found  # names SMIC and Huawei; neither name is in its title or evidence


def test_search_still_matches_titles_and_evidence(reader):
    assert set(reader.facts(Filters(search="multipatterning")).frame()["fact_id"]) == {"fx-later-report-02"}


def test_a_period_overlapping_the_range_is_in_it(reader):
    in_view = set(
        reader.facts(Filters(date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 12, 31))).frame()["fact_id"]
    )
    assert {"hx-brief-01", "fx-later-report-02", "hx-brief-02"} <= in_view  # "late 2025", "2025", Nov 2025
    assert "hx-brief-03" not in in_view  # 2018


def test_facts_ahead_of_a_day(reader):
    ahead = reader.facts(Filters(), True, dt.date(2026, 12, 2)).frame()
    assert ahead["fact_id"].tolist() == ["hx-brief-07"]
    assert reader.facts(Filters(), True, dt.date(2026, 12, 2)).count() == 1


def test_a_total_over_floors_says_at_least(reader):
    totals = reader.funding_totals(Filters(), "year", ("raised",)).set_index("group_label")
    assert totals.loc["2025", "total_label"] == "at least $47.0 B"
    assert totals.loc["2025", "floors"] == 1
    assert totals.loc["2024", "total_label"] == "$47.5 B"  # the linked claim at its lowest, exact
    subsidy = reader.funding_totals(Filters(), "funder", ("subsidy",))
    assert subsidy["total_label"].tolist() == ["about $1.38 B"] and subsidy["ceilings"].tolist() == [1]


def test_funding_by_country_is_the_funders():
    assert "lane_country" in read.sql("funding_totals")


def _track(reader):
    return reader.chip_gap_facts(Filters(), "logic_node", "nm", ("smic", "tsmc"))


def test_a_gap_rests_on_two_dated_facts_and_a_range_counts_at_its_weaker_end(reader):
    # SMIC: 7 nm in 2022, and N+3 "between 7nm and 5nm" (Nov 2025), which guarantees only 7 nm, so
    # no 5 nm level for SMIC and no gap measured against TSMC's 5 nm. Both dates are years: a range.
    gap = gaps(_track(reader), "logic_node", ["SMIC", "TSMC"])
    assert gap.to_dict("records") == [
        {
            "company": "SMIC",
            "level": 7.0,
            "level_label": "7 nm",
            "reached": "2022",
            "ahead_company": "TSMC",
            "ahead_reached": "2018",
            "years_low": 3.0,
            "years_high": 5.0,
            "fact_id": "fx-december-rules-03",
            "ahead_fact_id": "hx-brief-03",
        }
    ]
    assert years_text(3.0, 5.0) == "3.0–5.0 years" and years_text(4.2, 4.2) == "4.2 years"


def test_facts_a_gap_cannot_rest_on_are_named_with_the_reason(reader):
    kept, left_out = usable(_track(reader))
    reasons = dict(zip(left_out["fact_id"], left_out["reason"]))
    assert reasons == {"hx-brief-06": "its date is the article's dateline, not a date the text gives"}
    assert "hx-brief-07" not in set(kept["fact_id"])  # planned, not mass production


def test_too_thin_evidence_gives_no_gap(reader):
    only_tsmc = reader.chip_gap_facts(Filters(), "logic_node", "nm", ("tsmc", "huawei"))
    assert gaps(only_tsmc, "logic_node", ["TSMC", "Huawei"]).empty


def test_a_bound_is_not_a_date_for_a_gap():
    import pandas as pd

    row = {
        "fact_date": pd.Timestamp("2030-01-01"),
        "date_basis": "stated",
        "date_qualifier": "by",
        "date_label": "by 2030",
    }
    from tracker.compare import why_left_out

    assert why_left_out(row) == "'by 2030' is a bound, not a date"


def test_csv_numbers_are_plain_decimals_and_carry_precision_and_hedges(reader):
    table = reader.facts(Filters())
    columns = [
        "date_label",
        "date_precision",
        "date_qualifier",
        "value_label",
        "value",
        "value_qualifier",
        "amount_usd",
        "fact_id",
    ]
    arrow = table.arrow().select(columns)
    assert csv_bytes(table, columns) == arrow_to_csv_bytes(arrow)  # the download button's bytes
    rows = {r["fact_id"]: r for r in csv.DictReader(io.StringIO(arrow_to_csv_bytes(arrow).decode()))}
    assert rows["hx-brief-01"]["value"] == "47000000000" and rows["hx-brief-01"]["value_qualifier"] == "over"
    assert rows["hx-brief-01"]["date_precision"] == "year" and rows["hx-brief-01"]["date_qualifier"] == "late"
    assert rows["fx-december-rules-05"]["amount_usd"] == "47499999983.2"
    assert table.listing == FACTS
    text = arrow_to_csv_bytes(arrow).decode()
    assert "e+" not in text and "00000001" not in text
