"""Numbers with their units in prose: money with currency and magnitude words, nm, layers,
percentages, counts, HBM generations, and the hedge in front of them ("over $47 billion").

Every word these parsers know comes from `lexicon.yml`; this module only says how the pieces
combine: [hedge] [currency] number [magnitude] [- number [magnitude]] [currency | unit].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from etl.assist.lexicon import alternation, folded, lexicon

NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SEP = r"\s?(?:-|–|—|~|to)\s?"


@dataclass(frozen=True)
class Quantity:
    start: int  # span in the text, currency and unit included, the hedge not
    end: int
    value: float | int
    value_high: float | int | None
    unit: str
    qualifier: str | None = None
    hedge_start: int | None = None  # where the hedge word starts, when there is one

    @property
    def anchor(self) -> tuple[int, int]:
        """The span an evidence window must hold: the number with its hedge."""
        return (self.hedge_start if self.hedge_start is not None else self.start, self.end)


def _latin(words) -> list[str]:
    return [str(w) for w in words if str(w).isascii()]


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    mags = [str(m) for m in lex["magnitudes"]]
    mag_words = [m for m in mags if len(m) > 2 or not m.isascii()]
    mag_letters = [m for m in mags if len(m) <= 2 and m.isascii()]
    pre = alternation(lex["currency_prefixes"]).pattern
    after = alternation([*lex["currency_suffixes"], *lex["units"]]).pattern
    money = (
        rf"(?P<pre>{pre})?\s?(?P<a>{NUM})"
        rf"(?:\s?(?P<maga>{alternation(mag_words).pattern})(?![A-Za-z])|(?P<magla>{alternation(mag_letters).pattern})(?![A-Za-z]))?"
        rf"(?:{_SEP}(?:{pre})?\s?(?P<b>{NUM}))?"
        rf"(?:\s?(?P<mag>{alternation(mag_words).pattern})(?![A-Za-z])|(?P<magl>{alternation(mag_letters).pattern})(?![A-Za-z]))?"
        rf"(?:[\s-]?(?P<after>{after})(?![A-Za-z]))?"
    )
    hedges = alternation(lex["value_qualifiers"]).pattern
    return {
        "quantity": re.compile(rf"(?<![A-Za-z0-9.,$]){money}", re.IGNORECASE),
        "count": re.compile(
            rf"(?<![A-Za-z0-9.,$])(?P<a>{NUM})(?:\s+(?:[a-z][\w-]*\s+)?(?:[A-Z0-9][\w.+-]*\s+){{0,3}}|-)"
            rf"(?P<noun>{alternation(_nouns(lex['count_nouns'])).pattern})(?![A-Za-z])"
        ),
        "hbm": re.compile(
            rf"(?<![A-Za-z0-9])(?P<gen>{alternation(lex['hbm_generations']).pattern})(?![A-Za-z0-9])",
            re.IGNORECASE,
        ),
        "between": re.compile(rf"between\s+(?:{pre})?\s?(?P<a>{NUM})\s*(?:and|to|-|–)\s*$", re.IGNORECASE),
        "hedge": re.compile(rf"(?:(?<![A-Za-z])(?:{hedges}))[\s-]?$", re.IGNORECASE),
        "joined": re.compile(r"^\s*(?:and|or|to|-|–)\s*$"),
    }


def _nouns(plurals) -> list[str]:
    """Count nouns and their singulars ("10,000-GPU cluster")."""
    words = [str(w) for w in plurals]
    return words + [w[:-1] for w in words if w.endswith("s")]


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _whole(value: float) -> float | int:
    value = round(value, 6)
    return int(value) if value == int(value) and abs(value) < 1e18 else value


def _hedge(text: str, start: int) -> tuple[str | None, int | None]:
    before = text[max(0, start - 24) : start]
    m = _patterns()["hedge"].search(before)
    if not m:
        return None, None
    return lexicon().lookup("value_qualifiers", m.group().strip().rstrip("-").strip()), start - len(before) + m.start()


def _unit_of(m: re.Match[str]) -> str | None:
    lex = lexicon()
    if m.group("pre"):
        return lex.lookup("currency_prefixes", m.group("pre"))
    after = m.group("after")
    if not after:
        return None
    return lex.lookup("currency_suffixes", after) or lex.lookup("units", after)


def _magnitude(*words: str | None) -> float:
    for w in words:
        if w:
            return float(folded(lexicon()["magnitudes"])[w.casefold()])
    return 1.0


def _measured(text: str) -> list[Quantity]:
    found = []
    money_units = set(lexicon()["currency_prefixes"].values()) | set(lexicon()["currency_suffixes"].values())
    for m in _patterns()["quantity"].finditer(text):
        unit = _unit_of(m)
        if unit is None:
            continue
        is_money = unit in money_units
        if not is_money and (m.group("magla") or m.group("magl")):
            continue  # "5m" without a currency is metres or a typo, not money
        if not is_money and m.group("pre"):
            continue
        low_mag = _magnitude(m.group("maga"), m.group("magla"), m.group("mag"), m.group("magl"))
        high_mag = _magnitude(m.group("mag"), m.group("magl"), m.group("maga"), m.group("magla"))
        value = _whole(_number(m.group("a")) * low_mag)
        high = _whole(_number(m.group("b")) * high_mag) if m.group("b") else None
        if high is not None and high < value:
            value, high = high, value
        if high == value:
            high = None
        found.append(Quantity(m.start(), m.end(), value, high, unit))
    return found


def _counts(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    out = []
    for m in _patterns()["count"].finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        value = _number(m.group("a"))
        if 1900 <= value <= 2100 and "." not in m.group("a"):
            continue  # a year before a noun ("2024 chips act") is not a count
        out.append(Quantity(m.start(), m.end(), _whole(value), None, "count"))
    return out


def _generations(text: str) -> list[Quantity]:
    gens = lexicon()["hbm_generations"]
    return [
        Quantity(m.start(), m.end(), _whole(float(gens[m.group("gen").upper()])), None, "hbm_gen")
        for m in _patterns()["hbm"].finditer(text)
        if m.group("gen").upper() in gens
    ]


def _join_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """'between 7nm and 5nm', '3nm or 2nm', '5nm to 3nm': one range, not two values."""
    p = _patterns()
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.unit == q.unit
            and prev.value_high is None
            and q.value_high is None
            and p["joined"].match(text[prev.end : q.start])
        ):
            low, high = sorted((prev.value, q.value))
            out[-1] = Quantity(prev.start, q.end, low, high if high != low else None, q.unit)
            continue
        out.append(q)
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in text, in order, each with its hedge."""
    measured = _measured(text)
    taken = [(q.start, q.end) for q in measured]
    found = sorted([*measured, *_counts(text, taken), *_generations(text)], key=lambda q: q.start)
    out = []
    for q in _join_ranges(text, found):
        window = max(0, q.start - 40)
        low = _patterns()["between"].search(text[window : q.start])
        if low and q.value_high is None:
            # "between 4 and 17 billion USD": the first number takes the second's magnitude
            core = re.search(NUM, text[q.start : q.end])
            scale = q.value / _number(core.group()) if core and _number(core.group()) else 1.0
            a = _whole(_number(low.group("a")) * scale)
            if a < q.value:
                out.append(Quantity(window + low.start("a"), q.end, a, q.value, q.unit))
                continue
        qualifier, at = _hedge(text, q.start) if q.value_high is None else (None, None)
        out.append(Quantity(q.start, q.end, q.value, q.value_high, q.unit, qualifier, at))
    return out
