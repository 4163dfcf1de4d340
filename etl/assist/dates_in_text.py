"""Dates in prose, at the precision the text gives and with its hedge: "December 2, 2024" (day),
"late November 2025" (month, late), "Q3 2025" (quarter), "by 2027" (year, by), "2024年5月" (month).

Relative dates ("last year", "this month") are resolved against the source's own date, and
only when that date is precise enough to make them unambiguous: "last year" needs the source's
year, "last month" its month, "yesterday" its day. Such a date is `inferred`, with a note
saying how. Month names, quarters, hedges and relative phrases are data (`lexicon.yml`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from etl.assist.lexicon import alternation, lexicon
from etl.dates import parse_date

YEAR = r"(?:19|20)\d{2}"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: str  # "2024", "2024-Q4", "2024-12" or "2024-12-02" (data/ANNOTATING.md)
    basis: str  # stated | inferred
    qualifier: str | None = None
    note: str | None = None

    @property
    def precision(self) -> str:
        return parse_date(self.date)[1]


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    lex = lexicon()
    mon = rf"(?P<mon>{alternation(lex['months']).pattern})\.?"
    quarter = rf"(?P<qw>{alternation(lex['quarters']).pattern})"
    end = r"(?![\d])"
    forms = [
        ("iso_day", rf"(?<!\d)(?P<y>{YEAR})-(?P<m>\d{{2}})-(?P<d>\d{{2}}){end}"),
        ("zh_day", rf"(?P<y>{YEAR})\s?年\s?(?P<m>\d{{1,2}})\s?月\s?(?P<d>\d{{1,2}})\s?日"),
        ("zh_month", rf"(?P<y>{YEAR})\s?年\s?(?P<m>\d{{1,2}})\s?月"),
        (
            "mdy",
            rf"(?<![A-Za-z]){mon}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s?[-–]\s?\d{{1,2}})?,?\s+(?P<y>{YEAR}){end}",
        ),
        ("dmy", rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{mon},?\s+(?P<y>{YEAR}){end}"),
        ("my", rf"(?<![A-Za-z]){mon},?\s+(?:of\s+)?(?P<y>{YEAR}){end}"),
        ("q", rf"(?<![A-Za-z])Q(?P<q>[1-4])\s*(?:of\s+)?(?P<y>{YEAR}){end}"),
        ("yq", rf"(?<!\d)(?P<y>{YEAR})\s*-?Q(?P<q>[1-4])(?![\d])"),
        ("qw", rf"(?<![A-Za-z]){quarter}\s+quarter\s+(?:of\s+)?(?P<y>{YEAR}){end}"),
        ("md", rf"(?<![A-Za-z]){mon}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d,]*\s*{YEAR})(?![\d:])"),
        ("y", rf"(?<![\d$.,/])(?<!\d-)(?P<y>{YEAR})(?:\s?年)?(?![\d%]|\s?(?:nm|bn|billion|million))"),
        ("rel", rf"(?<![A-Za-z])(?P<rel>{alternation(lex['relative_dates']).pattern})(?![A-Za-z])"),
    ]
    return [(name, re.compile(p, re.IGNORECASE)) for name, p in forms]


def _month(word: str) -> int:
    return int(lexicon().lookup("months", word.rstrip(".")))


def _hedge(text: str, start: int) -> tuple[str | None, int]:
    before = text[max(0, start - 24) : start]
    words = alternation(lexicon()["date_qualifiers"]).pattern
    m = re.search(rf"(?<![A-Za-z])(?:{words})(?:\s+the|\s+of)?[\s-]*$", before, re.IGNORECASE)
    if not m:
        return None, start
    phrase = m.group().strip().rstrip("-").strip()
    bare = re.sub(r"\s+(the|of)$", "", phrase, flags=re.IGNORECASE)
    qualifier = lexicon().lookup("date_qualifiers", phrase) or lexicon().lookup("date_qualifiers", bare)
    return qualifier, start - len(before) + m.start()


def _relative(phrase: str, source_date: str | None) -> tuple[str, str] | None:
    """The date a relative phrase names, against the source's date; None when that is ambiguous."""
    rule = lexicon().lookup("relative_dates", phrase)
    if rule is None or not source_date:
        return None
    start, precision = parse_date(source_date)
    order = ["year", "quarter", "month", "day"]
    if order.index(precision) < order.index(rule["needs"]):
        return None
    note = f"'{phrase}' against the source's date ({source_date})"
    if rule["needs"] == "year":
        return str(start.year + rule.get("years", 0)), note
    if rule["needs"] == "month":
        months = start.year * 12 + start.month - 1 + rule.get("months", 0)
        return f"{months // 12:04d}-{months % 12 + 1:02d}", note
    return (start + dt.timedelta(days=rule.get("days", 0))).isoformat(), note


def _valid(date: str) -> bool:
    try:
        parse_date(date)
    except ValueError:
        return False
    return True


def _mention(name: str, m: re.Match[str], source_date: str | None) -> tuple[str, str, str | None] | None:
    g = m.groupdict()
    if name in ("iso_day", "zh_day"):
        return f"{g['y']}-{int(g['m']):02d}-{int(g['d']):02d}", "stated", None
    if name == "zh_month":
        return f"{g['y']}-{int(g['m']):02d}", "stated", None
    if name in ("mdy", "dmy"):
        return f"{g['y']}-{_month(g['mon']):02d}-{int(g['d']):02d}", "stated", None
    if name == "my":
        return f"{g['y']}-{_month(g['mon']):02d}", "stated", None
    if name in ("q", "yq"):
        return f"{g['y']}-Q{g['q']}", "stated", None
    if name == "qw":
        return f"{g['y']}-Q{lexicon().lookup('quarters', g['qw'])}", "stated", None
    if name == "y":
        return g["y"], "stated", None
    if name == "md":
        # a day without a year: the source's year, only when the source is dated to the month and the
        # day falls before the source's date (a text speaks of a past day of its own year)
        if not source_date or parse_date(source_date)[1] not in ("month", "day"):
            return None
        when, _ = parse_date(source_date)
        month, day = _month(g["mon"]), int(g["d"])
        if (month, day) > (when.month, when.day if parse_date(source_date)[1] == "day" else 31):
            return None
        return (
            f"{when.year}-{month:02d}-{day:02d}",
            "inferred",
            f"'{m.group().strip()}' has no year; the source is dated {source_date}",
        )
    if name == "rel":
        found = _relative(g["rel"].lower(), source_date)
        return (found[0], "inferred", found[1]) if found else None
    return None


def find_dates(text: str, source_date: str | None = None) -> list[DateMention]:
    """Every date in text, in order; where two readings overlap the longer (more precise) one."""
    taken: list[tuple[int, int]] = []
    out = []
    for name, pattern in _patterns():
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if name == "md" and re.match(r"\s*(?:nm|%|percent|billion|million)", text[m.end() :]):
                continue
            found = _mention(name, m, source_date)
            if found is None or not _valid(found[0]):
                continue
            date, basis, note = found
            qualifier, start = _hedge(text, m.start())
            if qualifier in ("early", "mid", "late") and parse_date(date)[1] == "day":
                qualifier, start = None, m.start()
            taken.append((m.start(), m.end()))
            out.append(DateMention(start, m.end(), date, basis, qualifier, note))
    return sorted(out, key=lambda d: d.start)
