"""Load the annotation folder into validated models, collecting every problem."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from etl.files import readable
from etl.models import Entity, Fact, Rate, Source
from etl.problems import Problem
from etl.yamlio import Record, read_document, read_record, read_records

M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded:
    """A validated record and where it came from."""

    model: Any  # the validated Source, Entity, Rate or Fact (one list of each in Annotations)
    record: Record


@dataclass
class Annotations:
    root: Path
    sources: list[Loaded] = field(default_factory=list)
    entities: list[Loaded] = field(default_factory=list)
    rates: list[Loaded] = field(default_factory=list)
    facts: list[Loaded] = field(default_factory=list)
    money_units: set[str] = field(default_factory=set)
    measure_units: set[str] = field(default_factory=set)
    files: list[Path] = field(default_factory=list)
    refused: dict[str, list[Record]] = field(default_factory=dict)  # file name -> records that failed validation

    @property
    def units(self) -> set[str]:
        return self.money_units | self.measure_units


def _plain_error(err: Mapping[str, Any]) -> tuple[str, str]:
    """Turn one pydantic error into (field path, message in plain words)."""
    loc = ".".join(str(p) for p in err["loc"] if not isinstance(p, int) or len(err["loc"]) == 1)
    kind = err["type"]
    if kind == "extra_forbidden":
        return loc, "unknown field (not part of the annotation format; see data/ANNOTATING.md)"
    if kind == "missing":
        return loc, "required field is missing"
    if kind == "literal_error":
        return loc, f"{err['input']!r} is not allowed; {err['msg'].replace('Input should be', 'use')}"
    msg = err["msg"].removeprefix("Value error, ")
    if "input" in err and kind not in ("value_error",) and not isinstance(err["input"], dict):
        shown = repr(err["input"])
        msg = f"{msg} (got {shown[:60] + '...' if len(shown) > 60 else shown})"
    return loc, msg


def _validate(records: list[Record], model: type[M]) -> tuple[list[Loaded], list[Problem]]:
    loaded, problems = [], []
    for rec in records:
        rid = rec.data.get("currency" if model is Rate else "id")
        rid = str(rid) if rid is not None else None
        try:
            loaded.append(Loaded(model.model_validate(rec.data), rec))
        except ValidationError as exc:
            for err in exc.errors():
                loc, msg = _plain_error(err)
                top = str(err["loc"][0]) if err["loc"] else None
                problems.append(Problem(rec.file, rec.line_of(top), rid, loc or None, msg))
    return loaded, problems


validate_records = _validate  # for records read elsewhere (etl/assist: drafts, proposals)


def _read_units(path: Path, label: str) -> tuple[set[str], set[str], list[Problem]]:
    doc, problems = read_document(path, label)
    if problems:
        return set(), set(), problems
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("money", []), list)
        or not isinstance(doc.get("measures", {}), dict)
        or not all(isinstance(u, str) for u in [*doc.get("money", []), *doc.get("measures", {})])
    ):
        return (
            set(),
            set(),
            [
                Problem(
                    label, None, None, None, "cannot read the unit list: expected `money: [...]` and `measures: {...}`"
                )
            ],
        )
    return set(map(str, doc.get("money", []))), set(map(str, doc.get("measures", {}))), []


PARALLEL_BYTES = 4_000_000  # below this, starting worker processes costs more than it saves

# Where the annotations live under the data folder (data/ANNOTATING.md describes them).
SOURCES, ENTITIES = "sources", "entities"
REFERENCE_FILES = ("rates.yml", "units.yml")  # small shared tables, edited rarely
# The layout before issue #12, and where its contents went.
OLD_LAYOUT = {
    "sources.yml": "source headers now live one per file, sources/<source id>.yml, with the facts citing them",
    "entities.yml": "entities now live one per file, entities/<entity id>.yml",
    "facts": "facts now live in the file of the source they cite, sources/<source id>.yml (thresholds.yml too)",
}
MIGRATE = "python -m etl.migrate"


def old_layout(root: Path, rel) -> list[Problem]:
    """An error for each file of the old layout still present, saying where its contents moved."""
    return [
        Problem(rel(root / name), None, None, None, f"old layout: {where}; move them with `{MIGRATE} {root}`")
        for name, where in OLD_LAYOUT.items()
        if (root / name).exists()
    ]


def annotation_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The source files and the entity files, in name order."""
    return sorted((root / SOURCES).glob("*.yml")), sorted((root / ENTITIES).glob("*.yml"))


def _empty(problems: list[Problem], label: str) -> list[Problem]:
    return problems or [Problem(label, None, None, None, "the file is empty; it should hold one record")]


