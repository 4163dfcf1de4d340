"""The package as pages see it: the read API (tracker/read.py) with its answers cached.

The connection is cached per resolved package directory and answers per build id, so a
rebuild (which re-points the package link) is picked up on the next rerun without
breaking a session that is still reading the previous version.
"""

from __future__ import annotations

import html
import logging
import os
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tracker import db, releases
from tracker.db import Package, PackageMissing, PackageUnreadable  # noqa: F401  (re-exported for pages)
from tracker.export import arrow_to_csv_bytes
from tracker.memo import Memo
from tracker.read import RELATED_WINDOW, Reader, Rows  # noqa: F401  (re-exported for pages)

log = logging.getLogger(__name__)


def package() -> Package:
    """The package as it is now: the local one (TRACKER_DATA_DIR), or with TRACKER_DATA_URL the release
    pulled last from object storage (tracker/releases.py, which looks for a newer one at most every
    TRACKER_RELEASE_CHECK_SECONDS). Raises PackageMissing when none is built or pulled, or it is damaged."""
    if releases.configured():
        return db.current_package(releases.local_release())
    return db.current_package()


def _store_identity(directory: str) -> tuple | None:
    """The store file as it is on disk now (None when it is gone): a file copied over it in place
    keeps its path and inode but not its size, mtime and ctime."""
    try:
        found = os.stat(Path(directory) / db.STORE)
    except OSError:
        return None
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


@dataclass(frozen=True)
class _Store:
    directory: str
    identity: tuple | None  # the file's identity when it was opened
    connection: duckdb.DuckDBPyConnection


def _unchanged(store: _Store) -> bool:
    """Asked before a kept connection is handed out: False opens the store again. A
    store that is gone (a rebuild removed its version) keeps its connection, which still reads it."""
    now = _store_identity(store.directory)
    return now is None or now == store.identity


_STORES = Memo(max_entries=4)  # one open store per package version (directory), shared by every session


def _open(directory: str) -> _Store:
    def opened() -> _Store:
        identity = _store_identity(directory)  # before opening: a file replaced meanwhile is opened again next time
        return _Store(directory, identity, db.connect(Path(directory)))

    store = _STORES.get(directory, opened)
    if not _unchanged(store):
        _STORES.discard(directory)
        store = _STORES.get(directory, opened)
    return store


def _connection(directory: str) -> duckdb.DuckDBPyConnection:
    """The connection to the package's store, cached per directory, and opened again when the store
    file was replaced in place (`cp other/tracker.duckdb live/`): the old connection would read the new
    file's blocks as if they were its own."""
    return _open(directory).connection


def store_connection(pkg: Package) -> duckdb.DuckDBPyConnection:
    """The connection a page run reads `pkg` through (a CSV button holds it: tracker/download.py)."""
    return _on_store(str(pkg.directory), lambda con: con)


# Errors that say a query or its arguments are wrong, not the store: raised as they are.
_QUERY_ERRORS = (
    duckdb.ParserException,
    duckdb.BinderException,
    duckdb.InvalidInputException,
    duckdb.DataError,
    duckdb.OutOfMemoryException,
    duckdb.InterruptException,
)


def _on_store(directory: str, call: Callable, connection: duckdb.DuckDBPyConnection | None = None):
    """call(connection) on the package's store (`connection` if given, else the cached one). When the
    store fails under it (a file replaced or damaged, a connection DuckDB invalidated) the cached
    connection is dropped and the call tried once more on a fresh one; when that fails too, the page
    says the package is damaged (PackageUnreadable) and the log says where and why."""
    try:
        return call(connection if connection is not None else _connection(directory))
    except _QUERY_ERRORS:
        raise
    except duckdb.Error as exc:
        log.warning("The store in %s failed (%s: %s); opening it again", directory, type(exc).__name__, exc)
        _STORES.discard(directory)
    try:
        return call(_connection(directory))
    except _QUERY_ERRORS:
        raise
    except duckdb.Error as exc:
        _STORES.discard(directory)
        log.error("The store in %s cannot be read: %s: %s", directory, type(exc).__name__, exc)
        raise db.PackageUnreadable(db.STORE_UNREADABLE) from exc


