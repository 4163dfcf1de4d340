"""One-off move of an annotation folder from the old layout to one file per source and per entity.

    python -m etl.migrate [DATA_DIR]        (default: data/)

Old: sources.yml (every source header), entities.yml (every entity), facts/*.yml (facts by
source, plus facts/thresholds.yml across sources). New (issue #12, data/ANNOTATING.md):
sources/<source id>.yml holds a source's header and every fact citing it (a fact's `source:`
is the file it is in, so the field goes), entities/<entity id>.yml holds one entity;
rates.yml and units.yml stay. Records keep every field and value; only their layout changes
(the canonical form of `etl fmt`). Nothing is written if the old files have a problem; the old
files are removed once the new ones are written and read back equal. Kept for branches that
still hold the old layout; `etl validate` names this command when it finds one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from etl.fmt import emit
from etl.load import ENTITIES, OLD_LAYOUT, SOURCES
from etl.problems import Problem
from etl.yamlio import Record, read_record, read_records


def _plan(root: Path) -> tuple[dict[Path, tuple[dict, str]], list[Problem]]:
    """New file -> (its data, its shape), from the old files."""
    problems: list[Problem] = []

    def read(path: Path) -> list[Record]:
        if not path.exists():
            return []
        records, more = read_records(path, str(path))
        problems.extend(more)
        return records

    sources = read(root / "sources.yml")
    entities = read(root / "entities.yml")
    fact_files = sorted((root / "facts").glob("*.yml"))
    facts = {path: read(path) for path in fact_files}
    plan: dict[Path, tuple[dict, str]] = {}
    headers: dict[str, dict] = {}
    for rec in sources:
        sid = rec.data.get("id")
        if not isinstance(sid, str) or sid in headers or (root / SOURCES / f"{sid}.yml").exists():
            problems.append(
                Problem(rec.file, rec.line, str(sid), "id", "missing, repeated or already migrated source id")
            )
            continue
        headers[sid] = dict(rec.data)
    cited: dict[str, list[dict]] = {sid: [] for sid in headers}
    # a source's own facts file first, then the others (thresholds.yml) in name order
    for path in sorted(fact_files, key=lambda p: (p.stem not in headers, p.name)):
        for rec in facts[path]:
            sid = rec.data.get("source")
            if sid not in cited:
                problems.append(
                    Problem(rec.file, rec.line, str(rec.data.get("id")), "source", f"unknown source {sid!r}")
                )
                continue
            cited[sid].append({k: v for k, v in rec.data.items() if k != "source"})
    for sid, header in headers.items():
        plan[root / SOURCES / f"{sid}.yml"] = (header | ({"facts": cited[sid]} if cited[sid] else {}), "source")
    for rec in entities:
        eid = rec.data.get("id")
        path = root / ENTITIES / f"{eid}.yml"
        if not isinstance(eid, str) or path in plan or path.exists():
            problems.append(
                Problem(rec.file, rec.line, str(eid), "id", "missing, repeated or already migrated entity id")
            )
            continue
        plan[path] = (dict(rec.data), "entity")
    return plan, problems


def migrate(root: Path) -> tuple[list[Path], list[Problem]]:
    """Write the new layout under root and remove the old files. Returns (files written, problems)."""
    root = Path(root)
    if not any((root / name).exists() for name in OLD_LAYOUT):
        return [], [Problem(str(root), None, None, None, "no old layout here (sources.yml, entities.yml, facts/)")]
    plan, problems = _plan(root)
    if problems:
        return [], problems
    (root / SOURCES).mkdir(exist_ok=True)
    (root / ENTITIES).mkdir(exist_ok=True)
    for path, (data, shape) in plan.items():
        path.write_text(emit(data, shape), encoding="utf-8")
    for path, (data, shape) in plan.items():  # read back: the same records, field for field
        record, facts, more = read_record(path, str(path), list_key="facts" if shape == "source" else None)
        expected = {k: v for k, v in data.items() if k != "facts"}
        if more or record is None or record.data != expected or [f.data for f in facts] != data.get("facts", []):
            return list(plan), more + [Problem(str(path), None, None, None, "read back differently; old files kept")]
    for name in ("sources.yml", "entities.yml"):
        (root / name).unlink(missing_ok=True)
    if (root / "facts").is_dir():
        for path in (root / "facts").glob("*.yml"):
            path.unlink()
        (root / "facts").rmdir()  # fails (and says so) if anything else was left in it
    return list(plan), []


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "data"
    written, problems = migrate(root)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        return 1
    sources = sum(1 for p in written if p.parent.name == SOURCES)
    print(
        f"migrated {root}: {sources} source files, {len(written) - sources} entity files; "
        "sources.yml, entities.yml and facts/ removed"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
