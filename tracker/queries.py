"""Pure query functions: a connection and bound parameters in, a DataFrame out.

One `.sql` file per question in `sql/`, named for the rows it returns. Values reach SQL
only as bound parameters.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd

from etl.labels import money
from tracker.filters import Filters

SQL_DIR = Path(__file__).parent / "sql"
GROUPS = ("funder", "country", "year")
LANES = ("country", "authority")


@functools.cache
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None, *, arrow: bool = False):
    """One .sql file with bound parameters: a DataFrame, or an Arrow table when arrow=True."""
    return _execute(con, sql(name), params or {}, arrow)


def scalar(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> int:
    cursor = con.cursor()
    try:
        return int(cursor.execute(sql(name), params or {}).fetchone()[0])
    finally:
        cursor.close()


LISTED = "listed_rows($fact_nos)"  # the macro in _macros.sql each paged table starts from


def picked(con, name: str, params: dict, limit: int | None, offset: int, *, arrow: bool = False):
    """A table people page through: <name>_pick.sql chooses the rows (fact_no and a sort key
    `ord`) on narrow columns, and <name>.sql joins everything shown onto them.

    A page runs in two statements, the second over the page's fact_no values as a list: as one
    statement DuckDB would join the wide tables before it knew which few rows it needs. Every
    row (limit None, the CSV) runs as one statement, the pick inlined, because a list of
    hundreds of thousands of values costs more to bind than the join it saves."""
    decorate = sql(name)
    assert LISTED in decorate, f"{name}.sql must take its rows from: {LISTED}"
    if limit is None:
        inlined = decorate.replace(LISTED, "(" + sql(f"{name}_pick") + ")")
        return _execute(con, inlined, params | _page(None, 0), arrow)
    cursor = con.cursor()
    try:
        rows = cursor.execute(sql(f"{name}_pick"), params | _page(limit, offset)).fetchall()
    finally:
        cursor.close()
    return _execute(con, decorate, {"fact_nos": [r[0] for r in rows]}, arrow)


def _execute(con, text: str, params: dict, arrow: bool):
    cursor = con.cursor()
    try:
        return cursor.sql(text, params=params).to_arrow_table() if arrow else cursor.execute(text, params).df()
    finally:
        cursor.close()


def _params(filters: Filters, *names: str) -> dict:
    p = filters.sql_params()
    return {n: p[n] for n in names} if names else p


def _page(limit: int | None, offset: int) -> dict:
    return {"limit": limit, "offset": max(0, int(offset))}


# Tables people page through. Each has a rows query (limit None: every row, for the CSV)
# and a count query taking the same arguments. SORTS: the orders each offers, applied in DuckDB
# over every row before the page is cut (key -> label; the first is the default).

BY_DATE = {"newest": "Newest first", "oldest": "Oldest first (undated last)"}
SORTS = {
    "facts": BY_DATE,
    "facts_of_entity": BY_DATE,
    "chip_nodes": {"oldest": "Oldest first (undated last)", "newest": "Newest first"},
    "funding": {"amount_desc": "Largest USD amount first", "amount_asc": "Smallest USD amount first", **BY_DATE},
}


def _sort(rows: str, sort: str | None) -> dict:
    choices = SORTS[rows]
    return {"sort": sort if sort in choices else next(iter(choices))}


def facts(con, filters: Filters, dated_only: bool = False, starts_after: dt.date | None = None, *,
          limit: int | None = None, offset: int = 0, arrow: bool = False, sort: str | None = None):
    """Facts in view, newest first (or oldest first); `starts_after`: only those whose period begins
    after that day (the plans and targets still ahead)."""
    return picked(con, "facts_with_citations", _params(filters) | {"dated_only": dated_only, "starts_after": starts_after}
                  | _sort("facts", sort), limit, offset, arrow=arrow)


def facts_count(con, filters: Filters, dated_only: bool = False, starts_after: dt.date | None = None) -> int:
    return scalar(con, "facts_count", _params(filters) | {"dated_only": dated_only, "starts_after": starts_after})


CHIP_FILTERS = ("entity_ids", "date_from", "date_to", "topics", "countries", "statuses", "search")


def _track(filters: Filters, metric: str, unit: str | None, company_ids) -> dict:
    return _params(filters, *CHIP_FILTERS) | {"metric": metric, "unit": unit,
                                              "company_ids": list(company_ids) or None}


def chip_nodes(con, filters: Filters, metric: str, unit: str | None, company_ids: tuple[str, ...] = (), *,
               limit: int | None = None, offset: int = 0, arrow: bool = False, sort: str | None = None):
    return picked(con, "chip_nodes_in_view", _track(filters, metric, unit, company_ids) | _sort("chip_nodes", sort),
                  limit, offset, arrow=arrow)


def chip_nodes_count(con, filters: Filters, metric: str, unit: str | None, company_ids: tuple[str, ...] = ()) -> int:
    return scalar(con, "chip_nodes_count", _track(filters, metric, unit, company_ids))


FUNDING_FILTERS = ("entity_ids", "date_from", "date_to", "countries", "statuses", "search")


def funding(con, filters: Filters, funding_types: tuple[str, ...] = (), *, limit: int | None = None,
            offset: int = 0, arrow: bool = False, sort: str | None = None):
    p = _params(filters, *FUNDING_FILTERS) | {"funding_types": list(funding_types) or None} | _sort("funding", sort)
    return picked(con, "funding_in_view", p, limit, offset, arrow=arrow)


def funding_count(con, filters: Filters, funding_types: tuple[str, ...] = ()) -> int:
    return scalar(con, "funding_count", _params(filters, *FUNDING_FILTERS) | {"funding_types": list(funding_types) or None})


ENTITY_FILTERS = ("date_from", "date_to", "search")  # the entity is the page's own; kinds etc. are not on it


def facts_of_entity(con, entity_id: str, filters: Filters = Filters(), *, limit: int | None = None, offset: int = 0,
                    arrow: bool = False, sort: str | None = None):
    """The entity's facts (in any role) that pass the shared date and search filters."""
    p = {"entity_id": entity_id} | _params(filters, *ENTITY_FILTERS) | _page(limit, offset) | _sort("facts_of_entity", sort)
    return run(con, "facts_of_entity", p, arrow=arrow)


