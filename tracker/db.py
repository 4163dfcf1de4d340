"""Open a data package: one DuckDB connection with a view per Parquet table.

A package the app cannot use (none built, built by other code, a damaged manifest or store) raises
PackageMissing with a message for visitors: what is wrong and what to run, never where the package
lives on the server. The log gets the path."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError, field_validator

from contract import LAYOUT_VERSION, MANIFEST, STORE, SUMMARIES, TABLES
from tracker.memo import Memo

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT / "data" / "build"
MACROS = Path(__file__).parent / "sql" / "_macros.sql"
log = logging.getLogger(__name__)

REBUILD = (
    "Rebuild it with `python -m etl build` (or restart the app with `bash scripts/run.sh`, which rebuilds "
    "it), then reload this page."
)
NOT_BUILT = (
    "There is no data package to show yet. Build it with `python -m etl build` (or start the app with "
    "`bash scripts/run.sh`, which builds it), then reload this page."
)
OTHER_CODE = "The data package was built by another version of the code. " + REBUILD
STORE_UNREADABLE = f"The data package is damaged: its data store ({STORE}) cannot be read. " + REBUILD


class PackageMissing(Exception):
    """There is no usable package where the app looks for one: none is built, it was built by other
    code, or it is damaged. str() is the message for visitors (no server path in it)."""


class PackageUnreadable(PackageMissing):
    """The package is there but damaged: its manifest or its store cannot be read."""


class CorpusInfo(BaseModel):
    model_config = ConfigDict(extra="allow")
    verified: StrictBool


class Manifest(BaseModel):
    """What the app reads from manifest.json (etl/build.py writes it), checked in one place; the
    file's other fields are kept as they are."""

    model_config = ConfigDict(extra="allow")
    # it names CSV files and is printed in citations: plain characters only
    build_id: StrictStr = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,63}$")
    built_at: StrictStr
    layout: StrictInt | StrictStr  # contract.LAYOUT_VERSION of the code that built it (a string before layout 4)
    row_counts: dict[str, StrictInt]
    corpus: CorpusInfo

    @field_validator("built_at")
    @classmethod
    def _a_time(cls, value: str) -> str:
        dt.datetime.fromisoformat(value)  # a ValueError says "not a date and time"
        return value

    @field_validator("row_counts")
    @classmethod
    def _every_table(cls, value: dict[str, int]) -> dict[str, int]:
        missing = [t for t in TABLES if t not in value]
        if missing:
            raise ValueError(f"no count for {', '.join(missing)}")
        if any(n < 0 for n in value.values()):
            raise ValueError("a negative count")
        return value


def _field(loc: tuple) -> str:
    """A manifest field as `row_counts.sources`: our own names, at most two levels, nothing else."""
    loc = tuple(part for part in loc if part not in ("int", "str"))  # the branches of a union (layout) are one field
    return ".".join(re.sub(r"[^A-Za-z0-9_]", "", str(part))[:40] for part in loc[:2]) or "?"


def _listing(names: list[str]) -> str:
    """`a`, `b` and `c`."""
    quoted = [f"`{n}`" for n in dict.fromkeys(names)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def manifest_problem(error: ValidationError) -> str:
    """What is wrong with a manifest, in words: "lacks `build_id` and `layout`"."""
    errors = error.errors()
    if any(e["loc"] == () for e in errors):
        return "is not a JSON object"
    missing = [_field(e["loc"]) for e in errors if e["type"] == "missing"]
    wrong = list(dict.fromkeys(_field(e["loc"]) for e in errors if e["type"] != "missing"))
    parts = ([f"lacks {_listing(missing)}"] if missing else []) + ([f"has a wrong {_listing(wrong)}"] if wrong else [])
    return " and ".join(parts) or "is not what the app expects"


def read_manifest(path: Path) -> dict:
    """The manifest at `path`, checked; PackageUnreadable names what is wrong (the log, where)."""

    def damaged(problem: str, detail: object) -> PackageUnreadable:
        log.error("The data package manifest %s %s: %s", path, problem, detail)
        return PackageUnreadable(f"The data package is damaged: its manifest ({MANIFEST}) {problem}. " + REBUILD)

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise damaged("cannot be read", exc) from None
    try:
        found = json.loads(text)
    except ValueError as exc:
        raise damaged("is not valid JSON", exc) from None
    try:
        Manifest.model_validate(found)
    except ValidationError as exc:
        raise damaged(manifest_problem(exc), exc) from None
    return found


_MANIFESTS = Memo(max_entries=16)  # each manifest file read and checked once per version of it


def _checked_manifest(path: Path) -> dict:
    """read_manifest, once per version of the file (its inode, size and mtime): every page run looks
    up the package, and reading and checking the manifest again cost each run half a millisecond. A
    damaged manifest is not kept: it is read again, and named, on every run."""
    try:
        found = path.stat()
    except OSError:
        return read_manifest(path)  # names the problem
    return _MANIFESTS.get((str(path), found.st_ino, found.st_size, found.st_mtime_ns), lambda: read_manifest(path))


@dataclass(frozen=True)
class Package:
    directory: Path  # resolved: a rebuild re-points the link, this stays on one version
    manifest: dict  # checked by Manifest: build_id, built_at, layout, row_counts and corpus.verified are there

    @property
    def build_id(self) -> str:
        return self.manifest["build_id"]

    @property
    def built_on(self) -> dt.date:
        """The day the package was built: what "latest" and "ahead" are measured against."""
        try:
            return dt.datetime.fromisoformat(self.manifest["built_at"]).date()
        except (KeyError, TypeError, ValueError):
            return dt.date.today()


def data_dir() -> Path:
    return Path(os.environ.get("TRACKER_DATA_DIR") or DEFAULT_DATA_DIR)


def current_package(directory: Path | None = None) -> Package:
    """Resolve the package link now, so one page run reads one consistent version."""
    base = Path(directory) if directory else data_dir()
    resolved = base.resolve()
    manifest = resolved / MANIFEST
    if not manifest.is_file():
        log.warning("No data package at %s. Build it with: python -m etl build --out %s", base, base)
        raise PackageMissing(NOT_BUILT)
    found = _checked_manifest(manifest)
    if not (resolved / STORE).is_file() or found["layout"] != LAYOUT_VERSION:
        log.warning(
            "The package at %s (%s) was built by another version of the code (it has no %s of this "
            "version's layout). Rebuild it with: python -m etl build --out %s",
            base,
            resolved,
            STORE,
            base,
        )
        raise PackageMissing(OTHER_CODE)
    return Package(resolved, found)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


MEMORY_LIMIT = os.environ.get("TRACKER_DUCKDB_MEMORY", "512MB")


def connect(directory: Path) -> duckdb.DuckDBPyConnection:
    """The package's tables and the query macros on one connection; use .cursor() per query.

    The tables come from the package's read-only DuckDB store (etl/store.py), attached to an
    in-memory database that holds only the macros. Names below come from a fixed list and
    the path from the resolved package, never from users.
    """
    store = Path(directory) / STORE
    con = duckdb.connect(":memory:", config={"memory_limit": MEMORY_LIMIT})
    con.execute(f"attach {_literal(store)} as pkg (read_only)")
    stored = {
        r[0] for r in con.execute("select table_name from duckdb_tables() where database_name = 'pkg'").fetchall()
    }
    for name in sorted(stored & set(TABLES + SUMMARIES)):
        con.execute(f"create view {name} as select * from pkg.main.{name}")
    con.execute(MACROS.read_text())
    return con
