"""Warnings that do not stop a build (a claim only one fact uses), and merged entity ids
(`replaces:`) that keep resolving, in the annotations and in the package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from etl.checks import check_package
from tests.etl.helpers import edit as _edit
from tests.etl.helpers import run_etl as _run

DECEMBER = "sources/fx-december-rules.yml"
LATER = "sources/fx-later-report.yml"


def _rows(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / f"{table}.parquet").to_pylist()


# --- a claim only one fact uses -------------------------------------------------------------


def test_a_claim_only_one_fact_uses_is_a_warning_naming_claim_file_and_fact(data_dir, capsys, tmp_path):
    _edit(data_dir, DECEMBER, "  entities: [tsmc]\n", "  entities: [tsmc]\n  claim: claim-tsmc-3nm-start\n")
    code, out, err = _run(data_dir, capsys, "validate")
    assert code == 0
    assert (
        "warning: data/sources/fx-december-rules.yml:74, record 'fx-december-rules-04', field 'claim': "
        "claim 'claim-tsmc-3nm-start' is used by this fact only"
    ) in err
    assert "error:" not in err
    assert out.startswith("ok: 9 facts, 2 sources, 6 entities") and out.rstrip().endswith("; 1 warning(s)")
    code, out, err = _run(data_dir, capsys, "build", "--out", str(tmp_path / "build"))
    assert code == 0 and "1 warning(s)" in out and "claim 'claim-tsmc-3nm-start' is used by this fact only" in err
    facts = {r["fact_id"]: r for r in _rows(tmp_path / "build", "facts")}
    assert facts["fx-december-rules-04"]["claim_id"] == "claim-tsmc-3nm-start"  # built as written
    assert facts["fx-december-rules-04"]["is_disputed"] is False


def test_a_claim_two_facts_share_gives_no_warning(data_dir, capsys):
    code, _, err = _run(data_dir, capsys, "validate")  # the fixture's claim-big-fund-iii-size links two facts
    assert code == 0 and "warning" not in err


def test_warnings_are_shown_beside_errors(data_dir, capsys):
    _edit(data_dir, DECEMBER, "  entities: [tsmc]\n", "  entities: [tsmc]\n  claim: claim-tsmc-3nm-start\n")
    _edit(data_dir, LATER, "  entities: [smic, huawei]\n", "  entities: [smic, huawei-tech]\n")
    code, _, err = _run(data_dir, capsys, "validate")
    assert code == 1
    assert "warning: data/sources/fx-december-rules.yml:74" in err and "unknown entity 'huawei-tech'" in err
    assert err.rstrip().endswith("1 problem(s) found; nothing was written.")


# --- merged entity ids ------------------------------------------------------------------------


def test_the_package_carries_the_replacements(package_dir):
    assert _rows(package_dir, "entity_replacements") == [{"old_id": "huawei-technologies", "entity_id": "huawei"}]
    assert check_package(package_dir) == []


def test_a_fact_naming_a_merged_id_resolves_to_the_entity_with_a_warning(data_dir, capsys, tmp_path):
    _edit(data_dir, LATER, "  entities: [smic, huawei]\n", "  entities: [smic, huawei-technologies]\n")
    _edit(data_dir, DECEMBER, "    company: tsmc\n", "    company: huawei-technologies\n")
    _edit(data_dir, "entities/smic-south.yml", "parent: smic\n", "parent: huawei-technologies\n")
    code, out, err = _run(data_dir, capsys, "build", "--out", str(tmp_path / "build"))
    assert code == 0, err
    assert (
        "warning: data/sources/fx-later-report.yml:40, record 'fx-later-report-02', field 'entities': "
        "entity 'huawei-technologies' was merged into 'huawei'"
    ) in err
    assert "field 'chip_node.company': entity 'huawei-technologies' was merged into 'huawei'" in err
    assert "record 'smic-south', field 'parent': entity 'huawei-technologies' was merged into 'huawei'" in err
    assert "3 warning(s)" in out
    out_dir = tmp_path / "build"
    facts = {r["fact_id"]: r for r in _rows(out_dir, "facts")}
    assert facts["fx-later-report-02"]["entity_ids"] == ["smic", "huawei"]
    assert facts["fx-december-rules-04"]["lane_entity_id"] == "huawei"
    nodes = {r["fact_id"]: r for r in _rows(out_dir, "chip_nodes")}
    assert nodes["fx-december-rules-04"]["company_id"] == "huawei"
    links = {(r["fact_id"], r["entity_id"], r["role"]) for r in _rows(out_dir, "fact_entities")}
    assert ("fx-later-report-02", "huawei", "entities") in links
    assert ("fx-december-rules-04", "huawei", "chip_node.company") in links
    assert not any(r["entity_id"] == "huawei-technologies" for r in _rows(out_dir, "fact_entities"))
    entities = {r["entity_id"]: r for r in _rows(out_dir, "entities")}
    assert entities["smic-south"]["parent_id"] == "huawei"
    assert entities["huawei"]["fact_count"] == 2  # fx-later-report-02 and, through its company, fx-december-rules-04
    assert check_package(out_dir) == []


def test_a_merged_id_and_the_new_one_on_one_fact_count_once(data_dir, capsys, tmp_path):
    _edit(data_dir, LATER, "  entities: [smic, huawei]\n", "  entities: [huawei-technologies, smic, huawei]\n")
    code, _, err = _run(data_dir, capsys, "build", "--out", str(tmp_path / "build"))
    assert code == 0, err
    facts = {r["fact_id"]: r for r in _rows(tmp_path / "build", "facts")}
    assert facts["fx-later-report-02"]["entity_ids"] == ["huawei", "smic"]


def test_an_old_id_that_is_still_an_entity_is_an_error(data_dir, capsys):
    _edit(data_dir, "entities/smic.yml", "aliases:", "replaces: [smic-south]\naliases:")
    code, _, err = _run(data_dir, capsys, "validate")
    assert code == 1
    assert (
        "data/entities/smic.yml:5, record 'smic', field 'replaces': 'smic-south' is still an entity "
        "(entities/smic-south.yml)"
    ) in err


def test_an_old_id_replaced_by_two_entities_is_an_error(data_dir, capsys):
    _edit(data_dir, "entities/tsmc.yml", "aliases:", "replaces: [huawei-technologies]\naliases:")
    code, _, err = _run(data_dir, capsys, "validate")
    assert code == 1
    assert "'huawei-technologies' is already replaced by 'huawei' (data/entities/huawei.yml)" in err


def test_an_entity_cannot_replace_itself(data_dir, capsys):
    _edit(data_dir, "entities/tsmc.yml", "aliases:", "replaces: [tsmc]\naliases:")
    code, _, err = _run(data_dir, capsys, "validate")
    assert code == 1 and "record 'tsmc', field 'replaces': an entity cannot replace itself" in err


def test_an_unknown_id_is_still_an_error(data_dir, capsys):
    _edit(data_dir, LATER, "  entities: [smic, huawei]\n", "  entities: [smic, huawei-tech]\n")
    code, _, err = _run(data_dir, capsys, "validate")
    assert code == 1 and "unknown entity 'huawei-tech'" in err


def test_the_check_catches_an_old_id_that_is_also_an_entity(package_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(package_dir.resolve(), broken)
    table = pa.Table.from_pylist(
        [{"old_id": "smic", "entity_id": "huawei"}], schema=pq.read_schema(broken / "entity_replacements.parquet")
    )
    pq.write_table(table, broken / "entity_replacements.parquet")
    assert any("entity_replacements.old_id: 1 value(s) that are still entities" in f for f in check_package(broken))
