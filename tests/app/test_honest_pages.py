"""The pages never show more certainty than the source (issue: "Never mislead"), through AppTest over
the fixture plus a hedged brief (tests/fixtures/honest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_app


@pytest.fixture
def app(honest_package, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA_DIR", str(honest_package))
    return lambda page, **params: open_app(page, params)


def table(at: AppTest, key: str | None = None):
    frames = [d for d in at.dataframe if key is None or (d.proto.id and key in d.proto.id)] if key else at.dataframe
    return frames[0].value


def texts(at: AppTest) -> str:
    return " ".join(
        e.value
        for kind in ("markdown", "caption", "info", "warning", "subheader", "header", "title")
        for e in getattr(at, kind)
    )


def test_dates_and_values_read_as_the_text_gives_them(app):
    at = app("timeline", kind="funding,chip_node")
    rows = table(at).set_index("fact_id")
    assert rows.loc["hx-brief-01", "date_label"] == "late 2025"
    assert rows.loc["hx-brief-01", "value_label"] == "over $47.0 B"
    assert rows.loc["hx-brief-07", "date_label"] == "by 2030"
    assert rows.loc["hx-brief-03", "date_label"] == "2018"  # never 2018-01-01
    assert "fact_date" not in rows.columns


def test_no_none_nan_or_midnight_in_any_cell(app):
    for page in ("overview", "timeline", "chip_nodes", "funding", "entities", "sources"):
        at = app(page)
        for frame in at.dataframe:
            shown = frame.value.astype(str)
            assert not shown.isin(["None", "nan", "NaN", "NaT", "<NA>"]).any().any(), page
            assert not shown.apply(lambda c: c.str.contains("00:00:00")).any().any(), page


def test_every_column_shown_has_a_label(app):
    """No raw column names (ahead_company, is_child, amount_usd) in any table a page shows."""
    import json

    for page in ("overview", "timeline", "chip_nodes", "funding", "entities", "sources"):
        at = app(page)
        assert at.dataframe, page
        for frame in at.dataframe:
            config = json.loads(frame.proto.columns or "{}")
            for column in frame.value.columns:
                label = config.get(column, {}).get("label")
                assert label and label != column, (page, column)


def test_search_text_survives_a_page_switch(app):
    at = app("timeline", q="Entity List")  # open_app starts on the overview, then switches
    assert at.text_input(key="filters_q").value == "Entity List"
    assert table(at)["fact_id"].tolist() == ["fx-december-rules-01"]
    assert at.query_params["q"] == "Entity List"


def test_counts_are_singular_for_one(app):
    at = app("timeline", kind="funding", q="47 billion")
    assert "1 fact. Click a row to open the fact in full." in [c.value for c in at.caption]
    assert at.get("download_button")[0].proto.label == "Download all 1 row as CSV"


def test_overview_keeps_what_lies_ahead_apart(app):
    at = app("overview")
    assert "Plans, targets and forecasts still ahead" in [s.value for s in at.subheader]
    latest, ahead = at.dataframe[0].value, at.dataframe[1].value
    assert "hx-brief-07" not in set(latest["fact_id"])  # "by 2030" is not a latest development
    assert ahead["fact_id"].tolist() == ["hx-brief-07"] and ahead["date_label"].tolist() == ["by 2030"]
    assert latest["fact_id"].tolist()[:2] == ["hx-brief-06", "hx-brief-02"]  # newest begun first: Dec, Nov 2025


def test_overview_lists_where_sources_disagree_and_opens_the_claim(app):
    at = app("overview")
    assert "Where sources agree, and where they disagree" in [s.value for s in at.subheader]
    claims = [d.value for d in at.dataframe if "claim_label" in d.value.columns and "claim_sources" in d.value.columns]
    assert len(claims) == 1
    row = claims[0].set_index("fact_id").loc["fx-december-rules-05"]
    assert row["claim_label"] == "2 sources disagree" and row["claim_sources"] == 2
    assert "CNY 344 B" in row["claim_values"] and "$50.0 B" in row["claim_values"]


def test_company_gap_shows_its_two_facts_with_citations_and_basis(app):
    at = app("chip_nodes", metric="logic_node|nm")
    shown = texts(at)
    assert "SMIC reached 7 nm or better 3.0–5.0 years after TSMC" in shown
    assert "**Behind** · SMIC reached **7 nm** in **2022** (date stated in the text)" in shown
    assert "**Ahead** · TSMC reached **7 nm** in **2018** (date stated in the text)" in shown
    assert "“7nm N\\+2 process in 2022”" in shown and "line 4" in shown  # the cited evidence of each side
    assert "“7nm since 2018”" in shown
    left_out = [d.value for d in at.dataframe if "reason" in d.value.columns][0]
    assert left_out.set_index("fact_id").loc["hx-brief-06", "reason"].startswith("its date is the article's dateline")


def test_too_thin_evidence_says_so_instead_of_a_number(app):
    # from 2022: SMIC's 7 nm "2022" and TSMC's 3 nm "Dec 2022" overlap; nothing else is dated in view
    at = app("chip_nodes", metric="logic_node|nm", **{"from": "2022-01-01"})
    assert sorted(at.multiselect(key="chips_compare").value) == ["smic", "tsmc"]
    assert "The evidence is too thin to compute a gap in years" in " ".join(i.value for i in at.info)
    assert "years after" not in texts(at)


def test_funding_total_over_a_floor_says_at_least(app):
    at = app("funding", **{"from": "2025-01-01"})
    assert table(at).set_index("fact_id").loc["hx-brief-01", "amount_usd_label"] == "over $47.0 B"
    assert "1 amount is a floor (over, at least, or the low end of a range)" in texts(at)


@pytest.mark.parametrize("search", ["华为", "Huawei"])
def test_search_finds_facts_by_their_entities_names(app, search):
    at = app("timeline", q=search, kind="chip_node")
    assert "fx-later-report-02" in set(table(at)["fact_id"])
