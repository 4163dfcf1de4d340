"""The read-optimised copy of a package: `tracker.duckdb` beside the Parquet files.

The Parquet tables are the contract; this file is what the app reads, because DuckDB's own
storage scans many times faster than Parquet and keeps zone maps the app's queries prune
with. It adds nothing the Parquet files do not hold, except two derived layouts:
- facts sorted by fact_no (the default newest-first order), with `search_text`, the
  lowercased title and evidence the search box matches;
- fact_entities sorted by entity and fact_no, so "facts of these entities" reads a few
  blocks instead of the whole table;
- the kind tables (rules, chip_nodes, ...) carry fact_no, so they join facts on an integer;
  chip_nodes, funding and thresholds carry every column of their fact too, so a page of them (scattered
  over a million facts) reads only the small table;
- small summaries: facts per country and per chip metric, and each disputed claim's values.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import duckdb

from etl.schema import TABLES

STORE = "tracker.duckdb"
LAYOUT = {
    "facts": ("*, lower(title || ' ' || evidence) as search_text", "fact_no"),
    "fact_entities": ("*", "entity_id, fact_no"),
}
KIND_TABLES = ("rules", "thresholds", "chip_nodes", "funding", "entity_actions")  # joined to facts on fact_no
WIDE_KIND_TABLES = ("chip_nodes", "funding", "thresholds")  # their pages are scattered over facts; carry the fact's columns
HUMAN = """create macro human(v) as  -- a number as people read it: 344 B, 1.4 M, 18
    case
        when v is null then null
        when abs(v) >= 1e12 then printf('%.4g T', v / 1e12)
        when abs(v) >= 1e9 then printf('%.4g B', v / 1e9)
        when abs(v) >= 1e6 then printf('%.4g M', v / 1e6)
        else printf('%.6g', v)
    end"""
SUMMARIES = {  # small per-build answers the pages ask again and again
    "country_counts": "select c.country, count(*) as fact_count from (select unnest(countries) as country from facts) as c "
                      "group by c.country",
    "chip_metric_counts": "select c.metric, f.unit, count(*) as fact_count from chip_nodes as c "
                          "join facts as f on f.fact_no = c.fact_no where f.value is not null group by c.metric, f.unit",
    # one row per disputed claim with its competing values side by side
    "claims": """
        with variants as (
            select distinct
                f.claim_id,
                coalesce(human(f.value) || coalesce('–' || human(f.value_high), '') || coalesce(' ' || f.unit, ''), 'no value')
                    || coalesce(' (' || strftime(f.fact_date, '%Y-%m-%d') || ')', '') || ' [' || f.source_id || ']' as variant
            from facts as f
            where f.is_disputed
        )
        select v.claim_id, string_agg(v.variant, '  |  ' order by v.variant) as claim_values
        from variants as v
        group by v.claim_id""",
}


@functools.cache
def layout_id() -> str:
    """A hash of the code that shapes a package (schemas, rows, this store): part of the build
    id, so upgrading the code and rebuilding the same annotations gives a new version."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("schema.py", "tables.py", "store.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


def write_store(directory: Path) -> Path:
    path = Path(directory) / STORE
    con = duckdb.connect(str(path))
    try:
        con.execute("set preserve_insertion_order = true")
        con.execute("set enable_progress_bar = false")
        for name in TABLES:
            columns, order = LAYOUT.get(name, ("*", None))
            parquet = str(Path(directory) / f"{name}.parquet").replace("'", "''")
            # names come from the fixed table list and paths from the staging directory, never from users
            if name in WIDE_KIND_TABLES:  # the fact's own columns too: a page of them reads only this table
                con.execute(f"create table {name} as select f.* exclude (search_text), k.* exclude (fact_id) "
                            f"from read_parquet('{parquet}') as k join facts as f on f.fact_id = k.fact_id order by f.fact_no")
            elif name in KIND_TABLES:
                con.execute(f"create table {name} as select f.fact_no, k.* from read_parquet('{parquet}') as k "
                            "join facts as f on f.fact_id = k.fact_id order by f.fact_no")
            else:
                con.execute(f"create table {name} as select {columns} from read_parquet('{parquet}')"
                            + (f" order by {order}" if order else ""))
        con.execute(HUMAN)
        for name, query in SUMMARIES.items():
            con.execute(f"create table {name} as {query}")
        con.execute("checkpoint")
    finally:
        con.close()
    return path
