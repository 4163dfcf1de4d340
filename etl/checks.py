"""Checks on a built package: schema, unique and not-null keys, accepted values, foreign keys."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from contract import DATE_PRECISIONS, KINDS, STORE, TOPICS
from etl.bounds import MAX_RATE, MAX_USD, MAX_VALUE
from etl.schema import TABLES

ACCEPTED: dict[tuple[str, str], set[str | None]] = {
    ("facts", "kind"): set(KINDS),
    ("facts", "topic"): set(TOPICS),
    ("facts", "date_precision"): {*DATE_PRECISIONS, None},
}
UNIQUE = {
    "facts": "fact_id",
    "sources": "source_id",
    "entities": "entity_id",
    "rates": "currency",
    "entity_replacements": "old_id",
}
# (table, column) -> the largest absolute value it may hold (etl/bounds.py); never inf or NaN
BOUNDED = {
    ("facts", "value"): MAX_VALUE,
    ("facts", "value_high"): MAX_VALUE,
    ("facts", "amount_usd"): MAX_USD,
    ("facts", "amount_usd_high"): MAX_USD,
    ("rates", "usd_per_unit"): MAX_RATE,
}
# (table, column) -> (table, column) it must refer to
FOREIGN = {
    ("facts", "source_id"): ("sources", "source_id"),
    ("facts", "entity_ids"): ("entities", "entity_id"),
    ("fact_entities", "fact_id"): ("facts", "fact_id"),
    ("fact_entities", "entity_id"): ("entities", "entity_id"),
    ("entities", "parent_id"): ("entities", "entity_id"),
    ("entity_names", "entity_id"): ("entities", "entity_id"),
    ("entity_replacements", "entity_id"): ("entities", "entity_id"),
    ("rules", "fact_id"): ("facts", "fact_id"),
    ("thresholds", "fact_id"): ("facts", "fact_id"),
    ("chip_nodes", "fact_id"): ("facts", "fact_id"),
    ("funding", "fact_id"): ("facts", "fact_id"),
    ("entity_actions", "fact_id"): ("facts", "fact_id"),
}


def check_package(directory: Path) -> list[str]:
    """Return a list of failures in plain words; empty when the package is sound."""
    directory = Path(directory)
    failures: list[str] = []
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        return [f"{manifest_path}: missing; is this a built package? (python -m etl build)"]
    manifest = json.loads(manifest_path.read_text())
    tables = {}
    for name, schema in TABLES.items():
        path = directory / f"{name}.parquet"
        if not path.is_file():
            failures.append(f"{name}.parquet: missing")
            continue
        table = pq.read_table(path)
        tables[name] = table
        if not table.schema.equals(schema, check_metadata=False):
            failures.append(f"{name}.parquet: schema differs from etl/schema.py")
        if manifest.get("row_counts", {}).get(name) != table.num_rows:
            failures.append(
                f"{name}.parquet: {table.num_rows} rows but manifest says {manifest.get('row_counts', {}).get(name)}"
            )
        for field in schema:
            if not field.nullable and table.column(field.name).null_count:
                failures.append(
                    f"{name}.{field.name}: {table.column(field.name).null_count} null value(s) in a not-null column"
                )
    failures += _check_store(directory, manifest)
    for table_name, column in UNIQUE.items():
        if table_name in tables:
            values = tables[table_name].column(column).to_pylist()
            dupes = sorted({v for v in values if values.count(v) > 1}) if len(set(values)) != len(values) else []
            if dupes:
                failures.append(f"{table_name}.{column}: duplicate values {dupes[:5]}")
    for (table_name, column), accepted in ACCEPTED.items():
        if table_name in tables:
            bad = set(tables[table_name].column(column).to_pylist()) - accepted
            if bad:
                failures.append(f"{table_name}.{column}: values outside the accepted list: {sorted(map(str, bad))[:5]}")
    for (table_name, column), bound in BOUNDED.items():
        if table_name in tables:
            col = tables[table_name].column(column)
            inside = pc.sum(pc.and_(pc.is_finite(col), pc.less_equal(pc.abs(col), bound))).as_py() or 0
            if len(col) - col.null_count - inside:
                failures.append(
                    f"{table_name}.{column}: {len(col) - col.null_count - inside} value(s) infinite, NaN "
                    f"or beyond {bound:g}"
                )
    for (table_name, column), (ref_table, ref_column) in FOREIGN.items():
        if table_name not in tables or ref_table not in tables:
            continue
        known = set(tables[ref_table].column(ref_column).to_pylist())
        values = tables[table_name].column(column).to_pylist()
        flat = [v for x in values for v in (x if isinstance(x, list) else [x]) if v is not None]
        missing = sorted(set(flat) - known)
        if missing:
            failures.append(
                f"{table_name}.{column}: {len(missing)} value(s) not in {ref_table}.{ref_column}, e.g. {missing[:3]}"
            )
    if "entity_replacements" in tables and "entities" in tables:
        live = set(tables["entities"].column("entity_id").to_pylist())
        both = sorted(set(tables["entity_replacements"].column("old_id").to_pylist()) & live)
        if both:
            failures.append(
                f"entity_replacements.old_id: {len(both)} value(s) that are still entities, e.g. {both[:3]}"
            )
    return failures


def _check_store(directory: Path, manifest: dict) -> list[str]:
    """The app reads tracker.duckdb: it must hold every table with the manifest's row counts."""
    import duckdb

    if not (directory / STORE).is_file():
        return [f"{STORE}: missing (the app reads it; rebuild with python -m etl build)"]
    con = duckdb.connect(str(directory / STORE), read_only=True)
    try:
        failures = []
        for name in TABLES:
            try:
                n = con.execute(f"select count(*) from {name}").fetchone()[0]  # type: ignore[index]  # names from the fixed list
            except duckdb.Error:
                failures.append(f"{STORE}: table {name} missing")
                continue
            if n != manifest.get("row_counts", {}).get(name):
                failures.append(
                    f"{STORE}: {name} has {n} rows but manifest says {manifest.get('row_counts', {}).get(name)}"
                )
        return failures
    finally:
        con.close()
