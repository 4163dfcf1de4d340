"""How far one company is behind another on a chip metric, in years, and on what evidence.

A gap is a claim we compute, so it may rest only on what the text gives:
- only mass-production facts count, and only those whose date the text gives (basis `stated`, or
  `inferred` with its inference shown); a date from an article's dateline, a missing date, or a
  bound ("by 2027", "before 2020", "around 2019") is left out, and the page says which and why;
- a range ("between 7 and 5 nm") counts at its less advanced end, the level the text guarantees;
- dates keep their precision: a fact dated "2023" could be any day of 2023, so the gap is the range
  of years the two periods allow ("3.1–5.0 years"), and a pair whose periods overlap gives no gap;
- every gap names the two facts it rests on, so the page can show them with their citations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.labels import measure

# Metrics where a smaller number is more advanced.
SMALLER_IS_BETTER = {"logic_node", "dram_half_pitch", "lithography_resolution"}
DATE_BASES = ("stated", "inferred")
BOUND_QUALIFIERS = ("by", "before", "after", "around")
COLUMNS = [
    "company",
    "level",
    "level_label",
    "reached",
    "ahead_company",
    "ahead_reached",
    "years_low",
    "years_high",
    "fact_id",
    "ahead_fact_id",
]
DAYS_PER_YEAR = 365.25


def reasons_left_out(rows: pd.DataFrame) -> pd.Series:
    """Why each mass-production fact cannot carry a gap (None where it can), vectorised: a view at a
    million facts holds tens of thousands of them."""
    reason = pd.Series(None, index=rows.index, dtype=object)
    reason = reason.mask(
        rows["date_qualifier"].isin(BOUND_QUALIFIERS),
        "'" + rows["date_label"].fillna("").astype(str) + "' is a bound, not a date",
    )
    reason = reason.mask(
        ~rows["date_basis"].isin(DATE_BASES), "its date is the article's dateline, not a date the text gives"
    )
    return reason.mask(rows["fact_date"].isna(), "the text gives no date")


def why_left_out(row: dict) -> str | None:
    """Why one mass-production fact cannot carry a gap, or None when it can."""
    return reasons_left_out(pd.DataFrame([row])).iloc[0]


def level_of(nodes: pd.DataFrame, smaller_is_better: bool) -> pd.Series:
    """The level each fact guarantees: a range counts at its less advanced end."""
    high = nodes["value_high"] if "value_high" in nodes else pd.Series(np.nan, index=nodes.index)
    if smaller_is_better:
        return high.fillna(nodes["value"]).astype(float)
    return nodes["value"].astype(float)


def usable(nodes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(facts a gap may rest on, facts left out with a `reason` column)."""
    rows = nodes[nodes["status"] == "mass_production"]
    reasons = reasons_left_out(rows)
    return rows[reasons.isna()], rows[reasons.notna()].assign(reason=reasons[reasons.notna()])


def _firsts(rows: pd.DataFrame) -> pd.DataFrame:
    """Per level, the fact that reached it first (earliest period start, then earliest end)."""
    return (
        rows.sort_values(["level", "fact_date", "date_end", "fact_id"])
        .drop_duplicates("level")
        .set_index("level")
        .sort_index()
    )


def _running_earliest(starts: np.ndarray) -> np.ndarray:
    """Position of the earliest start among starts[0..k], for each k (the first one on ties)."""
    best = np.zeros(len(starts), dtype=int)
    current = 0
    for k in range(len(starts)):
        if starts[k] < starts[current]:
            current = k
        best[k] = current
    return best


def _reach(leader: pd.DataFrame, levels: np.ndarray, smaller_is_better: bool) -> np.ndarray:
    """For each level, the position in `leader` (its firsts, sorted by level) of the earliest fact at
    that level or better; -1 where the leader never reached it."""
    values = leader.index.to_numpy(dtype=float)
    starts = leader["fact_date"].to_numpy(dtype="datetime64[ns]")
    if smaller_is_better:  # reached v: some level <= v; earliest among the levels up to v
        best = _running_earliest(starts)
        at = np.searchsorted(values, levels, side="right") - 1
        found = at >= 0
    else:  # reached v: some level >= v; earliest among the levels from v up
        n = len(starts)
        best = (n - 1 - _running_earliest(starts[::-1]))[::-1]
        at = np.searchsorted(values, levels, side="left")
        found = at < n
    out = np.full(len(levels), -1)
    out[found] = best[at[found]]
    return out


