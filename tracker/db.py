"""Open a data package: one DuckDB connection with a view per Parquet table."""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from contract import LAYOUT_VERSION, MANIFEST, STORE, SUMMARIES, TABLES

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT / "data" / "build"
MACROS = Path(__file__).parent / "sql" / "_macros.sql"


class PackageMissing(Exception):
    """There is no built package where the app looks for one."""


@dataclass(frozen=True)
class Package:
    directory: Path  # resolved: a rebuild re-points the link, this stays on one version
    manifest: dict

    @property
    def build_id(self) -> str:
        return self.manifest["build_id"]

    @property
    def built_on(self) -> dt.date:
        """The day the package was built: what "latest" and "ahead" are measured against."""
        try:
            return dt.datetime.fromisoformat(self.manifest["built_at"]).date()
        except (KeyError, TypeError, ValueError):
            return dt.date.today()


def data_dir() -> Path:
    return Path(os.environ.get("TRACKER_DATA_DIR") or DEFAULT_DATA_DIR)


def current_package(directory: Path | None = None) -> Package:
    """Resolve the package link now, so one page run reads one consistent version."""
    base = Path(directory) if directory else data_dir()
    resolved = base.resolve()
    manifest = resolved / MANIFEST
    if not manifest.is_file():
        raise PackageMissing(f"No data package at {base}. Build it with: python -m etl build --out {base}")
    found = json.loads(manifest.read_text())
    if not (resolved / STORE).is_file() or found.get("layout") != LAYOUT_VERSION:
        raise PackageMissing(f"The package at {base} was built by another version of the code (it has no "
                             f"{STORE} of this version's layout). Rebuild it with: python -m etl build --out {base}")
    return Package(resolved, found)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


MEMORY_LIMIT = os.environ.get("TRACKER_DUCKDB_MEMORY", "512MB")


def connect(directory: Path) -> duckdb.DuckDBPyConnection:
    """The package's tables and the query macros on one connection; use .cursor() per query.

    The tables come from the package's read-only DuckDB store (etl/store.py), attached to an
    in-memory database that holds only the macros. Names below come from a fixed list and
    the path from the resolved package, never from users.
    """
    store = Path(directory) / STORE
    con = duckdb.connect(":memory:", config={"memory_limit": MEMORY_LIMIT})
    con.execute(f"attach {_literal(store)} as pkg (read_only)")
    stored = {r[0] for r in con.execute("select table_name from duckdb_tables() where database_name = 'pkg'").fetchall()}
    for name in sorted(stored & set(TABLES + SUMMARIES)):
        con.execute(f"create view {name} as select * from pkg.main.{name}")
    con.execute(MACROS.read_text())
    return con