# One answer per package version and question, shared by every session, kept as the object itself (no
# pickling, and no hashing of its arguments' bytes on every rerun as Streamlit's caches did).
ANSWERS = Memo(max_entries=512)


def _own(value: Any) -> Any:
    """What a caller gets of a cached answer: a dict's or list's copy, a frame itself (a shallow copy
    cost a tenth of a millisecond per answer, a millisecond of every run). Pages never change a frame
    in place: they derive new ones (tests/app/test_rerun_work.py checks every page leaves the kept
    answers as they were)."""
    if isinstance(value, (dict, list)):
        return type(value)(value)
    if type(value) is tuple:
        return tuple(_own(part) for part in value)
    return value


# Which question a DataFrame answers, for the frames the reader hands out: a chart or table drawn from
# one is kept by the question (tracker.ui.SHOWN) instead of being made again on every rerun. Only that
# very object carries it: a frame derived from it (filtered, a column added) is a new object, drawn anew.
_ANSWERS: dict[int, tuple[weakref.ref, tuple]] = {}


def _answer(value: Any, question: tuple) -> Any:
    if type(value) is tuple:  # each frame of the answer by its place in it
        for place, part in enumerate(value):
            _answer(part, (*question, place))
    if isinstance(value, pd.DataFrame):
        at = id(value)

        def forget(_gone: weakref.ref) -> None:  # the frame is gone: its id may be reused
            _ANSWERS.pop(at, None)

        _ANSWERS[at] = (weakref.ref(value, forget), question)
    return value


def question_of(value: Any) -> tuple | None:
    """The (build, question) a frame from the reader answers; None for any other object."""
    entry = _ANSWERS.get(id(value))
    return entry[1] if entry is not None and entry[0]() is value else None


def reader(pkg: Package) -> Reader:
    """The read API over the package, its answers cached per build (tracker/read.py declares them), each
    computed on the store's connection and tried once more on a fresh one if the store fails under it."""
    directory = str(pkg.directory)
    read = Reader(store_connection(pkg))  # a store that cannot be opened says so (PackageUnreadable)

    def cache(key: tuple, compute: Callable[[], Any]) -> Any:
        def on(con: duckdb.DuckDBPyConnection) -> Any:
            read.con = con
            return compute()

        def answered() -> Any:  # the frames are known by their question from the moment they are kept
            return _answer(_on_store(directory, on), (pkg.build_id, key))

        return _own(ANSWERS.get((directory, pkg.build_id, key), answered))

    read._cache = cache
    return read


def csv_bytes(
    rows: Rows,
    columns: list[str],
    link: Callable[[str], str] | None = None,
    *,
    pkg: Package | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> bytes:
    """Every row of the view as the CSV download: run when the button is pressed, never cached. With
    `link`, a last column `fact_url` holds each fact's own link. With `pkg`, read through the store's
    connection (`connection`: the one the page was drawn from, which tracker/download.py holds so a
    rebuild cannot take the rows away), retried once on a fresh one if the store fails."""
    if pkg is None:
        table = rows.arrow()
    else:
        table = _on_store(str(pkg.directory), lambda con: replace(rows, reader=Reader(con)).arrow(), connection)
    table = table.select(columns)
    if link is not None and "fact_id" in table.column_names:
        prefix = link("")
        table = table.append_column(
            "fact_url", pc.binary_join_element_wise(pa.scalar(prefix), pc.cast(table["fact_id"], pa.string()), "")
        )
    return arrow_to_csv_bytes(table)


def cited_context(corpus_file: str, line: int, evidence: str, around: int = 2) -> list[tuple[int, str]]:
    """The cited line and its neighbours as escaped HTML, the evidence marked on the cited line;
    empty without a corpus."""
    from tracker import corpus

    return [
        (n, corpus.highlight(text, evidence) if n == line else html.escape(text))
        for n, text in corpus.context(corpus_file, line, around)
    ]


def cited_line_html(corpus_file: str, line: int, evidence: str) -> str | None:
    """The cited corpus line as escaped HTML with the evidence marked; None without a corpus."""
    from tracker import corpus

    text = corpus.cited_line(corpus_file, line)
    return None if text is None else corpus.highlight(text, evidence)