_GAP_FIELDS = ("fact_date", "date_end", "unit", "date_label", "fact_id")


def gaps(nodes: pd.DataFrame, metric: str, companies: list[str]) -> pd.DataFrame:
    """One row per (company, level it reached) where another company demonstrably reached the same
    level or better earlier: the two facts and the range of years between their periods."""
    smaller = metric in SMALLER_IS_BETTER
    rows, _ = usable(
        nodes[(nodes["metric"] == metric) & nodes["value"].notna() & nodes["company_name"].isin(companies)]
    )
    rows = rows.assign(
        level=level_of(rows, smaller),
        fact_date=pd.to_datetime(rows["fact_date"]),
        date_end=pd.to_datetime(rows["date_end"]),
    )
    firsts = {c: _firsts(g) for c, g in rows.groupby("company_name")}
    # each company's firsts as plain lists, read by position: a row as a Series (.loc, .iloc) cost a
    # quarter of a second per comparison at a million facts
    fields = {c: {f: g[f].tolist() for f in _GAP_FIELDS} for c, g in firsts.items()}
    out = []
    for i, follower in enumerate(companies):
        if follower not in firsts:
            continue
        levels = firsts[follower].index.to_numpy(dtype=float)
        for j, leader in enumerate(companies):
            if leader == follower or leader not in firsts:
                continue
            at = _reach(firsts[leader], levels, smaller)
            for k, (level, pos) in enumerate(zip(levels, at)):
                if pos < 0:
                    continue
                me = {f: fields[follower][f][k] for f in _GAP_FIELDS}
                them = {f: fields[leader][f][pos] for f in _GAP_FIELDS}
                if me["fact_date"] <= them["date_end"]:  # the periods overlap: no gap the text supports
                    continue
                low = (me["fact_date"] - them["date_end"]).days / DAYS_PER_YEAR
                high = (me["date_end"] - them["fact_date"]).days / DAYS_PER_YEAR
                out.append(
                    {
                        "company": follower,
                        "level": level,
                        "level_label": measure(level, me["unit"]),
                        "reached": me["date_label"],
                        "ahead_company": leader,
                        "ahead_reached": them["date_label"],
                        "years_low": round(low, 1),
                        "years_high": round(high, 1),
                        "fact_id": me["fact_id"],
                        "ahead_fact_id": them["fact_id"],
                        "_order": (i, level, j),
                    }
                )
    out.sort(key=lambda r: r["_order"])
    for r in out:
        del r["_order"]
    return pd.DataFrame(out, columns=COLUMNS)


def with_left_out(gap: pd.DataFrame, left_out: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The gaps with, for each side, how many left-out facts claim its level or better
    (`behind_left_out`: the gap may be smaller; `ahead_left_out`: it may be larger). Each company's
    left-out levels are sorted once and each gap is a binary search (at a million facts a pandas filter
    per gap cost half a second for 138 gaps; tests keep that filter as the oracle)."""
    smaller = metric in SMALLER_IS_BETTER
    levels = level_of(left_out, smaller).to_numpy(dtype=float)
    keep = ~np.isnan(levels)
    sorted_levels = {
        company: np.sort(found)
        for company, found in pd.Series(levels[keep]).groupby(left_out["company_name"].to_numpy()[keep])
    }

    def counts(companies: pd.Series) -> list[int]:
        out = []
        for company, level in zip(companies, gap["level"]):
            mine = sorted_levels.get(company)
            if mine is None:
                out.append(0)
            elif smaller:  # levels <= level
                out.append(int(np.searchsorted(mine, level, side="right")))
            else:  # levels >= level
                out.append(int(len(mine) - np.searchsorted(mine, level, side="left")))
        return out

    return gap.assign(behind_left_out=counts(gap["company"]), ahead_left_out=counts(gap["ahead_company"]))


def years_text(low: float, high: float) -> str:
    """ "4.2 years", or "3.1–5.0 years" when the dates' precision allows a range."""
    if abs(high - low) < 0.1:
        return f"{low:.1f} years"
    return f"{low:.1f}–{high:.1f} years"
