"""Cached wrappers over the queries: the only data module pages import.

The connection is cached per resolved package directory and results per build id, so a
rebuild (which re-points the package link) is picked up on the next rerun without
breaking a session that is still reading the previous version.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from tracker import db, queries
from tracker.db import Package, PackageMissing  # noqa: F401  (re-exported for pages)
from tracker.filters import Filters


def package() -> Package:
    """The package as it is now. Raises PackageMissing when none is built."""
    return db.current_package()


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(directory: str):
    return db.connect(Path(directory))


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(directory: str, build_id: str, query: str, args: tuple) -> pd.DataFrame:
    return getattr(queries, query)(_connection(directory), *args)


def _run(pkg: Package, query: str, *args) -> pd.DataFrame:
    return _cached(str(pkg.directory), pkg.build_id, query, args)


def facts(pkg: Package, filters: Filters) -> pd.DataFrame:
    return _run(pkg, "facts", filters)


def counts_by_kind(pkg: Package, filters: Filters) -> pd.DataFrame:
    return _run(pkg, "counts_by_kind", filters)


def chip_nodes(pkg: Package, filters: Filters) -> pd.DataFrame:
    return _run(pkg, "chip_nodes", filters)


def chip_metrics(pkg: Package) -> pd.DataFrame:
    return _run(pkg, "chip_metrics")


def thresholds(pkg: Package, parameter: str | None = None) -> pd.DataFrame:
    return _run(pkg, "thresholds", parameter)


def funding(pkg: Package, filters: Filters, funding_types: tuple[str, ...] = ()) -> pd.DataFrame:
    return _run(pkg, "funding", filters, tuple(funding_types))


def funding_totals(pkg: Package, filters: Filters, group_by: str, funding_types: tuple[str, ...] = ()) -> pd.DataFrame:
    return _run(pkg, "funding_totals", filters, group_by, tuple(funding_types))


def country_options(pkg: Package) -> pd.DataFrame:
    return _run(pkg, "country_options")


def entities_matching(pkg: Package, search: str | None) -> pd.DataFrame:
    return _run(pkg, "entities_matching", search)


def facts_of_entity(pkg: Package, entity_id: str) -> pd.DataFrame:
    return _run(pkg, "facts_of_entity", entity_id)


def related_entities(pkg: Package, entity_id: str) -> pd.DataFrame:
    return _run(pkg, "related_entities", entity_id)


def sources(pkg: Package, filters: Filters) -> pd.DataFrame:
    return _run(pkg, "sources", filters)


def facts_of_source(pkg: Package, source_id: str) -> pd.DataFrame:
    return _run(pkg, "facts_of_source", source_id)


def cited_line_html(corpus_file: str, line: int, evidence: str) -> str | None:
    """The cited corpus line as escaped HTML with the evidence marked; None without a corpus."""
    from tracker import corpus

    text = corpus.cited_line(corpus_file, line)
    return None if text is None else corpus.highlight(text, evidence)
