"""The package: contents, determinism, atomicity, verification status, checks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from etl.build import build
from etl.checks import check_package
from etl.cli import main
from etl.problems import AnnotationErrors
from etl.schema import TABLES
from etl.store import STORE
from tests.conftest import FIXTURE_CORPUS, FIXTURE_DATA


def _rows(directory: Path, table: str) -> list[dict]:
    return pq.read_table(directory / f"{table}.parquet").to_pylist()


def test_fixture_package_row_counts(package_dir):
    manifest = json.loads((package_dir / "manifest.json").read_text())
    assert manifest["row_counts"] == {
        "facts": 9,
        "sources": 2,
        "entities": 6,
        "entity_names": 16,
        "entity_replacements": 1,
        "fact_entities": 16,
        "rules": 1,
        "thresholds": 1,
        "chip_nodes": 3,
        "funding": 2,
        "entity_actions": 1,
        "rates": 1,
    }
    assert manifest["corpus"]["verified"] is True
    assert manifest["disputed_claims"] == 1


def test_fact_rows_are_normalised(package_dir):
    facts = {r["fact_id"]: r for r in _rows(package_dir, "facts")}
    cny = facts["fx-december-rules-05"]
    assert cny["value"] == 344e9 and cny["unit"] == "CNY"
    assert cny["amount_usd"] == pytest.approx(47.5e9, rel=1e-6)  # the rate cited on the same line
    assert str(cny["fact_date"]) == "2024-05-01" and cny["date_precision"] == "month"
    assert cny["claim_id"] == "claim-big-fund-iii-size" and cny["is_disputed"] is True
    assert facts["fx-later-report-01"]["amount_usd"] == 50e9
    assert facts["fx-december-rules-02"]["date_precision"] == "month"
    assert facts["fx-later-report-03"]["fact_date"] is None
    assert facts["fx-later-report-02"]["entity_ids"] == ["smic", "huawei"]  # as listed: the actor first
    assert facts["fx-december-rules-01"]["source_line"] == 2


def test_kind_tables_hang_off_fact_id(package_dir):
    nodes = {r["fact_id"]: r for r in _rows(package_dir, "chip_nodes")}
    assert nodes["fx-december-rules-04"] == {
        "fact_id": "fx-december-rules-04",
        "company_id": "tsmc",
        "product": "N3",
        "metric": "logic_node",
        "lithography": "EUV",
    }
    assert _rows(package_dir, "thresholds")[0]["rule_fact_id"] == "fx-december-rules-06"
    names = {(r["entity_id"], r["name"]) for r in _rows(package_dir, "entity_names")}
    assert ("smic", "中芯国际") in names and ("smic", "0981.HK") in names
    entities = {r["entity_id"]: r for r in _rows(package_dir, "entities")}
    assert entities["smic-south"]["parent_id"] == "smic"
    assert entities["smic"]["fact_count"] == 2


def test_package_passes_checks(package_dir):
    assert check_package(package_dir) == []


def test_check_catches_a_broken_package(package_dir, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(package_dir.resolve(), broken)
    (broken / "sources.parquet").unlink()
    failures = check_package(broken)
    assert "sources.parquet: missing" in failures
    assert main(["check", str(broken)]) == 1


def test_check_catches_numbers_no_build_would_write(package_dir, tmp_path):
    """`etl check` guards the contract for readers: no inf, NaN or absurd amount (etl/bounds.py)."""
    import shutil

    import pyarrow as pa

    broken = tmp_path / "broken"
    shutil.copytree(package_dir.resolve(), broken)
    table = pq.read_table(broken / "facts.parquet")
    amounts = table.column("amount_usd").to_pylist()
    amounts[0], amounts[1] = float("inf"), 1e300
    i = table.schema.get_field_index("amount_usd")
    pq.write_table(
        table.set_column(i, table.schema.field(i), pa.array(amounts, pa.float64())), broken / "facts.parquet"
    )
    assert "facts.amount_usd: 2 value(s) infinite, NaN or beyond 1e+15" in check_package(broken)


def test_schemas_are_written_as_declared(package_dir):
    for name, schema in TABLES.items():
        assert pq.read_schema(package_dir / f"{name}.parquet").equals(schema, check_metadata=False), name


def test_build_is_deterministic(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a, b = tmp_path / "a", tmp_path / "b"
    build(FIXTURE_DATA, a, FIXTURE_CORPUS)
    build(FIXTURE_DATA, b, FIXTURE_CORPUS)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    for name in files:
        if name == STORE:  # DuckDB's file layout is not byte-stable; its contents must be
            continue
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert STORE in files
    tables = [duckdb.connect(str(d / STORE), read_only=True) for d in (a, b)]
    for name in TABLES:
        rows = [c.execute(f"select * from {name} order by all").fetchall() for c in tables]
        assert rows[0] == rows[1] and len(rows[0]) == pq.read_metadata(a / f"{name}.parquet").num_rows, name


def test_failed_build_leaves_previous_package_readable(tmp_path, data_dir, capsys):
    out = tmp_path / "build"
    assert main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "build", "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    facts = data_dir / "sources" / "fx-december-rules.yml"
    facts.write_text(facts.read_text().replace("evidence: 18 nanometer half-pitch", "evidence: not there"))
    assert main(["--data", str(data_dir), "--corpus", str(FIXTURE_CORPUS), "build", "--out", str(out)]) == 1
    assert "does not occur on line 3" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert check_package(out) == []
    assert not [p for p in (tmp_path / ".build.versions").iterdir() if p.name.startswith(".staging")]


def test_rebuild_swaps_package_and_keeps_old_version_readable(tmp_path, data_dir):
    out = tmp_path / "build"
    build(data_dir, out, FIXTURE_CORPUS)
    old = out.resolve()
    facts = data_dir / "sources" / "fx-december-rules.yml"
    facts.write_text(
        facts.read_text().replace("title: TSMC in mass production at 3nm", "title: TSMC mass-produces 3nm")
    )
    build(data_dir, out, FIXTURE_CORPUS)
    assert out.resolve() != old
    assert old.is_dir() and (old / "facts.parquet").is_file()  # a session reading the old one is not cut off
    titles = {r["title"] for r in _rows(out, "facts")}
    assert "TSMC mass-produces 3nm" in titles


def test_old_versions_are_pruned(tmp_path, data_dir):
    out = tmp_path / "build"
    facts = data_dir / "sources" / "fx-december-rules.yml"
    for i in range(5):
        facts.write_text(
            facts.read_text()
            .replace("title: TSMC in mass production at 3nm", f"title: TSMC v{i}", 1)
            .replace(f"title: TSMC v{i - 1}", f"title: TSMC v{i}", 1)
        )
        build(data_dir, out, FIXTURE_CORPUS)
    versions = [p for p in (tmp_path / ".build.versions").iterdir() if not p.name.startswith(".")]
    assert len(versions) == 3


def test_build_without_corpus_says_so_loudly(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TRACKER_CORPUS_DIR", "")
    monkeypatch.setattr("etl.cli.default_corpus_dir", lambda root: None)
    out = tmp_path / "build"
    assert main(["--data", str(FIXTURE_DATA), "build", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "NO CORPUS FOUND" in captured.err and "NOT verified" in captured.err
    assert "EVIDENCE NOT VERIFIED" in captured.out
    assert json.loads((out / "manifest.json").read_text())["corpus"]["verified"] is False


def test_missing_corpus_directory_is_an_error(tmp_path, capsys):
    code = main(["--data", str(FIXTURE_DATA), "--corpus", str(tmp_path / "nope"), "validate"])
    assert code == 2 and "does not exist" in capsys.readouterr().err


def test_build_raises_with_every_problem(data_dir, tmp_path):
    facts = data_dir / "sources" / "fx-december-rules.yml"
    facts.write_text(facts.read_text().replace("entities: [tsmc]", "entities: [nobody]"))
    with pytest.raises(AnnotationErrors) as info:
        build(data_dir, tmp_path / "out", FIXTURE_CORPUS)
    assert [p.field for p in info.value.problems] == ["entities"]
    assert not (tmp_path / "out").exists()


def test_cli_module_runs(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "b"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "--data",
            str(FIXTURE_DATA),
            "--corpus",
            str(FIXTURE_CORPUS),
            "build",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ},
    )
    assert proc.returncode == 0, proc.stderr
    assert "9 facts, 2 sources, 6 entities; evidence verified" in proc.stdout


def test_rebuilding_the_same_inputs_never_moves_the_live_version(tmp_path):
    """A session may be reading the version right now: an identical rebuild leaves it in place."""
    out = tmp_path / "build"
    first = build(FIXTURE_DATA, out, FIXTURE_CORPUS)
    live = out.resolve()
    inode = live.stat().st_ino
    second = build(FIXTURE_DATA, out, FIXTURE_CORPUS)
    assert second["build_id"] == first["build_id"]
    assert out.resolve() == live and live.stat().st_ino == inode
    assert check_package(out) == []
    assert not [p for p in (tmp_path / ".build.versions").iterdir() if p.name.startswith((".staging", ".trash"))]


def test_code_that_shapes_the_package_is_part_of_the_build_id(tmp_path, monkeypatch):
    """Upgrading the code and rebuilding the same annotations must not keep a stale store."""
    import etl.build

    first = build(FIXTURE_DATA, tmp_path / "build", FIXTURE_CORPUS)
    monkeypatch.setattr(etl.build, "code_digest", lambda: "other-code")
    second = build(FIXTURE_DATA, tmp_path / "build", FIXTURE_CORPUS)
    assert second["build_id"] != first["build_id"] and second["layout"] == first["layout"]
    assert (tmp_path / "build").resolve().name == second["build_id"]


def test_rebuilding_repairs_a_damaged_copy_of_the_same_build(tmp_path):
    """The app's message for a damaged package says to rebuild: the same inputs give the same build id,
    and a build used to keep that version as it was whenever its manifest file existed."""
    from tracker.db import current_package

    out = tmp_path / "build"
    first = build(FIXTURE_DATA, out, FIXTURE_CORPUS)
    inode = (out.resolve() / "tracker.duckdb").stat().st_ino
    build(FIXTURE_DATA, out, FIXTURE_CORPUS)
    assert (out.resolve() / "tracker.duckdb").stat().st_ino == inode  # a whole version is kept, not swapped
    (out.resolve() / "manifest.json").write_text("not json")
    store = out.resolve() / "tracker.duckdb"
    store.write_bytes(store.read_bytes()[:4096])
    build(FIXTURE_DATA, out, FIXTURE_CORPUS)
    assert current_package(out).build_id == first["build_id"]
    assert check_package(out) == []
