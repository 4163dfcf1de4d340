"""The read-optimised copy of a package: `tracker.duckdb` beside the Parquet files.

The Parquet tables are the contract; this file is what the app reads, because DuckDB's own
storage scans many times faster than Parquet and keeps zone maps the app's queries prune
with. It adds nothing the Parquet files do not hold, except two derived layouts:
- facts sorted by fact_no (the default newest-first order), with `search_text`, the
  lowercased title and evidence the search box matches;
- fact_entities sorted by entity and fact_no, so "facts of these entities" reads a few
  blocks instead of the whole table.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from etl.schema import TABLES

STORE = "tracker.duckdb"
LAYOUT = {
    "facts": ("*, lower(title || ' ' || evidence) as search_text", "fact_no"),
    "fact_entities": ("*", "entity_id, fact_no"),
}


def write_store(directory: Path) -> Path:
    path = Path(directory) / STORE
    con = duckdb.connect(str(path))
    try:
        con.execute("set preserve_insertion_order = true")
        for name in TABLES:
            columns, order = LAYOUT.get(name, ("*", None))
            parquet = str(Path(directory) / f"{name}.parquet").replace("'", "''")
            # names come from the fixed table list and paths from the staging directory, never from users
            con.execute(f"create table {name} as select {columns} from read_parquet('{parquet}')"
                        + (f" order by {order}" if order else ""))
        con.execute("checkpoint")
    finally:
        con.close()
    return path
