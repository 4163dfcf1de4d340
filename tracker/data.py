"""Cached wrappers over the queries: the only data module pages import.

The connection is cached per resolved package directory and results per build id, so a
rebuild (which re-points the package link) is picked up on the next rerun without
breaking a session that is still reading the previous version.
"""
from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from tracker import db, queries
from tracker.db import Package, PackageMissing  # noqa: F401  (re-exported for pages)
from tracker.queries import RELATED_WINDOW  # noqa: F401  (re-exported for pages)
from tracker.export import arrow_to_csv_bytes


def build_date(pkg: Package) -> dt.date:
    """The day the package was built: what "latest" and "ahead" are measured against."""
    try:
        return dt.datetime.fromisoformat(pkg.manifest["built_at"]).date()
    except (KeyError, TypeError, ValueError):
        return dt.date.today()


def package() -> Package:
    """The package as it is now. Raises PackageMissing when none is built."""
    return db.current_package()


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(directory: str):
    return db.connect(Path(directory))


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(directory: str, build_id: str, query: str, args: tuple, kwargs: tuple):
    return getattr(queries, query)(_connection(directory), *args, **dict(kwargs))


def get(pkg: Package, query: str, *args, **kwargs):
    """The result of tracker.queries.<query>(connection, *args, **kwargs), cached per build."""
    return _cached(str(pkg.directory), pkg.build_id, query, args, tuple(sorted(kwargs.items())))


@dataclass(frozen=True)
class Table:
    """A table people page through: queries.<rows>(..., limit, offset) and queries.<rows>_count(...)."""

    rows: str
    args: tuple = ()
    kwargs: tuple = ()  # sorted (name, value) pairs
    sort: str | None = None  # one of queries.SORTS[rows], applied in DuckDB before paging

    @property
    def sorts(self) -> dict[str, str]:
        """The orders this table offers, key -> label; the first is its default."""
        return queries.SORTS.get(self.rows, {})

    def sorted_by(self, sort: str | None) -> Table:
        return replace(self, sort=sort if sort in self.sorts else None)

    def _order(self) -> dict:
        return {"sort": self.sort} if self.sort else {}

    def count(self, pkg: Package) -> int:
        return get(pkg, f"{self.rows}_count", *self.args, **dict(self.kwargs))

    def page(self, pkg: Package, limit: int, offset: int) -> pd.DataFrame:
        return get(pkg, self.rows, *self.args, limit=limit, offset=offset, **dict(self.kwargs), **self._order())

    def csv(self, pkg: Package, columns: list[str], link: Callable[[str], str] | None = None) -> bytes:
        """Every row, as the CSV download: run when the button is pressed, never cached. With `link`,
        a last column `fact_url` holds each fact's own link."""
        table = getattr(queries, self.rows)(_connection(str(pkg.directory)), *self.args, arrow=True,
                                            **dict(self.kwargs), **self._order()).select(columns)
        if link is not None and "fact_id" in table.column_names:
            prefix = link("")
            table = table.append_column("fact_url", pc.binary_join_element_wise(
                pa.scalar(prefix), pc.cast(table["fact_id"], pa.string()), ""))
        return arrow_to_csv_bytes(table)


def table(rows: str, *args, **kwargs) -> Table:
    return Table(rows, args, tuple(sorted(kwargs.items())))


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
