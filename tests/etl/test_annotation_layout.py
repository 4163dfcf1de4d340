"""Issue #12: one file per source (its header and its facts) and one file per entity.

The old layout (sources.yml, entities.yml, facts/*.yml) is refused with where things moved,
and `python -m etl.migrate` turns it into the new one without changing a record.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import yaml

from etl.cli import main
from etl.migrate import main as migrate_main
from tests.conftest import FIXTURE_CORPUS, FIXTURE_DATA


def _validate(data: Path, capsys, corpus: Path = FIXTURE_CORPUS) -> tuple[int, str, str]:
    code = main(["--data", str(data), "--corpus", str(corpus), "validate"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _old_layout(target: Path) -> None:
    """The fixture written as annotators left it before issue #12: one list per kind of record,
    facts grouped in files as the annotator liked (threshold facts in a file of their own)."""
    sources, entities, by_file = [], [], {}
    for path in sorted((FIXTURE_DATA / "sources").glob("*.yml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        for fact in record.pop("facts", []):
            name = "thresholds.yml" if fact["kind"] == "threshold" else "fixture.yml"
            by_file.setdefault(name, []).append(fact | {"source": record["id"]})
        sources.append(record)
    for path in sorted((FIXTURE_DATA / "entities").glob("*.yml")):
        entities.append(yaml.safe_load(path.read_text(encoding="utf-8")))
    (target / "facts").mkdir(parents=True)
    dump = lambda obj: yaml.safe_dump(obj, allow_unicode=True, sort_keys=True, default_flow_style=False)  # noqa: E731
    (target / "sources.yml").write_text("# Source registry.\n" + dump(sources), encoding="utf-8")
    (target / "entities.yml").write_text(dump(entities), encoding="utf-8")
    for name, facts in by_file.items():
        (target / "facts" / name).write_text(dump(facts), encoding="utf-8")
    for name in ("rates.yml", "units.yml"):
        shutil.copy(FIXTURE_DATA / name, target / name)


def test_each_source_file_holds_its_header_and_the_facts_citing_it():
    for path in (FIXTURE_DATA / "sources").glob("*.yml"):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert record["id"] == path.stem
        assert all("source" not in fact for fact in record.get("facts", []))
    assert sorted(p.stem for p in (FIXTURE_DATA / "entities").glob("*.yml")) == [
        "big-fund",
        "huawei",
        "smic",
        "smic-south",
        "tsmc",
        "us-bis",
    ]


def test_old_layout_is_refused_saying_where_things_moved(tmp_path, capsys):
    data = tmp_path / "data"
    _old_layout(data)
    code, _, err = _validate(data, capsys)
    assert code == 1
    assert "error: data/sources.yml: old layout: source headers now live one per file, sources/<source id>.yml" in err
    assert "error: data/entities.yml: old layout: entities now live one per file, entities/<entity id>.yml" in err
    assert "error: data/facts: old layout: facts now live in the file of the source they cite" in err
    assert f"python -m etl.migrate {data}" in err
    assert main(["--data", str(data), "fmt", "--check"]) == 1
    assert "old layout" in capsys.readouterr().err


def test_a_leftover_old_file_beside_the_new_layout_is_refused(data_dir, capsys):
    (data_dir / "entities.yml").write_text("- {id: nvidia, name: Nvidia, type: company}\n")
    code, _, err = _validate(data_dir, capsys)
    assert code == 1 and "data/entities.yml: old layout" in err


def test_migration_gives_the_fixture_records_in_canonical_form(tmp_path, capsys):
    """Old layout in: the committed fixture out, every record field for field, every file canonical;
    a source's facts in the order of its own old file, then those from other files (thresholds.yml)."""
    data = tmp_path / "data"
    _old_layout(data)
    assert migrate_main([str(data)]) == 0
    assert "migrated" in capsys.readouterr().out
    assert (
        not (data / "sources.yml").exists() and not (data / "entities.yml").exists() and not (data / "facts").exists()
    )
    entities = {p.name: p.read_text(encoding="utf-8") for p in (data / "entities").glob("*.yml")}
    assert entities == {p.name: p.read_text(encoding="utf-8") for p in (FIXTURE_DATA / "entities").glob("*.yml")}
    for path in (FIXTURE_DATA / "sources").glob("*.yml"):
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))
        made = yaml.safe_load((data / "sources" / path.name).read_text(encoding="utf-8"))
        kinds = [f["kind"] for f in made.get("facts", [])]
        assert "threshold" not in kinds or kinds.index("threshold") == len(kinds) - 1  # from thresholds.yml: last
        for record in (made, expected):
            record["facts"] = sorted(record.get("facts", []), key=lambda f: f["id"])
        assert made == expected, path.name
    assert main(["--data", str(data), "fmt", "--check"]) == 0
    code, out, _ = _validate(data, capsys)
    assert code == 0 and "ok: 9 facts, 2 sources, 6 entities" in out


