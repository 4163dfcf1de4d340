"""Dates and values as the source states them (etl/labels.py), and the model rules for hedges."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from etl.labels import date_label, money, period_end, value_label
from etl.models import Fact

MONEY = {"USD", "CNY", "EUR"}
D = dt.date


@pytest.mark.parametrize(
    "start, precision, qualifier, label",
    [
        (D(2024, 12, 2), "day", None, "2024-12-02"),
        (D(2025, 11, 1), "month", None, "Nov 2025"),
        (D(2025, 7, 1), "quarter", None, "Q3 2025"),
        (D(2025, 1, 1), "year", None, "2025"),
        (D(2025, 1, 1), "year", "late", "late 2025"),
        (D(2027, 1, 1), "year", "by", "by 2027"),
        (D(2019, 1, 1), "year", "around", "around 2019"),
        (D(2025, 1, 1), "year", "early", "early 2025"),
        (D(2024, 12, 2), "day", "before", "before 2024-12-02"),
        (None, None, None, None),
    ],
)
def test_a_date_reads_at_its_precision_with_its_hedge(start, precision, qualifier, label):
    assert date_label(start, precision, qualifier) == label


@pytest.mark.parametrize(
    "start, precision, end",
    [
        (D(2024, 12, 2), "day", D(2024, 12, 2)),
        (D(2024, 2, 1), "month", D(2024, 2, 29)),
        (D(2025, 10, 1), "quarter", D(2025, 12, 31)),
        (D(2025, 1, 1), "year", D(2025, 12, 31)),
    ],
)
def test_a_date_stands_for_its_whole_period(start, precision, end):
    assert period_end(start, precision) == end


@pytest.mark.parametrize(
    "value, high, unit, qualifier, label",
    [
        (47e9, None, "USD", "over", "over $47.0 B"),
        (344e9, None, "CNY", None, "CNY 344 B"),
        (8_408_400_000.000001, None, "USD", None, "$8.41 B"),
        (30, None, "percent", "about", "about 30%"),
        (5, 7, "nm", None, "5–7 nm"),
        (2.5, None, "hbm_gen", None, "HBM2E"),
        (3.5, None, "hbm_gen", None, "HBM3E"),
        (232, None, "layers", "at_least", "at least 232 layers"),
        (10e9, None, "CNY", "up_to", "up to CNY 10.0 B"),
        (1.5e9, 2e9, "USD", None, "$1.50 B – $2.00 B"),
        (950_000, None, "USD", None, "$950,000"),
        (0.00011, None, "USD", "about", "about $0.00011"),
        (10_667, None, "Mbps", "up_to", "up to 10,667 Mbps"),
        (None, None, None, None, None),
    ],
)
def test_a_value_keeps_its_unit_and_bound(value, high, unit, qualifier, label):
    assert value_label(value, high, unit, qualifier, MONEY) == label


def test_money_never_prints_an_exponent():
    assert money(5e10, "USD") == "$50.0 B"
    assert money(1.2e13, "EUR") == "€12.0 T"
    assert "e" not in money(123, "USD")


BASE = dict(id="x-01", kind="statistic", topic="chips", title="A statistic", source="s", line=1, evidence="ab")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"date": "2025-11-23", "date_basis": "stated", "date_qualifier": "late"}, "needs a year, quarter or month"),
        ({"date_qualifier": "by"}, "date_qualifier needs date"),
        ({"value": 5, "value_high": 7, "unit": "nm", "value_qualifier": "about"}, "already states its bounds"),
        ({"value_qualifier": "over"}, "value_qualifier needs value"),
        ({"date": "2025", "date_basis": "stated", "date_qualifier": "soonish"}, "date_qualifier"),
    ],
)
def test_hedges_that_do_not_fit_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        Fact(**BASE, **fields)


def test_hedges_that_fit_are_kept():
    fact = Fact(
        **BASE, date="2025", date_basis="stated", date_qualifier="late", value=47e9, unit="USD", value_qualifier="over"
    )
    assert (fact.date_qualifier, fact.value_qualifier) == ("late", "over")
