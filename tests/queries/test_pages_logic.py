"""Pure helpers behind the pages: funding totals, company gaps, related entities, highlighting."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import corpus, db
from tracker.compare import SMALLER_IS_BETTER, gaps, level_of, with_left_out
from tracker.filters import Filters
from tracker.read import Reader


@pytest.fixture(scope="module")
def read(package_dir):
    return Reader(db.connect(db.current_package(package_dir).directory))


def test_linked_claims_count_once_at_lowest_amount(read):
    by_year = read.funding_totals(Filters(), "year")
    assert by_year["fact_count"].tolist() == [1]  # the two Big Fund III facts are one claim
    assert by_year["total_usd"].iloc[0] == pytest.approx(47.5e9, rel=1e-6)
    assert by_year["group_label"].iloc[0] == "2024"
    assert read.funding_totals(Filters(), "country")["group_label"].tolist() == ["CN"]
    assert read.funding_totals(Filters(), "funder", ("valuation",)).empty
    with pytest.raises(ValueError):
        read.funding_totals(Filters(), "1; drop table facts")


def test_funding_type_filter(read):
    assert len(read.funding(Filters(), ("raised",)).frame()) == 2
    assert read.funding(Filters(), ("subsidy",)).frame().empty


def _node(
    company,
    value,
    day,
    status="mass_production",
    *,
    value_high=None,
    basis="stated",
    qualifier=None,
    metric="logic_node",
    fact_id=None,
):
    start = pd.Timestamp(day)
    return {
        "metric": metric,
        "company_name": company,
        "value": value,
        "value_high": value_high,
        "unit": "nm",
        "status": status,
        "fact_date": start,
        "date_end": start,
        "date_basis": basis,
        "date_qualifier": qualifier,
        "date_label": start.date().isoformat(),
        "fact_id": fact_id or f"{company}-{value}-{day}",
    }


def test_gap_in_years_between_companies():
    nodes = pd.DataFrame(
        [
            _node("TSMC", 7.0, "2018-04-01"),
            _node("TSMC", 5.0, "2020-04-01"),
            _node("SMIC", 7.0, "2022-07-01"),
            _node("SMIC", 5.0, "2025-01-01", "claimed"),
        ]
    )
    out = gaps(nodes, "logic_node", ["SMIC", "TSMC"])
    assert out[["company", "level", "reached", "ahead_company", "ahead_reached", "years_low", "years_high"]].to_dict(
        "records"
    ) == [
        {
            "company": "SMIC",
            "level": 7.0,
            "reached": "2022-07-01",
            "ahead_company": "TSMC",
            "ahead_reached": "2018-04-01",
            "years_low": 4.2,
            "years_high": 4.2,
        }
    ]
    assert out[["fact_id", "ahead_fact_id"]].values.tolist() == [["SMIC-7.0-2022-07-01", "TSMC-7.0-2018-04-01"]]


def test_gap_for_layers_counts_more_as_better():
    nodes = pd.DataFrame(
        [_node("A", 232.0, "2022-01-01", metric="nand_layers"), _node("B", 200.0, "2024-01-01", metric="nand_layers")]
    )
    assert gaps(nodes, "nand_layers", ["A", "B"])["years_low"].tolist() == [2.0]


def test_gap_leaves_out_dateline_dates_and_bounds():
    nodes = pd.DataFrame(
        [
            _node("TSMC", 7.0, "2018-04-01", basis="dateline"),
            _node("TSMC", 7.0, "2030-01-01", qualifier="by"),
            _node("SMIC", 7.0, "2022-07-01"),
        ]
    )
    assert gaps(nodes, "logic_node", ["SMIC", "TSMC"]).empty


def test_related_entities_include_family(read):
    smic = read.related_entities("smic").set_index("entity_id")
    assert smic.loc["smic-south", "relation"] == "part of it"
    assert smic.loc["huawei", "shared_facts"] == 1 and smic.loc["huawei", "relation"] == "named in the same facts"
    assert read.related_entities("smic-south").set_index("entity_id").loc["smic", "relation"] == "parent"


def test_facts_of_entity_and_source(read):
    assert read.facts_of_entity("big-fund").frame()["fact_id"].tolist() == [
        "fx-december-rules-05",
        "fx-later-report-01",
    ]
    assert read.facts_of_source("fx-later-report").frame()["source_line"].tolist() == [8, 9, 10]


def test_disputed_claim_values_side_by_side(read):
    facts = read.facts(Filters(kinds=("funding",))).frame().set_index("fact_id")
    values = facts.loc["fx-later-report-01", "claim_values"]
    assert values == ("$50.0 B (2024) [fx-later-report]  |  CNY 344 B (May 2024) [fx-december-rules]")


def test_highlight_escapes_and_marks():
    text = "He said “<b>18 nanometer</b>” &  more"
    assert (
        corpus.highlight(text, '"<b>18 nanometer</b>"')
        == "He said <mark>“&lt;b&gt;18 nanometer&lt;/b&gt;”</mark> &amp;  more"
    )
    assert corpus.highlight("<script>x</script>", "absent") == "&lt;script&gt;x&lt;/script&gt;"


def test_cited_line_reads_the_corpus(monkeypatch):
    from tests.conftest import FIXTURE_CORPUS

    monkeypatch.setenv("TRACKER_CORPUS_DIR", str(FIXTURE_CORPUS))
    assert corpus.cited_line("fixture.txt", 3) == "The rules cap DRAM at an 18 nanometer half-pitch for fabs in China."
    assert corpus.cited_line("../fixture.txt", 3) is None
    assert corpus.cited_line("fixture.txt", 999) is None


def _reference_gaps(nodes, metric, companies):
    """The obvious version of gaps over day-precision facts (a pandas filter per level and company),
    kept as the oracle."""
    from tracker.compare import SMALLER_IS_BETTER

    smaller = metric in SMALLER_IS_BETTER
    rows = nodes[
        (nodes["metric"] == metric)
        & nodes["fact_date"].notna()
        & nodes["value"].notna()
        & (nodes["status"] == "mass_production")
        & nodes["company_name"].isin(companies)
    ]
    out = []
    for follower in companies:
        mine = rows[rows["company_name"] == follower]
        for value, first in mine.groupby("value")["fact_date"].min().items():
            for leader in companies:
                if leader == follower:
                    continue
                theirs = rows[rows["company_name"] == leader]
                theirs = theirs[theirs["value"] <= value] if smaller else theirs[theirs["value"] >= value]
                if theirs.empty:
                    continue
                leader_date = theirs["fact_date"].min()
                if first <= leader_date:
                    continue
                years = round((pd.Timestamp(first) - pd.Timestamp(leader_date)).days / 365.25, 1)
                out.append(
                    {
                        "company": follower,
                        "level": value,
                        "ahead_company": leader,
                        "years_low": years,
                        "years_high": years,
                    }
                )
    return pd.DataFrame(out, columns=["company", "level", "ahead_company", "years_low", "years_high"])


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C"]),
            st.sampled_from([3.0, 5.0, 7.0, 10.0, 14.0, 28.0]),
            st.dates(dt.date(2010, 1, 1), dt.date(2026, 12, 31)),
            st.sampled_from(["mass_production", "prototype"]),
        ),
        max_size=30,
    ),
    st.sampled_from(["logic_node", "nand_layers"]),
)
def test_vectorised_gaps_equal_the_obvious_version(points, metric):
    nodes = pd.DataFrame(
        [_node(c, v, d.isoformat(), s, metric=metric, fact_id=f"f{i}") for i, (c, v, d, s) in enumerate(points)],
        columns=list(_node("A", 1.0, "2020-01-01")),
    )
    got = gaps(nodes, metric, ["A", "B", "C"])[["company", "level", "ahead_company", "years_low", "years_high"]]
    want = _reference_gaps(nodes, metric, ["A", "B", "C"])
    assert got.to_dict("records") == want.to_dict("records")


def left_out_at(left_out: pd.DataFrame, company: str, level: float, metric: str) -> int:
    """The obvious count for one gap (a pandas filter), kept as the oracle: how many of a company's
    left-out facts claim the level or better."""
    smaller = metric in SMALLER_IS_BETTER
    levels = level_of(left_out[left_out["company_name"] == company], smaller)
    return int((levels <= level).sum() if smaller else (levels >= level).sum())


@settings(max_examples=120, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C"]),
            st.sampled_from([3.0, 5.0, 7.0, 10.0, 14.0, None]),
            st.sampled_from([None, 5.0, 10.0, 28.0]),
        ),
        max_size=25,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "D"]), st.sampled_from(["A", "B", "C"]), st.sampled_from([3.0, 7.0, 28.0])
        ),
        max_size=10,
    ),
    st.sampled_from(["logic_node", "nand_layers"]),
)
def test_left_out_counts_of_every_gap_equal_one_gap_at_a_time(left, gap_rows, metric):
    """with_left_out (sorted levels, a binary search per gap) against left_out_at (a filter per gap)."""
    left_out = pd.DataFrame(left, columns=["company_name", "value", "value_high"], dtype=object)
    gap = pd.DataFrame(gap_rows, columns=["company", "ahead_company", "level"])
    got = with_left_out(gap, left_out, metric)
    for side, companies in (("behind_left_out", gap["company"]), ("ahead_left_out", gap["ahead_company"])):
        assert got[side].tolist() == [left_out_at(left_out, c, lv, metric) for c, lv in zip(companies, gap["level"])]


def test_entity_choices_label_each_entity_by_its_name_and_six_other_names(read):
    """The sidebar's list: every entity, most-cited first, labelled "Name (alias, alias, ...)" with at
    most six names other than its own, or the name alone."""
    everyone = read.entities_matching(None)
    ids, labels = read.entity_choices()
    assert ids == everyone["entity_id"].tolist()
    for entity_id, name, known_as in zip(ids, everyone["name"], everyone["aliases"]):
        others = [a for a in (known_as if known_as is not None else []) if a != name]
        assert labels[entity_id] == (f"{name} ({', '.join(others[:6])})" if others else name)
    assert any("(" in label for label in labels.values()) and any("(" not in label for label in labels.values())
