"""Dates and values as the source states them: at their precision, with their hedges.

The build writes these labels into the package (`date_label`, `value_label`, ...), so a table,
a chart tooltip and a CSV all say "late 2025" or "over $47.0 B" in the same words, and none
of them prints a year as 1 January or a floor as an exact figure. Pure functions, no imports
from either side, so the ETL, the read side and the tests share one definition.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE_WORDS = {
    "early": "early",
    "mid": "mid",
    "late": "late",
    "by": "by",
    "before": "before",
    "after": "after",
    "around": "around",
}
VALUE_WORDS = {"about": "about", "over": "over", "under": "under", "at_least": "at least", "up_to": "up to"}
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}
HBM_NAMES = {1.0: "HBM", 2.0: "HBM2", 2.5: "HBM2E", 3.0: "HBM3", 3.5: "HBM3E", 4.0: "HBM4", 4.5: "HBM4E", 5.0: "HBM5"}
UNIT_WORDS = {
    "percent": "%",
    "hbm_gen": "",
    "count": "",
    "layers": " layers",
    "years": " years",
    "months": " months",
    "days": " days",
    "parameters": " parameters",
    "tokens": " tokens",
    "ratio": "×",
    "rank": "",
}


def period_end(start: dt.date, precision: str) -> dt.date:
    """The last day of the period a date stands for."""
    if precision == "day":
        return start
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "quarter":
        last = start.month + 2
        return start.replace(month=last, day=calendar.monthrange(start.year, last)[1])
    return start.replace(month=12, day=31)


def date_label(start: dt.date | None, precision: str | None, qualifier: str | None = None) -> str | None:
    """ "2024-12-02", "Nov 2025", "Q3 2025", "2025", with a hedge: "late 2025", "by 2027"."""
    if start is None:
        return None
    if precision == "day":
        text = start.isoformat()
    elif precision == "month":
        text = f"{MONTHS[start.month - 1]} {start.year}"
    elif precision == "quarter":
        text = f"Q{(start.month - 1) // 3 + 1} {start.year}"
    else:
        text = str(start.year)
    return f"{DATE_WORDS[qualifier]} {text}" if qualifier else text


def _number(v: float) -> str:
    """Up to three significant digits, never in exponent form: 47.0, 344, 8.41, 0.35."""
    if v == 0:
        return "0"
    digits = max(0, 2 - int(math.floor(math.log10(abs(v)))))
    return f"{v:,.{digits}f}"


def _plain(v: float) -> str:
    """A measure as written: 7, 2.5, 10,667, 0.35 (no rounding of what the text gave)."""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.6f}".rstrip("0").rstrip(".")


def money(v: float, currency: str) -> str:
    """$47.0 B, CNY 344 B, €1.20 M, $950,000."""
    sign = CURRENCY_SIGNS.get(currency)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(v) >= size:
            amount = f"{_number(v / size)} {suffix}"
            break
    else:
        amount = f"{v:,.0f}" if abs(v) >= 1 else _plain(v)  # a price per token: $0.00011
    return f"{sign}{amount}" if sign else f"{currency} {amount}"


def measure(v: float, unit: str | None) -> str:
    if unit == "hbm_gen":
        return HBM_NAMES.get(float(v), f"HBM gen {_plain(v)}")
    if unit is None:
        return _plain(v)
    suffix = UNIT_WORDS.get(unit, f" {unit}")
    return f"{_plain(v)}{suffix}"


def value_label(
    value: float | None,
    value_high: float | None,
    unit: str | None,
    qualifier: str | None,
    money_units: frozenset[str] | set[str] = frozenset(),
) -> str | None:
    """ "over $47.0 B", "about 30%", "5–7 nm", "HBM3E", "232 layers"."""
    if value is None:
        return None
    one = (lambda v: money(v, unit or "")) if unit in money_units else (lambda v: measure(v, unit))
    if value_high is not None and value_high != value:
        if unit in money_units or unit == "hbm_gen":
            text = f"{one(value)} – {one(value_high)}"
        else:
            text = f"{_plain(value)}–{measure(value_high, unit)}"
    else:
        text = one(value)
    return f"{VALUE_WORDS[qualifier]} {text}" if qualifier else text
