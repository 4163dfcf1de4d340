"""Pure query functions: a connection and bound parameters in, a DataFrame out.

One `.sql` file per question in `sql/`, named for the rows it returns. Values reach SQL
only as bound parameters.
"""
from __future__ import annotations

import functools
from pathlib import Path

import duckdb
import pandas as pd

from tracker.filters import Filters

SQL_DIR = Path(__file__).parent / "sql"
GROUPS = ("funder", "country", "year")


@functools.cache
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    cursor = con.cursor()
    try:
        return cursor.execute(sql(name), params or {}).df()
    finally:
        cursor.close()


def _params(filters: Filters, *names: str) -> dict:
    p = filters.sql_params()
    return {n: p[n] for n in names}


def facts(con, filters: Filters) -> pd.DataFrame:
    return run(con, "facts_with_citations", filters.sql_params())


def counts_by_kind(con, filters: Filters) -> pd.DataFrame:
    return run(con, "counts_by_kind", filters.sql_params())


def chip_nodes(con, filters: Filters) -> pd.DataFrame:
    return run(con, "chip_nodes_in_view",
               _params(filters, "entity_ids", "date_from", "date_to", "topics", "countries", "statuses", "search"))


def chip_metrics(con) -> pd.DataFrame:
    return run(con, "chip_metrics")


def thresholds(con, parameter: str | None = None) -> pd.DataFrame:
    return run(con, "thresholds_in_view", {"parameter": parameter})


def funding(con, filters: Filters, funding_types: tuple[str, ...] = ()) -> pd.DataFrame:
    p = _params(filters, "entity_ids", "date_from", "date_to", "countries", "statuses", "search")
    return run(con, "funding_in_view", p | {"funding_types": list(funding_types) or None})


def funding_totals(con, filters: Filters, group_by: str, funding_types: tuple[str, ...] = ()) -> pd.DataFrame:
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {GROUPS}")
    p = _params(filters, "entity_ids", "date_from", "date_to", "countries", "statuses", "search")
    return run(con, "funding_totals", p | {"funding_types": list(funding_types) or None, "group_by": group_by})


def country_options(con) -> pd.DataFrame:
    return run(con, "country_options")


def entities_matching(con, search: str | None) -> pd.DataFrame:
    return run(con, "entities_matching", {"search": search or None})


def facts_of_entity(con, entity_id: str) -> pd.DataFrame:
    return run(con, "facts_of_entity", {"entity_id": entity_id})


def related_entities(con, entity_id: str) -> pd.DataFrame:
    return run(con, "related_entities", {"entity_id": entity_id})


def sources(con, filters: Filters) -> pd.DataFrame:
    return run(con, "sources_in_view", _params(filters, "entity_ids", "date_from", "date_to", "search"))


def facts_of_source(con, source_id: str) -> pd.DataFrame:
    return run(con, "facts_of_source", {"source_id": source_id})
