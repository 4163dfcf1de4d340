"""The read-optimised copy of a package: `tracker.duckdb` beside the Parquet files.

The Parquet tables are the contract; this file is what the app reads, because DuckDB's own
storage scans many times faster than Parquet and keeps zone maps the app's queries prune
with. It adds nothing the Parquet files do not hold, except two derived layouts:
- facts sorted by fact_no (the default newest-first order), with `search_text`, what the
  search box matches: the title, the evidence and every name and alias of the fact's entities,
  lowercased (so 华为 and "huawei" find Huawei's facts);
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

from contract import STORE
from contract import SUMMARIES as SUMMARY_NAMES
from etl.schema import TABLES

LAYOUT = {"fact_entities": ("*", "entity_id, fact_no")}
FACTS = """create table facts as
    with names as (
        select fe.fact_id, string_agg(n.name, ' ' order by n.entity_id, n.name) as names
        from read_parquet({fact_entities}) as fe
        join read_parquet({entity_names}) as n on n.entity_id = fe.entity_id
        group by fe.fact_id
    )
    select f.*, lower(f.title || ' ' || f.evidence || coalesce(' ' || names.names, '')) as search_text
    from read_parquet({facts}) as f
    left join names on names.fact_id = f.fact_id
    order by f.fact_no"""
KIND_TABLES = ("rules", "thresholds", "chip_nodes", "funding", "entity_actions")  # joined to facts on fact_no
WIDE_KIND_TABLES = (
    "chip_nodes",
    "funding",
    "thresholds",
)  # their pages are scattered over facts; carry the fact's columns
SUMMARIES = {  # small per-build answers the pages ask again and again
    "country_counts": "select c.country, count(*) as fact_count from (select unnest(countries) as country from facts) as c "
    "group by c.country",
    "chip_metric_counts": "select c.metric, f.unit, count(*) as fact_count from chip_nodes as c "
    "join facts as f on f.fact_no = c.fact_no where f.value is not null group by c.metric, f.unit",
    # one row per claim: how many facts and sources state it, whether they agree (claim_label, said
    # the same way on every page and in the fact view) and, when disputed, the competing values side by side
    "claims": """
        with per_claim as (
            select
                claim_id,
                count(*) as claim_facts,
                count(distinct source_id) as claim_sources,
                bool_or(is_disputed) as disputed
            from facts
            where claim_id is not null
            group by claim_id
        ),
        variants as (
            select distinct
                f.claim_id,
                coalesce(f.value_label || coalesce(' (' || f.date_label || ')', ''), f.date_label, 'no value, undated')
                    || ' [' || f.source_id || ']' as variant
            from facts as f
            where f.is_disputed
        ),
        competing as (
            select claim_id, string_agg(variant, '  |  ' order by variant) as claim_values
            from variants
            group by claim_id
        )
        select
            c.claim_id,
            c.claim_facts,
            c.claim_sources,
            case
                when c.disputed and c.claim_sources > 1 then c.claim_sources || ' sources disagree'
                when c.disputed then 'one source, ' || c.claim_facts || ' statements disagree'
                when c.claim_facts = 1 then 'no other statement linked yet'
                when c.claim_sources > 1 then c.claim_sources || ' sources agree'
                else 'one source, stated ' || c.claim_facts || ' times'
            end as claim_label,
            v.claim_values
        from per_claim as c
        left join competing as v on v.claim_id = c.claim_id""",
}

assert tuple(SUMMARIES) == SUMMARY_NAMES, "contract.SUMMARIES names the store's summaries"


@functools.cache
def code_digest() -> str:
    """A hash of the code that shapes a package (schemas, rows, this store): part of the build
    id, so upgrading the code and rebuilding the same annotations gives a new version. Not a
    compatibility check: the app checks contract.LAYOUT_VERSION."""
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

        def parquet_of(name: str) -> str:
            return "'" + str(Path(directory) / f"{name}.parquet").replace("'", "''") + "'"

        for name in TABLES:
            columns, order = LAYOUT.get(name, ("*", None))
            parquet = parquet_of(name)
            # names come from the fixed table list and paths from the staging directory, never from users
            if name == "facts":
                con.execute(FACTS.format(**{t: parquet_of(t) for t in ("facts", "fact_entities", "entity_names")}))
            elif name in WIDE_KIND_TABLES:  # the fact's own columns too: a page of them reads only this table
                con.execute(
                    f"create table {name} as select f.* exclude (search_text), k.* exclude (fact_id) "
                    f"from read_parquet({parquet}) as k join facts as f on f.fact_id = k.fact_id order by f.fact_no"
                )
            elif name in KIND_TABLES:
                con.execute(
                    f"create table {name} as select f.fact_no, k.* from read_parquet({parquet}) as k "
                    "join facts as f on f.fact_id = k.fact_id order by f.fact_no"
                )
            else:
                con.execute(
                    f"create table {name} as select {columns} from read_parquet({parquet})"
                    + (f" order by {order}" if order else "")
                )
        for name, query in SUMMARIES.items():
            con.execute(f"create table {name} as {query}")
        con.execute("checkpoint")
    finally:
        con.close()
    return path
