"""The CSV downloads under a table: the plain UTF-8 file for tools, and the same file for Excel.

A file is made when its button is pressed (Streamlit runs a callable on the click, on_click="ignore"
so the page does not rerun). The callable holds the connection the page was drawn from: a DuckDB
connection keeps its store file open, so the button gives the rows the tab shows even after rebuilds
have removed that version from disk. Holding only the version's directory, a tab older than three
rebuilds got nothing: the callable failed to open the removed store, Streamlit logged
MediaFileStorageError and the browser showed no file (issue #12).
"""
from __future__ import annotations

import logging
from collections.abc import Callable

import duckdb
import streamlit as st

from tracker import data
from tracker.export import file_name, for_excel

log = logging.getLogger(__name__)

EXCEL_LABEL = "CSV for Excel"
EXCEL_HELP = ("The same rows as a CSV that Excel opens with Chinese names and curly quotes intact (UTF-8 with a "
              "byte-order mark). Use the plain CSV for pandas, R, DuckDB or a script.")


def csv_maker(pkg: data.Package, source: data.Table, columns: list[str], link: Callable[[str], str] | None = None,
              *, excel: bool = False) -> Callable[[], bytes]:
    """What the button calls on a click: every row of `source` as CSV bytes (with a BOM for Excel),
    read through the connection this page run used."""
    try:
        held = data.store_connection(pkg)
    except (data.PackageMissing, duckdb.Error, OSError):
        held = None  # the click opens the store itself (and fails in the log if it cannot)

    def make() -> bytes:
        try:
            body = source.csv(pkg, columns, link=link, connection=held)
        except Exception:
            log.exception("CSV download of %s from build %s failed", source.rows, pkg.build_id)
            raise
        return for_excel(body) if excel else body
    return make


def csv_buttons(page: str, pkg: data.Package, source: data.Table, columns: list[str], label: str,
                description: str, link: Callable[[str], str] | None = None) -> None:
    """The plain CSV button (`<page>_download`, first, so tests and people find it where it was) and a
    smaller one for Excel (`<page>_download_excel`)."""
    with st.container(horizontal=True, gap="small"):
        st.download_button(label, csv_maker(pkg, source, columns, link), file_name=file_name(page, description, pkg.build_id),
                           mime="text/csv", key=f"{page}_download", on_click="ignore")
        st.download_button(EXCEL_LABEL, csv_maker(pkg, source, columns, link, excel=True),
                           file_name=file_name(page, description, pkg.build_id, excel=True), mime="text/csv",
                           key=f"{page}_download_excel", on_click="ignore", type="tertiary", help=EXCEL_HELP)
