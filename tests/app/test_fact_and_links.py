"""A fact in full, a view in full (issue: fact pages, "cite this", whole-result sorting, every
setting in the link), through AppTest over the fixture package."""

from __future__ import annotations

import csv
import io
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_app


@pytest.fixture
def app(honest_package, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA_DIR", str(honest_package))
    return lambda page, **params: open_app(page, params)


def text(at: AppTest) -> str:
    """What the page says, Markdown escapes removed."""
    parts = [
        e.value for kind in ("header", "markdown", "caption", "info", "warning", "code") for e in getattr(at, kind)
    ]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


def test_a_rule_in_full(app):
    at = app("fact", fact="fx-december-rules-06")
    shown = text(at)
    assert at.header[0].value == "December 2024 package of semiconductor controls"
    for expected in (
        "**Rule:** December 2024 semiconductor rules",
        "**Authority:** Bureau of Industry and Security",
        "**Controls:** HBM, tools and Entity List additions",
        "**Announced:** 2024-12-02",
        "**Date:** 2024-12-02 (stated in the text)",
        "**Who acted:** Bureau of Industry and Security (US)",
    ):
        assert expected in shown, expected
    assert at.query_params["fact"] == "fx-december-rules-06"


def test_a_funding_fact_in_full_with_its_rate_and_claim(app):
    at = app("fact", fact="fx-december-rules-05")
    shown = text(at)
    for expected in (
        "**Funder:** China Integrated Circuit Industry Investment Fund",
        "**Vehicle:** Big Fund III",
        "**Type:** raised",
        "**Amount as stated:** CNY 344 B",
        "**In USD:** $47.5 B",
        "**Rate used:** 0.138081 USD per CNY, cited from fx-december-rules line 6",
        "**The same claim in 2 facts** · 2 sources disagree",
    ):
        assert expected in shown, expected
    claim = [d.value for d in at.dataframe if "value_label" in d.value.columns][0]
    assert sorted(claim["fact_id"]) == ["fx-december-rules-05", "fx-later-report-01"]
    assert set(claim["value_label"]) == {"CNY 344 B", "$50.0 B"}


def test_a_chip_node_fact_in_full_with_its_inferred_date(app):
    at = app("fact", fact="hx-brief-02")
    shown = text(at)
    for expected in (
        "**Company:** Semiconductor Manufacturing International Corporation",
        "**Product:** N+3",
        "**Metric:** logic node",
        "**Status:** mass production",
        "**Value:** 5–7 nm",
        "**Date:** Nov 2025 (inferred)",
        "**How the date was worked out:** reports 'in November 2025'",
    ):
        assert expected in shown, expected
    links = [(p.proto.page, p.proto.label, p.proto.query_string) for p in at.get("page_link")]
    assert links == [("entities", "Semiconductor Manufacturing International Corporation (company, named)", "id=smic")]


def test_cite_this_fact_gives_source_line_build_and_link(app, honest_package):
    at = app("fact", fact="hx-brief-01")
    [citation] = [c.value for c in at.code]
    build = (honest_package / "manifest.json").read_text().split('"build_id": "')[1].split('"')[0]
    assert citation.startswith(
        "“A hedged brief”, Fixture Weekly, 2025-12-01, line 2 of honest.txt: "
        "“over $47 billion in late 2025”. Via US–China Technology Policy Tracker, fact hx-brief-01"
    )
    assert f"build {build}" in citation and "/fact?fact=hx-brief-01" in citation


def test_fact_on_any_page_opens_it(app):
    at = app("overview", fact="fx-december-rules-06", entity="us-bis")  # the browser test opens it from /timeline
    assert at.header[0].value == "December 2024 package of semiconductor controls"
    assert at.query_params["fact"] == "fx-december-rules-06" and at.query_params["entity"] == "us-bis"


def test_an_unknown_fact_says_so(app):
    at = app("fact", fact="no-such-fact")
    assert "This build has no fact" in text(at)
    assert "Ignored URL parameter fact=" in app("fact", fact="<b>x</b>").warning[0].value


def test_cite_this_view(app):
    at = app("funding", types="raised")
    [citation] = [c.value for c in at.code]
    assert citation.startswith("US–China Technology Policy Tracker, Funding (all rows; 3 rows), build ")


def test_funding_kinds_are_in_the_link_and_reopen_the_same_rows(app):
    at = app("funding")
    at.multiselect(key="funding_types").set_value(["raised", "valuation"]).run()
    assert at.query_params["types"] == "raised,valuation"
    rows = sorted(at.dataframe[0].value["fact_id"])
    again = app("funding", types="raised,valuation")  # the colleague's fresh session
    assert again.multiselect(key="funding_types").value == ["raised", "valuation"]
    assert sorted(again.dataframe[0].value["fact_id"]) == rows
    default = app("funding")
    assert "types" not in default.query_params and default.multiselect(key="funding_types").value == [
        "committed",
        "raised",
        "subsidy",
    ]


def test_compared_companies_and_period_are_in_the_link(app):
    at = app("chip_nodes", metric="logic_node|nm", compare="tsmc,smic")
    assert at.multiselect(key="chips_compare").value == ["tsmc", "smic"]
    assert at.query_params["compare"] == "tsmc,smic"
    at = app("timeline", period="2024-01-01..2024-12-31", kind="rule,entity_action,threshold")
    assert sorted(at.dataframe[0].value["fact_id"]) == [
        "fx-december-rules-01",
        "fx-december-rules-02",
        "fx-december-rules-06",
    ]
    assert at.query_params["period"] == "2024-01-01..2024-12-31"
    at.button(key="timeline_clear_period").click().run()
    assert "period" not in at.query_params


def test_sort_from_the_link_orders_every_row(app):
    at = app("overview", sort="oldest")
    assert at.selectbox(key="overview_sort").value == "oldest"
    assert at.dataframe[0].value["fact_id"].iloc[0] == "hx-brief-03"  # 2018, the oldest dated
    assert at.query_params["sort"] == "oldest"
    assert "Ignored URL parameter sort=" in app("overview", sort="sideways").warning[0].value


def test_entities_page_applies_the_date_and_search_filters(app):
    at = app("entities", id="smic", **{"from": "2025-01-01"}, q="zzzz")
    assert not [d for d in at.dataframe if "fact_id" in d.value.columns and len(d.value)]
    assert "No facts match these filters" in " ".join(i.value for i in at.info)
    at = app("entities", id="smic", **{"from": "2025-01-01"})
    facts = [d.value for d in at.dataframe if "roles" in d.value.columns][0]
    assert sorted(facts["fact_id"]) == ["fx-later-report-02", "hx-brief-02", "hx-brief-07"]
    assert "filtered by the sidebar's from 2025-01-01" in text(at)


def test_csv_rows_carry_their_facts_link(honest_package):
    from tracker import data as package_data
    from tracker import db
    from tracker.filters import Filters

    pkg = db.current_package(honest_package)
    data = package_data.csv_bytes(
        package_data.reader(pkg).facts(Filters()), ["fact_id", "title"], link=lambda f: f"http://host/fact?fact={f}"
    )
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert rows[0]["fact_url"] == f"http://host/fact?fact={rows[0]['fact_id']}"
    assert len(rows) == 17


def test_a_link_naming_a_merged_entity_id_opens_the_entity_it_was_merged_into(app):
    """huawei replaces huawei-technologies (tests/fixtures/data/entities/huawei.yml): old links keep working."""
    at = app("entities", id="huawei-technologies")
    assert [h.value for h in at.header][0].startswith("Huawei")
    assert at.query_params["id"] == "huawei"
    assert "Ignored URL parameter" not in text(at)
    at = app("timeline", entity="huawei-technologies")
    assert at.multiselect(key="filters_entity").value == ["huawei"]
    assert at.query_params["entity"] == "huawei"
    assert "Ignored URL parameter" not in text(at)
