"""Issue #5, hostile input: URL parameters and search text on every page (Streamlit AppTest).

A shared link is opened straight on its page (`switch_page` before the first run, as a
browser does with /timeline?...). Whatever the URL holds:

- the page runs without an exception;
- each bad value is dropped with a warning notice that names its parameter, and the valid
  values beside it still filter the tables;
- text from the URL never reaches the page as Markdown or HTML: in a notice it sits inside a
  code span, and no element that allows HTML carries it.

Row counts come from the read API, `tracker.read` (the tables' own display is being reworked), with
only loose checks on what a page shows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import app_test
from tracker import db
from tracker.filters import DATE_MAX, DATE_MIN, KINDS, PARAM_NAMES, STATUSES, TOPICS, Filters, parse_query_params
from tracker.read import Reader

PAGES = ["overview", "timeline", "chip_nodes", "funding", "entities", "sources"]
# an entity whose facts every page shows (funding needs a funder, chip nodes a company)
VALID_ENTITY = {
    "overview": "us-bis",
    "timeline": "us-bis",
    "chip_nodes": "smic",
    "funding": "big-fund",
    "entities": "us-bis",
    "sources": "us-bis",
}
# each page's own single choice, read from the URL by tracker.ui.page_choice
PAGE_CHOICE = {"timeline": "lane", "chip_nodes": "metric", "funding": "group", "entities": "id", "sources": "source"}

SQL = ["'; drop table facts; --", "1 OR 1=1", "') union select * from sources --", "x' or '1'='1"]
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[Login](https://evil.example)",
    "**bold**",
    "![i](https://evil.example/p.png)",
    "<https://evil.example>",
    ":red[alarm]",
    "$x^2$",
]
# what must never appear outside a code span in Markdown the page renders
MARKUP_TELLS = ["<script", "<img", "onerror", "](https://evil", "**bold**", "<https://evil", ":red[", "$x^2$"]


@pytest.fixture(scope="module")
def read(package_dir):
    return Reader(db.connect(package_dir))


@pytest.fixture
def open_link(package_dir, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA_DIR", str(package_dir))

    def open_(page: str, params: dict) -> AppTest:
        at = app_test()
        for key, value in params.items():
            at.query_params[key] = value
        if page != "overview":
            at.switch_page(f"views/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_


def notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def _without_code_spans(text: str) -> str:
    return re.sub(r"(`+)(.+?)\1", "", text, flags=re.S)


def assert_no_markup_reaches_the_page(at: AppTest) -> None:
    """Markdown elements and alerts hold hostile text only inside code spans; none allowing HTML holds it."""
    for kind in ("markdown", "caption", "warning", "info", "error", "success", "title", "header", "subheader"):
        for element in at.get(kind):
            value = getattr(element, "value", "") or ""
            outside = _without_code_spans(value)
            for tell in MARKUP_TELLS:
                assert tell not in outside, f"{kind} renders {tell!r} as Markdown: {value[:300]!r}"
            if getattr(getattr(element, "proto", None), "allow_html", False):
                assert not re.search(r"<script|onerror\s*=|javascript:", value, re.I), value[:300]
    for element in at.get("html"):
        assert not re.search(r"<script|onerror\s*=|javascript:", element.proto.body, re.I)


def table_rows(at: AppTest) -> int:
    return len(at.dataframe[0].value) if at.dataframe else 0


# --- one URL full of hostile values, on every page -----------------------------------------


def hostile_link(page: str) -> dict:
    valid = VALID_ENTITY[page]
    return {
        # repeated key: the first value is used, and it mixes a valid id with junk
        "entity": [
            f"{valid},'; drop table facts; --,<img src=x onerror=alert(1)>,[Login](https://evil.example),nosuch",
            "tsmc",
        ],
        "from": ["2020-01-01' OR 1=1 --", "2021-01-01"],
        "to": "2024-02-30",
        "kind": "rule,') union select * from sources --,**bold**",
        "topic": "chips\x00",
        "status": "enacted\x1b[31m",
        "country": "US,\r\nXX",
        "q": "x" * 10_000,
        "utm_source": "<script>alert(1)</script>",  # not ours: left alone, no notice
        "<script>alert(1)</script>": ["1", "2"],  # not ours either, but given twice
    }


@pytest.mark.parametrize("page", PAGES)
def test_hostile_link_opens_with_notices_and_the_valid_filters(open_link, page):
    at = open_link(page, hostile_link(page))
    text = "\n".join(notices(at))
    for name in ("entity", "from", "to", "kind", "topic", "status", "country", "q"):
        assert f"Ignored URL parameter {name}=" in text, f"no notice for {name}:\n{text}"
    assert "utm_source" not in text
    assert "too long or holds control characters" in text
    assert at.multiselect(key="filters_entity").value == [VALID_ENTITY[page]]
    assert at.date_input(key="filters_from").value is None and at.date_input(key="filters_to").value is None
    assert at.text_input(key="filters_q").value == ""
    assert table_rows(at) > 0, "the valid entity filter should still show rows"
    assert_no_markup_reaches_the_page(at)
    # what the page writes back to the URL holds only the surviving values
    assert at.query_params["entity"] == VALID_ENTITY[page]
    assert "q" not in at.query_params and "to" not in at.query_params


# every value on two pages, three on the others (AppTest runs take a second each)
ENTITY_CASES = [
    (page, value)
    for page in PAGES
    for value in (SQL + MARKUP if page in ("overview", "sources") else [SQL[0], MARKUP[0], MARKUP[2]])
]


@pytest.mark.parametrize("page, value", ENTITY_CASES)
def test_hostile_entity_value_is_named_and_shown_as_text(open_link, page, value):
    at = open_link(page, {"entity": f"{VALID_ENTITY[page]},{value}"})
    shown = value if len(value) <= 40 else value[:40] + "…"
    assert any(n.startswith("Ignored URL parameter entity=") and shown in n for n in notices(at)), notices(at)
    assert at.multiselect(key="filters_entity").value == [VALID_ENTITY[page]]
    assert table_rows(at) > 0
    assert_no_markup_reaches_the_page(at)


@pytest.mark.parametrize("page", PAGES)
def test_dates_outside_the_pickers_range_are_dropped_not_fatal(open_link, page):
    """`from=0001-01-01` used to reach st.date_input (min 1940) and crash every page."""
    at = open_link(page, {"from": "0001-01-01", "to": "9999-12-31"})
    text = "\n".join(notices(at))
    assert "Ignored URL parameter from=`'0001-01-01'`: outside" in text
    assert "Ignored URL parameter to=`'9999-12-31'`: outside" in text
    assert table_rows(at) > 0 or at.info


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"from": "2024-02-30"}, "from=`'2024-02-30'`: not a date"),
        ({"from": "yesterday"}, "from=`'yesterday'`: not a date"),
        ({"to": "2024-13-01"}, "to=`'2024-13-01'`: not a date"),
        ({"from": "2025-01-01", "to": "2024-01-01"}, "'from' is after 'to'"),
        (
            {"from": ["2024-01-01", "2023-01-01"]},
            "from=`'2024-01-01,2023-01-01'`: given more than once; using the first",
        ),
        ({"entity": "nosuch-company"}, "entity=`'nosuch-company'`: not a known value"),
        ({"kind": "rule,evil"}, "kind=`'evil'`: not a known value"),
        ({"q": "a\r\nb"}, "q=`'a\\r\\nb'`: too long or holds control characters"),
        ({"q": "\x9b31m"}, "q=`'\\x9b31m'`: too long or holds control characters"),
        ({"q": "x" * 10_000}, "q=`'" + "x" * 40 + "…'`: too long or holds control characters"),
    ],
)
def test_bad_values_get_a_notice_naming_the_parameter(open_link, params, fragment):
    at = open_link("timeline", params)
    assert any(fragment in n for n in notices(at)), notices(at)
    assert_no_markup_reaches_the_page(at)


def test_repeated_and_unknown_keys(open_link):
    at = open_link(
        "overview",
        {
            "entity": ["tsmc", "smic"],
            "utm_source": "x",
            "embed": "true",
            "zz": ["a", "b"],
            "entities": "smic",
            "Entity": "smic",
            "kind": "rule",
        },
    )
    text = "\n".join(notices(at))
    assert "entity=`'tsmc,smic'`: given more than once; using the first" in text
    assert at.multiselect(key="filters_entity").value == ["tsmc"]
    assert "utm_source" not in text and "embed" not in text  # link trackers and Streamlit's own
    [unused] = [n for n in notices(at) if n.startswith("Ignored URL parameters this page does not use")]
    assert unused == (
        "Ignored URL parameters this page does not use: `'zz'`, `'entities'` (did you mean entity?), "
        "`'Entity'` (did you mean entity?), `'kind'` (not on this page)."
    )


@pytest.mark.parametrize("page", list(PAGE_CHOICE))
def test_page_choice_values_are_dropped_with_a_notice(open_link, page):
    name = PAGE_CHOICE[page]
    at = open_link(page, {name: "'; drop table facts; --\x00"})
    assert any(n.startswith(f"Ignored URL parameter {name}=") for n in notices(at)), notices(at)
    assert at.query_params[name] != "'; drop table facts; --\x00"  # the page fell back to a real choice


@pytest.mark.parametrize("page", list(PAGE_CHOICE))
def test_page_choice_notice_shows_markup_as_text(open_link, page):
    name = PAGE_CHOICE[page]
    at = open_link(page, {name: "[Login](https://evil.example) <img src=x onerror=alert(1)>"})
    assert any(n.startswith(f"Ignored URL parameter {name}=`") for n in notices(at)), notices(at)
    assert_no_markup_reaches_the_page(at)


# --- search text typed into the sidebar ---------------------------------------------------


@pytest.mark.parametrize("page", ["overview", "timeline", "sources"])
def test_search_box_matches_sql_and_markup_literally(open_link, read, page):
    at = open_link(page, {})
    everything = table_rows(at)
    assert everything > 0
    all_facts = len(read.facts(Filters()).frame())
    for text in SQL + MARKUP + ["%", "_", "*", "\\", "x" * 10_000]:
        at.text_input(key="filters_q").input(text).run()
        assert not at.exception, (text, [e.value for e in at.exception])
        found = read.facts(Filters(search=text)).frame()
        assert len(found) == 0, f"{text!r} matched {len(found)} facts: not a literal match"
        if page == "sources":  # every document is listed; none has a fact in view
            assert at.dataframe[0].value["facts_in_view"].sum() == 0
        else:
            assert table_rows(at) == 0
        assert_no_markup_reaches_the_page(at)
    at.text_input(key="filters_q").input("").run()
    assert table_rows(at) == everything  # nothing was dropped or changed by the text above
    assert len(read.facts(Filters()).frame()) == all_facts


def test_search_with_quotes_matches_the_literal_text(read):
    found = read.facts(Filters(search="'curly'")).frame()
    assert found["fact_id"].tolist() == ["fx-later-report-03"]
    assert len(read.facts(Filters(search="' OR '1'='1")).frame()) == 0


# --- parse_query_params as a property: any text in, clean filters and notices out --------

url_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        SQL
        + MARKUP
        + [
            "smic",
            "tsmc,smic",
            "rule",
            "2024-01-01",
            "0001-01-01",
            "9999-12-31",
            "",
            "\x00",
            "\x1b[31m",
            "\r\n",
            "\u2028",
            "\x85",
            "\u202e",
            "x" * 10_000,
        ]
    ),
)
url_params = st.dictionaries(
    st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=10)),
    st.one_of(url_text, st.lists(url_text, max_size=3)),
    max_size=10,
)


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(params=url_params)
def test_any_url_gives_known_values_and_safe_notices(params):
    filters, notes = parse_query_params(params, {"smic", "tsmc"}, {"US", "CN"})
    assert set(filters.entity_ids) <= {"smic", "tsmc"}
    assert set(filters.kinds) <= set(KINDS) and set(filters.topics) <= set(TOPICS)
    assert set(filters.statuses) <= set(STATUSES) and set(filters.countries) <= {"US", "CN"}
    for day in (filters.date_from, filters.date_to):
        assert day is None or DATE_MIN <= day <= DATE_MAX
    if filters.date_from and filters.date_to:
        assert filters.date_from <= filters.date_to
    if filters.search is not None:
        assert 0 < len(filters.search) <= 200
        assert not any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in filters.search)
    for note in notes:
        assert note.startswith("Ignored "), note
        assert "\n" not in note and not any(unicodedata.category(c) == "Cc" for c in note), note
        for tell in MARKUP_TELLS:
            assert tell not in _without_code_spans(note), note
    # what survives goes back into a URL that parses to the same filters, without notices
    assert parse_query_params(filters.to_query_params(), {"smic", "tsmc"}, {"US", "CN"}) == (filters, [])


def test_date_bounds_match_the_sidebar_pickers():
    from tracker import ui

    assert (ui.MIN_DATE, ui.MAX_DATE) == (DATE_MIN, DATE_MAX)
    assert dt.date(1940, 1, 1) == DATE_MIN
