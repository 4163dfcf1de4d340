"""Every page through Streamlit's AppTest, over the fixture package."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import app_test, open_app

PAGES = {
    "overview": ("views/overview.py", 8),  # dated facts only
    "timeline": ("views/timeline.py", 4),  # rules, events, actions, thresholds by default
    "chip_nodes": ("views/chip_nodes.py", 3),
    "funding": ("views/funding.py", 2),
    "entities": ("views/entities.py", 3),  # the card of the most-cited entity (BIS): its facts
    "sources": ("views/sources.py", 2),
}


@pytest.fixture
def app(package_dir, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA_DIR", str(package_dir))

    def open_page(page: str, **params) -> AppTest:
        return open_app(page, params)

    return open_page


def table(at: AppTest):
    assert at.dataframe, "no table on the page"
    return at.dataframe[0].value


def download_label(at: AppTest) -> str:
    return at.get("download_button")[0].proto.label


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_its_rows(app, page):
    at = app(page)
    assert len(table(at)) == PAGES[page][1]
    assert download_label(at) == f"Download all {PAGES[page][1]} rows as CSV"


@pytest.mark.parametrize(
    "page, entity, expected",
    [
        ("overview", "smic", 2),
        ("timeline", "us-bis", 3),
        ("chip_nodes", "smic", 2),
        ("funding", "smic", 0),
        ("sources", "smic", 2),
    ],
)
def test_company_filter_narrows_rows_and_writes_url(app, page, entity, expected):
    at = app(page)
    at.multiselect(key="filters_entity").select(entity).run()
    assert not at.exception
    if expected:
        assert len(table(at)) == expected
    else:
        assert not at.dataframe
        assert "No funding facts match these filters" in at.info[0].value
    assert at.query_params["entity"] == entity


def test_url_parameters_set_the_filters(app):
    at = app("timeline", entity="smic,tsmc", **{"from": "2022-06-01"}, kind="chip_node")
    assert at.multiselect(key="filters_entity").value == ["smic", "tsmc"]
    assert at.multiselect(key="timeline_kinds").value == ["chip_node"]
    # a fact dated "2022" overlaps a range from June 2022, so it is in it (its period may lie there)
    assert table(at)["fact_id"].tolist() == ["fx-later-report-02", "fx-december-rules-04", "fx-december-rules-03"]


def test_hostile_url_parameters_are_ignored_with_a_notice(app):
    params = dict(entity="us-bis,<script>alert(1)</script>", to="2024-99-01", kind="'; drop view facts; --")
    notices = " ".join(w.value for w in app("overview", **params).warning)
    assert "Ignored URL parameter entity=`'<script>alert(1)</script>'`" in notices
    assert "Ignored URL parameter to=`'2024-99-01'`" in notices
    assert "drop view" in notices
    at = app("timeline", **params)
    assert table(at)["fact_id"].tolist() == ["fx-december-rules-01", "fx-december-rules-06", "fx-december-rules-02"]


def test_filters_carry_over_between_pages(app):
    at = app("timeline")
    at.multiselect(key="filters_entity").select("tsmc").run()
    at.switch_page("views/chip_nodes.py").run()
    assert at.multiselect(key="filters_entity").value == ["tsmc"]
    assert table(at)["fact_id"].tolist() == ["fx-december-rules-04"]
    assert at.query_params["entity"] == "tsmc"


def test_timeline_page_filters(app):
    at = app("timeline")
    at.multiselect(key="timeline_kinds").select("funding").run()
    assert sorted(table(at)["fact_id"]) == ["fx-december-rules-05", "fx-later-report-01"]
    assert at.query_params["kind"] == "funding"
    at.multiselect(key="timeline_statuses").select("enacted").run()
    assert not at.dataframe and "No facts match" in " ".join(i.value for i in at.info)


def test_empty_date_range_suggests_widening(app):
    at = app("funding", **{"from": "2030-01-01"})
    assert "widen the date range" in at.info[0].value


def test_entities_search_by_chinese_name(app):
    at = app("entities")
    at.text_input(key="entities_search").input("中芯").run()
    assert at.header[0].value == "Semiconductor Manufacturing International Corporation"
    assert table(at)["fact_id"].tolist() == ["fx-later-report-02", "fx-december-rules-03"]
    assert at.query_params["id"] == "smic"


def test_missing_package_shows_how_to_build(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "nothing"))
    at = app_test().run()
    assert not at.exception
    assert "python -m etl build" in at.error[0].value


def test_timeline_country_filter_from_url_and_widget(app):
    assert "Ignored URL parameter country=`'XX'`" in app("overview", country="TW,XX").warning[0].value
    at = app("timeline", country="TW,XX")
    assert at.multiselect(key="timeline_countries").value == ["TW"]  # XX is not a country the data names
    at = app("timeline", country="US")
    assert at.multiselect(key="timeline_countries").value == ["US"]
    assert sorted(table(at)["fact_id"]) == ["fx-december-rules-01", "fx-december-rules-02", "fx-december-rules-06"]
    assert at.query_params["country"] == "US"


def test_package_from_an_older_version_asks_for_a_rebuild(package_dir, tmp_path, monkeypatch):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(package_dir.resolve(), old)
    (old / "tracker.duckdb").unlink()
    monkeypatch.setenv("TRACKER_DATA_DIR", str(old))
    at = app_test().run()
    assert not at.exception
    assert "built by another version of the code" in at.error[0].value and "python -m etl build" in at.error[0].value


def test_package_of_another_code_layout_asks_for_a_rebuild(package_dir, tmp_path, monkeypatch):
    import json
    import shutil

    other = tmp_path / "other"
    shutil.copytree(package_dir.resolve(), other)
    manifest = json.loads((other / "manifest.json").read_text())
    (other / "manifest.json").write_text(json.dumps(manifest | {"layout": "from-older-code"}))
    monkeypatch.setenv("TRACKER_DATA_DIR", str(other))
    at = app_test().run()
    assert not at.exception
    assert "built by another version of the code" in at.error[0].value
