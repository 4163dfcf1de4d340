"""Bounds on every number an annotation holds, in one place.

They lie far beyond any real value, so that only a mistake falls outside: a wrong exponent, an
amount in the wrong unit, `1.0e+308` (which builds, and then a funder's total adds up to inf).
Infinity and NaN (`.inf`, `.nan`) are refused by the models themselves (`allow_inf_nan=False`).
"""

from __future__ import annotations

# |value| and |value_high| in any unit. The largest real ones are about 3.5e12 (USD, parameters);
# a KRW or JPY amount runs about a thousand times its USD value.
MAX_VALUE = 1e18
# |amount_usd|, the value times its currency's rate. World GDP is about 1.1e14 USD a year.
MAX_USD = 1e15
# usd_per_unit: US dollars for one unit of a currency (KWD is about 3.3, VND about 4e-5).
MIN_RATE, MAX_RATE = 1e-9, 1e4
# source lines (line, line_start, line_end): corpus files run to about 10,000 lines; the package stores int32.
MAX_LINE = 10_000_000


def check_value(value: float | None) -> float | None:
    if value is not None and not -MAX_VALUE <= value <= MAX_VALUE:
        raise ValueError(
            f"{value:g} is beyond any real value (at most {MAX_VALUE:g} in any unit); check the exponent and the unit"
        )
    return value


def check_rate(rate: float) -> float:
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValueError(
            f"{rate:g} is not a usable rate: usd_per_unit is the US dollars one unit of the currency "
            f"buys (0.14 for CNY) and must lie between {MIN_RATE:g} and {MAX_RATE:g}"
        )
    return rate


def usd_problem(value: float, unit: str, rate: float) -> str | None:
    """Why value × rate is not a real USD amount, or None."""
    usd = value * rate
    if -MAX_USD <= usd <= MAX_USD:
        return None
    amount = f"{value:g} USD is" if unit == "USD" else f"{value:g} {unit} is {usd:g} USD at the rate in rates.yml,"
    return f"{amount} beyond any real amount (at most {MAX_USD:g} USD); check the number and its currency"
