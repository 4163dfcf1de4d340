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


def _con(pkg: Package):
    return _connection(str(pkg.directory))


@st.cache_data(max_entries=128, show_spinner=False)
def _facts(directory: str, build_id: str, filters: Filters) -> pd.DataFrame:
    return queries.facts(_connection(directory), filters)


@st.cache_data(max_entries=128, show_spinner=False)
def _chip_nodes(directory: str, build_id: str, filters: Filters) -> pd.DataFrame:
    return queries.chip_nodes(_connection(directory), filters)


@st.cache_data(max_entries=16, show_spinner=False)
def _thresholds(directory: str, build_id: str) -> pd.DataFrame:
    return queries.thresholds(_connection(directory))


@st.cache_data(max_entries=128, show_spinner=False)
def _funding(directory: str, build_id: str, filters: Filters) -> pd.DataFrame:
    return queries.funding(_connection(directory), filters)


@st.cache_data(max_entries=16, show_spinner=False)
def _entity_options(directory: str, build_id: str) -> pd.DataFrame:
    return queries.entity_options(_connection(directory))


@st.cache_data(max_entries=128, show_spinner=False)
def _entities_matching(directory: str, build_id: str, search: str | None) -> pd.DataFrame:
    return queries.entities_matching(_connection(directory), search)


@st.cache_data(max_entries=128, show_spinner=False)
def _sources(directory: str, build_id: str, filters: Filters) -> pd.DataFrame:
    return queries.sources(_connection(directory), filters)


@st.cache_data(max_entries=128, show_spinner=False)
def _counts_by_kind(directory: str, build_id: str, filters: Filters) -> pd.DataFrame:
    return queries.counts_by_kind(_connection(directory), filters)


def facts(pkg: Package, filters: Filters) -> pd.DataFrame:
    return _facts(str(pkg.directory), pkg.build_id, filters)


def chip_nodes(pkg: Package, filters: Filters) -> pd.DataFrame:
    return _chip_nodes(str(pkg.directory), pkg.build_id, filters)


def thresholds(pkg: Package) -> pd.DataFrame:
    return _thresholds(str(pkg.directory), pkg.build_id)


def funding(pkg: Package, filters: Filters) -> pd.DataFrame:
    return _funding(str(pkg.directory), pkg.build_id, filters)


def entity_options(pkg: Package) -> pd.DataFrame:
    return _entity_options(str(pkg.directory), pkg.build_id)


def entities_matching(pkg: Package, search: str | None) -> pd.DataFrame:
    return _entities_matching(str(pkg.directory), pkg.build_id, search)


def sources(pkg: Package, filters: Filters) -> pd.DataFrame:
    return _sources(str(pkg.directory), pkg.build_id, filters)


def counts_by_kind(pkg: Package, filters: Filters) -> pd.DataFrame:
    return _counts_by_kind(str(pkg.directory), pkg.build_id, filters)
