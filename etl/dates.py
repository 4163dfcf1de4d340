"""Partial dates as annotators write them: "2024", "2024-Q4", "2024-12", "2024-12-02"."""

from __future__ import annotations

import datetime as dt
import re

_FORMS = [  # ASCII digits only: \d would also take "２０２４" or "٢٠٢٤"
    (re.compile(r"^([0-9]{4})$"), "year"),
    (re.compile(r"^([0-9]{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^([0-9]{4})-([0-9]{2})$"), "month"),
    (re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$"), "day"),
]


def parse_date(text: str) -> tuple[dt.date, str]:
    """Return (start of the period, precision). Raises ValueError in plain words."""
    text = str(text).strip()
    for pattern, precision in _FORMS:
        m = pattern.match(text)
        if not m:
            continue
        year = int(m.group(1))
        if not 1800 <= year <= 2100:
            raise ValueError(f"year {year} in {text!r} is outside 1800-2100")
        try:
            if precision == "year":
                return dt.date(year, 1, 1), precision
            if precision == "quarter":
                return dt.date(year, 3 * int(m.group(2)) - 2, 1), precision
            if precision == "month":
                return dt.date(year, int(m.group(2)), 1), precision
            return dt.date(year, int(m.group(2)), int(m.group(3))), precision
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a real date ({exc})") from None
    raise ValueError(f"{text!r} is not a date; write YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD in quotes")
