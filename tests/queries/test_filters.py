"""URL parameters are untrusted: what does not fit is dropped with a notice."""

from __future__ import annotations

import datetime as dt

from tracker.filters import Filters, parse_query_params

KNOWN = {"smic", "tsmc"}


def test_round_trip():
    f = Filters(entity_ids=("smic", "tsmc"), date_from=dt.date(2024, 1, 1), kinds=("rule",), search="HBM")
    parsed, notices = parse_query_params(f.to_query_params(), KNOWN)
    assert parsed == f and notices == []


def test_hostile_values_are_dropped_with_notices():
    parsed, notices = parse_query_params(
        {
            "entity": "smic,'; drop table facts;--,<script>alert(1)</script>",
            "from": "2024-02-30",
            "kind": "rule,evil",
            "q": "x" * 500,
            "status": "enacted\x00",
        },
        KNOWN,
    )
    assert parsed == Filters(entity_ids=("smic",), kinds=("rule",))
    text = " ".join(notices)
    assert "drop table" in text and "not a known value" in text
    assert "from=`'2024-02-30'`: not a date" in text
    assert "too long or holds control characters" in text
    assert len(notices) == 6


def test_repeated_keys_use_the_first():
    parsed, notices = parse_query_params({"entity": ["tsmc", "smic"]}, KNOWN)
    assert parsed.entity_ids == ("tsmc",)
    assert "given more than once" in notices[0]


def test_reversed_range_is_dropped():
    parsed, notices = parse_query_params({"from": "2025-01-01", "to": "2024-01-01"}, KNOWN)
    assert parsed.date_from is None and parsed.date_to is None
    assert "'from' is after 'to'" in notices[0]


def test_unknown_parameters_are_left_alone():
    parsed, notices = parse_query_params({"utm_source": "x", "embed": "true"}, KNOWN)
    assert parsed == Filters() and notices == []


def test_sql_params_map_empty_to_null():
    assert Filters().sql_params() == dict.fromkeys(
        ("entity_ids", "date_from", "date_to", "kinds", "topics", "countries", "statuses", "search")
    )
    assert Filters(kinds=("rule",)).sql_params()["kinds"] == ["rule"]