def facts_of_entity_count(con, entity_id: str, filters: Filters = Filters()) -> int:
    return scalar(con, "facts_of_entity_count", {"entity_id": entity_id} | _params(filters, *ENTITY_FILTERS))


SOURCE_FILTERS = ("entity_ids", "date_from", "date_to", "search")


def sources(con, filters: Filters, *, limit: int | None = None, offset: int = 0, arrow: bool = False):
    return run(con, "sources_in_view", _params(filters, *SOURCE_FILTERS) | _page(limit, offset), arrow=arrow)


def sources_count(con, filters: Filters) -> int:
    return scalar(con, "sources_count")


def facts_of_source(con, source_id: str, *, limit: int | None = None, offset: int = 0, arrow: bool = False):
    return run(con, "facts_of_source", {"source_id": source_id} | _page(limit, offset), arrow=arrow)


def facts_of_source_count(con, source_id: str) -> int:
    return scalar(con, "facts_of_source_count", {"source_id": source_id})


# Summaries and chart data: small results whatever the size of the package.

def facts_summary(con, filters: Filters) -> pd.DataFrame:
    return run(con, "facts_summary", _params(filters))


def counts_by_kind(con, filters: Filters) -> pd.DataFrame:
    return run(con, "counts_by_kind", _params(filters))


def timeline_points(con, filters: Filters, limit: int) -> pd.DataFrame:
    return run(con, "timeline_points", _params(filters) | {"limit": limit})


BINS = ("month", "quarter", "year")


def timeline_density(con, filters: Filters, lane: str, top_lanes: int = 30, bin: str = "month") -> pd.DataFrame:
    if lane not in LANES or bin not in BINS:
        raise ValueError(f"lane must be one of {LANES} and bin one of {BINS}")
    return run(con, "timeline_density", _params(filters) | {"lane": lane, "top_lanes": top_lanes, "bin": bin})