def test_migration_writes_nothing_when_a_fact_cites_an_unknown_source(tmp_path, capsys):
    data = tmp_path / "data"
    _old_layout(data)
    facts = data / "facts" / "fixture.yml"
    facts.write_text(facts.read_text().replace("source: fx-later-report", "source: fx-nowhere", 1))
    assert migrate_main([str(data)]) == 1
    assert "unknown source 'fx-nowhere'" in capsys.readouterr().err
    assert (data / "sources.yml").exists() and not (data / "sources").exists()


def test_a_source_without_facts_is_a_header_alone(data_dir, capsys):
    (data_dir / "sources" / "fx-empty-brief.yml").write_text(
        "id: fx-empty-brief\ntitle: A brief with nothing annotated yet\npublisher: Fixture Weekly\n"
        "doc_type: other\ncorpus_file: fixture.txt\nline_start: 10\nline_end: 10\nfacts:\n"
    )
    code, out, err = _validate(data_dir, capsys)
    assert code == 0, err
    assert "ok: 9 facts, 3 sources, 6 entities" in out


def test_a_yaml_file_that_would_be_skipped_is_reported(data_dir, capsys):
    (data_dir / "entities" / "nvidia.yaml").write_text("id: nvidia\nname: Nvidia\ntype: company\n")
    code, _, err = _validate(data_dir, capsys)
    assert code == 1 and "data/entities/nvidia.yaml: not read: annotation files end in .yml" in err


def test_an_empty_file_is_reported(data_dir, capsys):
    (data_dir / "entities" / "nvidia.yml").write_text("# to do\n")
    code, _, err = _validate(data_dir, capsys)
    assert code == 1 and "data/entities/nvidia.yml: the file is empty; it should hold one record" in err


def test_facts_of_a_source_with_a_broken_header_are_still_checked(data_dir, capsys):
    path = data_dir / "sources" / "fx-later-report.yml"
    path.write_text(path.read_text().replace("publisher: Fixture News\n", "").replace("kind: event", "kind: happening"))
    code, _, err = _validate(data_dir, capsys)
    assert code == 1
    assert "record 'fx-later-report', field 'publisher': required field is missing" in err
    assert "record 'fx-later-report-03', field 'kind'" in err
    assert "unknown source" not in err  # its facts are not reported again for want of their header


def test_synthetic_annotations_are_written_in_the_layout_and_build(tmp_path, capsys):
    from bench import synth

    syn = synth.records(400, seed=5)
    synth.write_annotations(syn, tmp_path / "data", tmp_path / "corpus")
    data = tmp_path / "data"
    assert not (data / "sources.yml").exists() and not (data / "facts").exists()
    assert len(list((data / "sources").glob("*.yml"))) == len(syn.sources)
    assert len(list((data / "entities").glob("*.yml"))) == len(syn.entities)
    out = tmp_path / "build"
    assert main(["--data", str(data), "--corpus", str(tmp_path / "corpus"), "build", "--out", str(out)]) == 0, (
        capsys.readouterr().err
    )
    assert pq.read_metadata(out / "facts.parquet").num_rows == 400
