"""Load the annotation folder into validated models, collecting every problem."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from etl.files import UnsafeFile, read_text, readable
from etl.models import Entity, Fact, Rate, Source
from etl.problems import Problem
from etl.yamlio import Record, read_records

M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded:
    """A validated record and where it came from."""

    model: BaseModel
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


def _plain_error(err: dict) -> tuple[str, str]:
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


def _read_units(path: Path, label: str) -> tuple[set[str], set[str], list[Problem]]:
    try:
        doc = yaml.safe_load(read_text(path)) or {}
        return set(doc.get("money", [])), set(doc.get("measures", {})), []
    except (OSError, UnsafeFile, UnicodeDecodeError, yaml.YAMLError, AttributeError, TypeError) as exc:
        return set(), set(), [Problem(label, None, None, None, f"cannot read the unit list: {exc}")]


PARALLEL_BYTES = 4_000_000  # below this, starting worker processes costs more than it saves


def _read_facts(path: Path, label: str) -> tuple[list[Loaded], list[Problem]]:
    """One facts file read and validated (in a worker process when there are many)."""
    records, problems = read_records(path, label)
    loaded, more = _validate(records, Fact)
    return loaded, problems + more


def _read_all(paths: list[Path], labels: list[str]):
    """_read_facts over many files, on every core when there is enough to read."""
    workers = min(os.cpu_count() or 1, len(paths))
    if workers < 2 or sum(p.stat().st_size for p in paths) < PARALLEL_BYTES:
        return map(_read_facts, paths, labels)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_read_facts, paths, labels, chunksize=max(1, len(paths) // (4 * workers))))


def load_annotations(root: Path) -> tuple[Annotations, list[Problem]]:
    """Read sources, entities, rates, units and facts/*.yml under root."""
    root = Path(root)
    ann = Annotations(root=root)
    problems: list[Problem] = []

    def rel(p: Path) -> str:
        try:
            return str(p.relative_to(root.parent))
        except ValueError:
            return str(p)

    # only regular files inside root are read (etl/files.py): a FIFO, a device or a dangling link is a problem
    usable, p = readable([root / n for n in ("sources.yml", "entities.yml", "rates.yml", "units.yml")], root, rel)
    problems += p
    if root / "units.yml" in usable:
        ann.money_units, ann.measure_units, p = _read_units(root / "units.yml", rel(root / "units.yml"))
        problems += p
    fact_files, p = readable(sorted((root / "facts").glob("*.yml")), root, rel)
    problems += p
    ann.files = [root / n for n in ("sources.yml", "entities.yml", "rates.yml", "units.yml")] + fact_files
    for name, model, target in (
        ("sources.yml", Source, ann.sources),
        ("entities.yml", Entity, ann.entities),
        ("rates.yml", Rate, ann.rates),
    ):
        path = root / name
        if path not in usable:
            continue
        records, p = read_records(path, rel(path))
        problems += p
        loaded, p = _validate(records, model)
        problems += p
        target.extend(loaded)
        kept = {id(item.record) for item in loaded}
        ann.refused[name] = [r for r in records if id(r) not in kept]
    if not fact_files:
        problems.append(Problem(rel(root / "facts"), None, None, None, "no fact files (facts/*.yml) found"))
    for loaded, p in _read_all(fact_files, [rel(f) for f in fact_files]):
        problems += p
        ann.facts.extend(loaded)
    return ann, problems
