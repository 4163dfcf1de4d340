"""The package as pages see it: the read API (tracker/read.py) with its answers cached.

The connection is cached per resolved package directory and answers per build id, so a
rebuild (which re-points the package link) is picked up on the next rerun without
breaking a session that is still reading the previous version.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from tracker import db
from tracker.db import Package, PackageMissing  # noqa: F401  (re-exported for pages)
from tracker.export import arrow_to_csv_bytes
from tracker.read import RELATED_WINDOW, Reader, Rows  # noqa: F401  (re-exported for pages)


def package() -> Package:
    """The package as it is now. Raises PackageMissing when none is built."""
    return db.current_package()


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(directory: str):
    return db.connect(Path(directory))


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(directory: str, build_id: str, key: tuple, _compute: Callable[[], Any]) -> Any:
    return _compute()


def reader(pkg: Package) -> Reader:
    """The read API over the package, its answers cached per build (tracker/read.py declares them)."""
    directory = str(pkg.directory)
    return Reader(_connection(directory), cache=lambda key, compute: _cached(directory, pkg.build_id, key, compute))


def csv_bytes(rows: Rows, columns: list[str], link: Callable[[str], str] | None = None) -> bytes:
    """Every row of the view as the CSV download: run when the button is pressed, never cached. With
    `link`, a last column `fact_url` holds each fact's own link."""
    table = rows.arrow().select(columns)
    if link is not None and "fact_id" in table.column_names:
        prefix = link("")
        table = table.append_column("fact_url", pc.binary_join_element_wise(
            pa.scalar(prefix), pc.cast(table["fact_id"], pa.string()), ""))
    return arrow_to_csv_bytes(table)


def cited_context(corpus_file: str, line: int, evidence: str, around: int = 2) -> list[tuple[int, str]]:
    """The cited line and its neighbours as escaped HTML, the evidence marked on the cited line;
    empty without a corpus."""
    from tracker import corpus

    return [(n, corpus.highlight(text, evidence) if n == line else html.escape(text))
            for n, text in corpus.context(corpus_file, line, around)]


def cited_line_html(corpus_file: str, line: int, evidence: str) -> str | None:
    """The cited corpus line as escaped HTML with the evidence marked; None without a corpus."""
    from tracker import corpus

    text = corpus.cited_line(corpus_file, line)
    return None if text is None else corpus.highlight(text, evidence)
