"""How far one company is behind another on a chip metric, in years."""
from __future__ import annotations

import numpy as np
import pandas as pd

# Metrics where a smaller number is more advanced.
SMALLER_IS_BETTER = {"logic_node", "dram_half_pitch", "lithography_resolution"}
COLUMNS = ["company", "level", "reached", "ahead_company", "ahead_reached", "gap_years"]


def _first_reach(firsts: pd.Series, levels: np.ndarray, smaller_is_better: bool) -> np.ndarray:
    """For each level, the first date the company reached it or better (NaT where it never did).

    `firsts` maps each value the company reported to its first date, sorted by value."""
    values = firsts.index.to_numpy(dtype=float)
    dates = firsts.to_numpy(dtype="datetime64[ns]")
    if smaller_is_better:  # reached level v: some value <= v; earliest over the values up to v
        best = np.minimum.accumulate(dates)
        at = np.searchsorted(values, levels, side="right") - 1
        found = at >= 0
    else:  # reached level v: some value >= v; earliest over the values from v up
        best = np.minimum.accumulate(dates[::-1])[::-1]
        at = np.searchsorted(values, levels, side="left")
        found = at < len(values)
    out = np.full(len(levels), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[found] = best[at[found]]
    return out


def gaps(nodes: pd.DataFrame, metric: str, companies: list[str]) -> pd.DataFrame:
    """One row per (company, level it reached) with the first date each other company reached
    the same level or better, and the gap in years. Only dated mass-production points count."""
    smaller = metric in SMALLER_IS_BETTER
    rows = nodes[(nodes["metric"] == metric) & nodes["fact_date"].notna() & nodes["value"].notna()
                 & (nodes["status"] == "mass_production") & nodes["company_name"].isin(companies)]
    firsts = {c: pd.to_datetime(g.groupby("value")["fact_date"].min()).sort_index()
              for c, g in rows.groupby("company_name")}
    out = []
    for i, follower in enumerate(companies):
        if follower not in firsts:
            continue
        mine = firsts[follower]
        levels = mine.index.to_numpy(dtype=float)
        for j, leader in enumerate(companies):
            if leader == follower or leader not in firsts:
                continue
            ahead = _first_reach(firsts[leader], levels, smaller)
            days = (mine.to_numpy(dtype="datetime64[ns]") - ahead) / np.timedelta64(1, "D")
            for level, first, theirs, d in zip(levels, mine.to_numpy(), ahead, days):
                years = round(float(d) / 365.25, 1) if not np.isnat(theirs) else 0.0
                if years > 0:
                    out.append({"company": follower, "level": level, "reached": pd.Timestamp(first).date(),
                                "ahead_company": leader, "ahead_reached": pd.Timestamp(theirs).date(),
                                "gap_years": years, "_order": (i, level, j)})
    out.sort(key=lambda r: r["_order"])
    for r in out:
        del r["_order"]
    return pd.DataFrame(out, columns=COLUMNS)
