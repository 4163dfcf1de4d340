"""Validate the annotations and publish the Parquet package atomically.

Layout: OUT is a symlink to `.OUT.versions/<build_id>/`. A build writes a new version
directory beside the others and then swaps the link in one `os.replace` (etl/versions.py), so a
reader sees either the old package or the new one, never a half-written one.
A killed build's staging directory is removed by the next build (etl/staging.py).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from contract import LAYOUT_VERSION, MANIFEST, SCHEMA_VERSION
from etl.evidence import Corpus, verify_evidence
from etl.files import read_bytes
from etl.integrity import check_integrity
from etl.load import Annotations, load_annotations
from etl.problems import AnnotationErrors, Problem, ordered
from etl.schema import TABLES
from etl.staging import stage
from etl.store import code_digest, write_store
from etl.tables import build_rows
from etl.versions import swap_in, versions_of


@dataclass
class Validation:
    annotations: Annotations
    problems: list[Problem]  # errors: nothing is built while there is one
    corpus: Corpus | None
    warnings: list[Problem] = field(default_factory=list)  # reported; the build goes ahead

    @property
    def corpus_verified(self) -> bool:
        return self.corpus is not None and not self.problems


def validate(data_dir: Path, corpus_dir: Path | None) -> Validation:
    ann, problems = load_annotations(data_dir)
    problems += check_integrity(ann)
    corpus = None
    if corpus_dir is not None:
        corpus = Corpus(corpus_dir)
        problems += verify_evidence(ann, corpus)
    found = ordered(problems)
    return Validation(ann, [p for p in found if not p.is_warning], corpus, [p for p in found if p.is_warning])


def _sha256(path: Path) -> str:
    return hashlib.sha256(read_bytes(path)).hexdigest()


def _built_at() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return when.replace(microsecond=0).isoformat()


def _write_tables(rows: dict[str, list[dict]], target: Path) -> dict[str, int]:
    counts = {}
    for name, schema in TABLES.items():
        table = pa.Table.from_pylist(rows.get(name, []), schema=schema)
        pq.write_table(table, target / f"{name}.parquet", compression="zstd", write_statistics=True)
        counts[name] = table.num_rows
    return counts


@contextmanager
def no_cyclic_gc():
    """A build allocates millions of small objects and frees almost none until it ends; the
    cyclic garbage collector would rescan them all again and again (a fifth of the time at
    100k facts) to find nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(data_dir: Path, out: Path, corpus_dir: Path | None) -> dict:
    """Build the package into `out`. Raises AnnotationErrors and leaves `out` untouched on error."""
    with no_cyclic_gc():
        return publish(validate(data_dir, corpus_dir), data_dir, out)


def publish(result: Validation, data_dir: Path, out: Path) -> dict:
    """Write a validated annotation set as the package `out` (`python -m etl build` reports the
    warnings of `result` first). Raises AnnotationErrors if it holds errors."""
    if result.problems:
        raise AnnotationErrors(result.problems)
    ann = result.annotations
    inputs = {str(p.relative_to(data_dir.parent)): _sha256(p) for p in ann.files if p.exists()}
    corpus_files = dict(sorted(result.corpus.hashes.items())) if result.corpus else {}
    digest = hashlib.sha256(
        json.dumps([SCHEMA_VERSION, LAYOUT_VERSION, code_digest(), inputs, corpus_files], sort_keys=True).encode()
    )
    build_id = digest.hexdigest()[:16]

    return publish_rows(
        build_rows(ann),
        Path(out),
        build_id,
        inputs,
        {
            "verified": result.corpus_verified,
            "directory": str(result.corpus.directory) if result.corpus else None,
            "files": corpus_files,
        },
    )


def publish_rows(rows: dict[str, list[dict]], out: Path, build_id: str, inputs: dict, corpus: dict) -> dict:
    """Write the rows as a package version beside `out` and swap `out` to it atomically."""
    out = Path(out).absolute()
    versions = versions_of(out)
    versions.mkdir(parents=True, exist_ok=True)
    held = stage(versions)  # also removes the staging leftovers of builds that died (etl/staging.py)
    staging = held.path
    try:
        counts = _write_tables(rows, staging)
        write_store(staging)
        manifest = {
            "build_id": build_id,
            "built_at": _built_at(),
            "schema_version": SCHEMA_VERSION,
            "layout": LAYOUT_VERSION,
            "row_counts": counts,
            "inputs": inputs,
            "corpus": corpus,
            "disputed_claims": len({r["claim_id"] for r in rows["facts"] if r["is_disputed"]}),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        swap_in(staging, out, build_id)
    finally:
        held.release()
    return manifest