def chip_metrics(con) -> pd.DataFrame:
    return run(con, "chip_metrics")


def chip_companies(con, filters: Filters, metric: str, unit: str | None, limit: int = 200) -> pd.DataFrame:
    return run(con, "chip_companies", _params(filters, *CHIP_FILTERS) | {"metric": metric, "unit": unit, "limit": limit})


def chip_best(con, filters: Filters, metric: str, unit: str | None, company_ids: tuple[str, ...] = (),
              smaller_is_better: bool = False, limit: int = 15) -> pd.DataFrame:
    return run(con, "chip_best", _track(filters, metric, unit, company_ids)
               | {"smaller_is_better": smaller_is_better, "limit": limit})


def chip_gap_facts(con, filters: Filters, metric: str, unit: str | None, company_ids: tuple[str, ...]) -> pd.DataFrame:
    """The mass-production facts of the compared companies on a track, every row (tracker/compare.py
    decides which of them a gap may rest on)."""
    if not company_ids or (filters.statuses and "mass_production" not in filters.statuses):
        return chip_nodes(con, filters, metric, unit, ("",), limit=0)
    return chip_nodes(con, replace(filters, statuses=("mass_production",)), metric, unit, company_ids)


def chip_comparison(con, filters: Filters, metric: str, unit: str | None, company_ids: tuple[str, ...],
                    company_names: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(the compared companies' mass-production facts, those a gap cannot rest on with the reason,
    the gaps): tracker/compare.py over chip_gap_facts, computed once per build and view."""
    from tracker.compare import gaps, usable

    facts = chip_gap_facts(con, filters, metric, unit, company_ids)
    _, left_out = usable(facts)
    return facts, left_out, gaps(facts, metric, list(company_names))


def thresholds(con, parameter: str | None = None) -> pd.DataFrame:
    return run(con, "thresholds_in_view", {"parameter": parameter})


def funding_totals(con, filters: Filters, group_by: str, funding_types: tuple[str, ...] = ()) -> pd.DataFrame:
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {GROUPS}")
    p = _params(filters, *FUNDING_FILTERS)
    totals = run(con, "funding_totals", p | {"funding_types": list(funding_types) or None, "group_by": group_by})
    return totals.assign(total_label=[total_label(*r) for r in
                                      zip(totals["total_usd"], totals["floors"], totals["ceilings"], totals["approximate"])])


def total_label(total: float, floors: int, ceilings: int, approximate: int) -> str:
    """A sum as honest as its parts: "at least $47.5 B" when it adds floors, "about ..." when it adds
    approximate amounts or ceilings (which could be less), plain when every part is exact."""
    text = money(total, "USD")
    if ceilings or approximate:
        return f"about {text}"
    return f"at least {text}" if floors else text


def country_options(con) -> pd.DataFrame:
    return run(con, "country_options")


def entities_matching(con, search: str | None, limit: int | None = None) -> pd.DataFrame:
    return run(con, "entities_matching", {"search": search or None, "limit": limit})


def entity_density(con, entity_id: str) -> pd.DataFrame:
    return run(con, "entity_density", {"entity_id": entity_id})


RELATED_WINDOW = 20_000


def related_entities(con, entity_id: str, window: int = RELATED_WINDOW) -> pd.DataFrame:
    """Entities sharing facts with this one, counted among its `window` newest facts."""
    return run(con, "related_entities", {"entity_id": entity_id, "window": window})


def fact_by_id(con, fact_id: str) -> pd.DataFrame:
    """One row (or none): the fact in full, its kind's fields, its source and its rate."""
    return run(con, "fact_by_id", {"fact_id": fact_id})


def entities_of_fact(con, fact_id: str) -> pd.DataFrame:
    return run(con, "entities_of_fact", {"fact_id": fact_id})


def facts_of_claim(con, claim_id: str) -> pd.DataFrame:
    return run(con, "facts_of_claim", {"claim_id": claim_id})


def source_titles(con) -> pd.DataFrame:
    return run(con, "source_titles")


def source_by_id(con, source_id: str) -> pd.DataFrame:
    return run(con, "source_by_id", {"source_id": source_id})
