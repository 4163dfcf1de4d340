"""Candidate pairs for the claim pass: facts that may state the same real-world thing.

Two facts on different lines are a candidate pair when nothing links them yet (no shared
`claim`) and no reviewer has decided they differ (`distinct_from` on either fact), and

- **a quantity**: both carry a value in comparable units (the same unit; money in any currency,
  compared in USD), the values lie within `VALUE_RATIO` of each other (ranges: their nearest
  ends), their years (where both are dated) at most `QUANTITY_YEARS` apart, and the facts share
  an entity or their titles share a good part of their words; or
- **a dated event**: neither carries a value, both are of the same kind and dated at most
  `EVENT_YEARS` apart, and their titles share a good part of their words.

The test is deliberately loose: a reviewer decides each pair once, either linking the facts as
one claim (`python -m etl link`) or recording that they differ (`python -m etl distinct`), and
the list shrinks to zero. What stays on it is what nobody has looked at.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from etl.load import Annotations

VALUE_RATIO = 1.5  # the larger value at most 1.5 times the smaller
QUANTITY_YEARS = 1
EVENT_YEARS = 3
TITLES_ALIKE = 0.34  # share of the two titles' content words they have in common (Jaccard)
STAND_INS = frozenset({"cn-gov", "us-gov"})  # shared alone they say little: the titles must be alike too

_STOP = frozenset(
    (
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "to",
        "for",
        "and",
        "or",
        "by",
        "with",
        "from",
        "at",
        "as",
        "is",
        "its",
        "it",
        "that",
        "this",
        "be",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "may",
        "might",
        "can",
        "than",
        "more",
        "less",
        "most",
        "about",
        "over",
        "under",
        "into",
        "after",
        "before",
        "new",
        "says",
        "said",
        "china",
        "chinese",
        "us",
        "u.s",
        "american",
        "their",
        "they",
        "them",
        "which",
        "who",
        "what",
        "when",
        "where",
    )
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Side:
    """One fact as the pair test sees it."""

    id: str
    file: str  # the corpus file
    line: int
    kind: str
    title: str
    evidence: str
    value: float | None
    value_high: float | None
    unit: str | None
    usd: tuple[float, float] | None  # money only: its amount (range) in USD
    year: int | None
    date: str | None
    entities: frozenset[str]
    claim: str | None
    distinct_from: frozenset[str]
    words: frozenset[str]  # the title's content words, for "titles alike"

    def shown(self) -> str:
        if self.value is None:
            amount = "no value"
        else:
            amount = f"{self.value:,.12g}" + (f"–{self.value_high:,.12g}" if self.value_high is not None else "")
            amount += f" {self.unit}"
        return f"{amount}, {self.date or 'undated'}"


@dataclass(frozen=True)
class Pair:
    a: Side
    b: Side
    why: str


def _content_words(title: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(title.lower()) if w not in _STOP and len(w) > 2)


def sides(ann: Annotations) -> list[Side]:
    rates = {item.model.currency: item.model.usd_per_unit for item in ann.rates}
    rates["USD"] = 1.0
    files = {item.model.id: item.model.corpus_file for item in ann.sources}
    out = []
    for item in ann.facts:
        f = item.model
        usd = None
        if f.value is not None and f.unit in ann.money_units and f.unit in rates:
            high = f.value_high if f.value_high is not None else f.value
            usd = (f.value * rates[f.unit], high * rates[f.unit])
        out.append(
            Side(
                id=f.id,
                file=files.get(f.source, f.source),
                line=f.line,
                kind=f.kind,
                title=f.title,
                evidence=f.evidence,
                value=f.value,
                value_high=f.value_high,
                unit=f.unit,
                usd=usd,
                year=int(f.date[:4]) if f.date else None,
                date=f.date,
                entities=frozenset(e for _, e in f.entity_refs()),
                claim=f.claim,
                distinct_from=frozenset(f.distinct_from),
                words=_content_words(f.title),
            )
        )
    return out


def _alike(a: Side, b: Side) -> float:
    wa, wb = a.words, b.words
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def _span(s: Side) -> tuple[float, float] | None:
    if s.usd is not None:
        return s.usd
    if s.value is None:
        return None
    return s.value, s.value_high if s.value_high is not None else s.value


def _close(a: Side, b: Side) -> bool:
    """Comparable units and values within VALUE_RATIO (overlapping ranges are close)."""
    if (a.usd is None) != (b.usd is None) or (a.usd is None and a.unit != b.unit):
        return False
    sa, sb = _span(a), _span(b)
    if sa is None or sb is None:
        return False
    if sa[0] <= sb[1] and sb[0] <= sa[1]:
        return True
    low, high = (sa, sb) if sa[1] < sb[0] else (sb, sa)
    if low[1] <= 0 or high[0] <= 0:
        return False
    return high[0] / low[1] <= VALUE_RATIO


def _years_apart(a: Side, b: Side) -> int:
    return abs(a.year - b.year) if a.year is not None and b.year is not None else 0


def why_pair(a: Side, b: Side) -> str | None:
    """Why the two facts may state the same thing; None when they are not a candidate pair."""
    if (a.file, a.line) == (b.file, b.line) or (a.claim and a.claim == b.claim):
        return None
    if a.id in b.distinct_from or b.id in a.distinct_from:
        return None
    shared = a.entities & b.entities
    alike = _alike(a, b)
    if a.value is not None and b.value is not None:
        if not _close(a, b) or _years_apart(a, b) > QUANTITY_YEARS:
            return None
        if shared - STAND_INS:
            return f"close values, shared {', '.join(sorted(shared - STAND_INS))}"
        if alike >= TITLES_ALIKE:
            return f"close values, titles alike ({alike:.0%})"
        return None
    both_dated = a.year is not None and b.year is not None
    same_event = a.value is None and b.value is None and a.kind == b.kind and both_dated
    if same_event and _years_apart(a, b) <= EVENT_YEARS and alike >= TITLES_ALIKE:
        return f"{a.kind}s {_years_apart(a, b)} year(s) apart, titles alike ({alike:.0%})"
    return None


def candidate_pairs(ann: Annotations) -> list[Pair]:
    """Every undecided candidate pair, in fact order."""
    found = []
    for a, b in itertools.combinations(sides(ann), 2):
        why = why_pair(a, b)
        if why:
            found.append(Pair(a, b, why))
    return found


def decided(ann: Annotations) -> tuple[int, int]:
    """(pairs linked as one claim, pairs recorded as distinct)."""
    by_claim: dict[str, int] = {}
    distinct = 0
    for item in ann.facts:
        if item.model.claim:
            by_claim[item.model.claim] = by_claim.get(item.model.claim, 0) + 1
        distinct += len(item.model.distinct_from)
    return sum(math.comb(n, 2) for n in by_claim.values()), distinct
