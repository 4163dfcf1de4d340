"""Pure query functions: a connection and bound parameters in, a DataFrame out.

One `.sql` file per question in `sql/`, named for the rows it returns.
"""
from __future__ import annotations

import functools
from pathlib import Path

import duckdb
import pandas as pd

from tracker.filters import Filters

SQL_DIR = Path(__file__).parent / "sql"


@functools.cache
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    cursor = con.cursor()
    try:
        return cursor.execute(sql(name), params or {}).df()
    finally:
        cursor.close()


def _subset(params: dict, *names: str) -> dict:
    return {n: params[n] for n in names}


def facts(con, filters: Filters) -> pd.DataFrame:
    return run(con, "facts_with_citations", filters.sql_params())


def counts_by_kind(con, filters: Filters) -> pd.DataFrame:
    return run(con, "counts_by_kind", filters.sql_params())


def chip_nodes(con, filters: Filters) -> pd.DataFrame:
    p = filters.sql_params()
    return run(con, "chip_nodes_in_view", _subset(p, "entity_ids", "date_from", "date_to", "topics", "countries", "statuses", "search"))


def thresholds(con) -> pd.DataFrame:
    return run(con, "thresholds_in_view")


def funding(con, filters: Filters) -> pd.DataFrame:
    p = filters.sql_params()
    return run(con, "funding_in_view", _subset(p, "entity_ids", "date_from", "date_to", "countries", "statuses", "search"))


def entity_options(con) -> pd.DataFrame:
    return run(con, "entity_options")


def entities_matching(con, search: str | None) -> pd.DataFrame:
    return run(con, "entities_matching", {"search": search or None})


def sources(con, filters: Filters) -> pd.DataFrame:
    p = filters.sql_params()
    return run(con, "sources_in_view", _subset(p, "entity_ids", "date_from", "date_to", "search"))