def _named_for(record: Record, path: Path, folder: str, what: str) -> list[Problem]:
    rid = record.data.get("id")
    if isinstance(rid, str) and rid != path.stem:
        return [
            Problem(
                record.file,
                record.line_of("id"),
                rid,
                "id",
                f"the file of {what} {rid!r} must be named {folder}/{rid}.yml (a file is named for its id)",
            )
        ]
    return []


def _read_source(path: Path, label: str) -> tuple[list[Loaded], list[Loaded], list[Problem]]:
    """One source's file: its header and the facts citing it (in a worker process when there are many)."""
    header, fact_records, problems = read_record(path, label, list_key="facts")
    if header is None:
        return [], [], _empty(problems, label)
    source, more = _validate([header], Source)
    problems += more + _named_for(header, path, SOURCES, "source")
    cited = header.data.get("id") if isinstance(header.data.get("id"), str) else path.stem
    for rec in fact_records:
        if "source" in rec.data:
            problems.append(
                Problem(
                    label,
                    rec.line_of("source"),
                    str(rec.data.get("id")),
                    "source",
                    f"a fact cites the source of the file it is in ({cited!r}); remove this field "
                    "(a fact citing another source goes in that source's file)",
                )
            )
        rec.data["source"] = cited
    facts, more = _validate(fact_records, Fact)
    if not source:
        facts = []  # without a sound header they cannot be checked against it; their own problems are reported
    return source, facts, problems + more


def _read_entity(path: Path, label: str) -> tuple[list[Loaded], list[Loaded], list[Problem]]:
    record, _, problems = read_record(path, label)
    if record is None:
        return [], [], _empty(problems, label)
    entity, more = _validate([record], Entity)
    return entity, [], problems + more + _named_for(record, path, ENTITIES, "entity")


def _read_all(read, paths: list[Path], labels: list[str]):
    """read(path, label) over many files, on every core when there is enough to read."""
    workers = min(os.cpu_count() or 1, len(paths))
    if workers < 2 or sum(p.stat().st_size for p in paths) < PARALLEL_BYTES:
        return map(read, paths, labels)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(read, paths, labels, chunksize=max(1, len(paths) // (4 * workers))))


def names_under(root: Path) -> Callable[[Path], str]:
    """How problems name a file: relative to the annotation folder's parent (data/sources/x.yml)."""

    def rel(p: Path) -> str:
        try:
            return str(p.relative_to(root.parent))
        except ValueError:
            return str(p)

    return rel


def load_annotations(root: Path) -> tuple[Annotations, list[Problem]]:
    """Read sources/*.yml (headers and facts), entities/*.yml, rates.yml and units.yml under root."""
    root = Path(root)
    ann = Annotations(root=root)

    rel = names_under(root)

    problems = old_layout(root, rel)
    if problems:
        return ann, problems
    for name in REFERENCE_FILES:
        if not (root / name).exists():
            problems.append(Problem(rel(root / name), None, None, None, "file is missing"))
    source_files, entity_files = annotation_files(root)
    # only regular files inside root are read (etl/files.py): a FIFO, a device or a dangling link is a problem
    source_files, p = readable(source_files, root, rel)
    problems += p
    entity_files, p = readable(entity_files, root, rel)
    problems += p
    references, p = readable(
        [root / name for name in REFERENCE_FILES if (root / name).exists() or (root / name).is_symlink()], root, rel
    )
    problems += p
    for folder, files in ((SOURCES, source_files), (ENTITIES, entity_files)):
        if not files:
            problems.append(Problem(rel(root / folder), None, None, None, f"no files ({folder}/*.yml) found"))
        problems += [
            Problem(rel(p), None, None, None, "not read: annotation files end in .yml")
            for p in sorted((root / folder).glob("*.yaml"))
        ]
    ann.files = [root / name for name in REFERENCE_FILES] + source_files + entity_files
    if root / "units.yml" in references:
        ann.money_units, ann.measure_units, p = _read_units(root / "units.yml", rel(root / "units.yml"))
        problems += p
    if root / "rates.yml" in references:
        records, p = read_records(root / "rates.yml", rel(root / "rates.yml"))
        loaded, more = _validate(records, Rate)
        problems += p + more
        ann.rates.extend(loaded)
        kept = {id(item.record) for item in loaded}
        ann.refused["rates.yml"] = [r for r in records if id(r) not in kept]  # a fact using one says so
    for source, facts, p in _read_all(_read_source, source_files, [rel(f) for f in source_files]):
        ann.sources += source
        ann.facts += facts
        problems += p
    for entity, _, p in _read_all(_read_entity, entity_files, [rel(f) for f in entity_files]):
        ann.entities += entity
        problems += p
    return ann, problems
