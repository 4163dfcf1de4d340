"""The package's shape against its golden copy (tests/golden/layout.json).

Two versions are declared in contract.py, and this test keeps them honest:
- LAYOUT_VERSION, what the app checks before it reads a package: any change to the store's tables,
  columns or types must raise it (a running app then asks for a rebuild instead of failing a query);
- SCHEMA_VERSION, the public Parquet tables: a column may be added, but renaming, dropping or
  retyping one breaks readers' scripts and must raise it.

After a deliberate change, raise the version in contract.py, regenerate the golden copy with
`python -m tests.etl.test_layout`, and say what changed in CHANGELOG.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from contract import LAYOUT_VERSION, SCHEMA_VERSION, STORE, TABLES

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "layout.json"
REGENERATE = "python -m tests.etl.test_layout"


def shape(package: Path) -> dict:
    """The store's tables and typed columns, and the Parquet tables' typed columns."""
    con = duckdb.connect(str(package / STORE), read_only=True)
    try:
        rows = con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where database_name = current_database() order by table_name, column_index"
        ).fetchall()
    finally:
        con.close()
    store: dict[str, list[str]] = {}
    for table, column, typ in rows:
        store.setdefault(table, []).append(f"{column} {typ}")
    parquet = {name: [f"{f.name} {f.type}" for f in pq.read_schema(package / f"{name}.parquet")] for name in TABLES}
    return {"layout_version": LAYOUT_VERSION, "schema_version": SCHEMA_VERSION, "store": store, "parquet": parquet}


def test_store_layout_matches_its_declared_version(package_dir):
    golden = json.loads(GOLDEN.read_text())
    now = shape(package_dir)
    if now["store"] != golden["store"]:
        assert golden["layout_version"] != LAYOUT_VERSION, (
            f"The store's tables or columns changed but contract.LAYOUT_VERSION is still {LAYOUT_VERSION}: "
            f"raise it, then run {REGENERATE}. Changed tables: "
            + ", ".join(
                sorted(
                    t for t in set(now["store"]) | set(golden["store"]) if now["store"].get(t) != golden["store"].get(t)
                )
            )
        )
    assert golden["layout_version"] == LAYOUT_VERSION, (
        f"contract.LAYOUT_VERSION is {LAYOUT_VERSION} but the golden copy is of version "
        f"{golden['layout_version']}: run {REGENERATE}"
    )
    assert now["store"] == golden["store"], f"run {REGENERATE}"


def test_public_columns_are_never_renamed_dropped_or_retyped(package_dir):
    golden = json.loads(GOLDEN.read_text())
    now = shape(package_dir)
    if golden["schema_version"] == SCHEMA_VERSION:
        for table, columns in golden["parquet"].items():
            have = set(now["parquet"].get(table, []))
            lost = [f"{table}.{column}" for column in columns if column not in have]
            assert not lost, (
                f"public columns renamed, dropped or retyped: {', '.join(lost)}. Readers' scripts "
                "break: add a column instead, or raise contract.SCHEMA_VERSION and say why in CHANGELOG.md"
            )
    assert now["parquet"] == golden["parquet"], (
        f"the public tables gained columns: run {REGENERATE} (and note it in CHANGELOG.md)"
    )


def test_the_app_refuses_a_package_of_another_layout(package_dir, tmp_path):
    import shutil

    from tracker.db import PackageMissing, current_package

    copy = tmp_path / "pkg"
    shutil.copytree(package_dir.resolve(), copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    assert current_package(copy).manifest["layout"] == LAYOUT_VERSION
    (copy / "manifest.json").write_text(json.dumps(manifest | {"layout": LAYOUT_VERSION - 1}))
    try:
        current_package(copy)
    except PackageMissing as exc:
        assert "python -m etl build" in str(exc)
    else:
        raise AssertionError("a package of another layout was accepted")


def test_editing_etl_code_does_not_change_what_the_app_accepts(package_dir):
    """The old check hashed etl's source files: a comment edited in etl/tables.py made a running app
    refuse its package. The app now checks only the declared version."""
    import tracker.db

    source = Path(tracker.db.__file__).read_text()
    assert "etl." not in source.replace("etl build", "")
    assert json.loads((package_dir / "manifest.json").read_text())["layout"] == LAYOUT_VERSION


if __name__ == "__main__":  # regenerate the golden copy from the fixture annotations
    import tempfile

    from etl.build import build
    from tests.conftest import FIXTURE_CORPUS, FIXTURE_DATA

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        build(FIXTURE_DATA, out, FIXTURE_CORPUS)
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(shape(out.resolve()), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}", file=sys.stderr)
