"""How far one company is behind another on a chip metric, in years."""
from __future__ import annotations

import pandas as pd

# Metrics where a smaller number is more advanced.
SMALLER_IS_BETTER = {"logic_node", "dram_half_pitch", "lithography_resolution"}


def _reached(rows: pd.DataFrame, value: float, smaller_is_better: bool) -> pd.DataFrame:
    return rows[rows["value"] <= value] if smaller_is_better else rows[rows["value"] >= value]


def gaps(nodes: pd.DataFrame, metric: str, companies: list[str]) -> pd.DataFrame:
    """One row per (company, level it reached) with the first date each other company reached
    the same level or better, and the gap in years. Only dated mass-production points count."""
    smaller = metric in SMALLER_IS_BETTER
    rows = nodes[(nodes["metric"] == metric) & nodes["fact_date"].notna() & nodes["value"].notna()
                 & (nodes["status"] == "mass_production") & nodes["company_name"].isin(companies)]
    out = []
    for follower in companies:
        mine = rows[rows["company_name"] == follower]
        for value, first in mine.groupby("value")["fact_date"].min().items():
            for leader in companies:
                if leader == follower:
                    continue
                theirs = _reached(rows[rows["company_name"] == leader], value, smaller)
                if theirs.empty:
                    continue
                leader_date = theirs["fact_date"].min()
                years = round((pd.Timestamp(first) - pd.Timestamp(leader_date)).days / 365.25, 1)
                if years > 0:
                    out.append({"company": follower, "level": value, "reached": pd.Timestamp(first).date(),
                                "ahead_company": leader, "ahead_reached": pd.Timestamp(leader_date).date(),
                                "gap_years": years})
    return pd.DataFrame(out, columns=["company", "level", "reached", "ahead_company", "ahead_reached", "gap_years"])
