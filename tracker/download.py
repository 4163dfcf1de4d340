"""The CSV downloads under a table: the plain UTF-8 file for tools, and the same file for Excel.

A file is made when its button is pressed (Streamlit runs a callable on the click). The callable
holds the connection the page was drawn from: a DuckDB connection keeps its store file open, so the
button gives the rows the tab shows even after rebuilds have removed that version from disk. Holding
only the version's directory, a tab older than three rebuilds got nothing: the callable failed to open
the removed store, Streamlit logged MediaFileStorageError and the browser showed no file (issue #12).

A click also reruns the page (on_click="rerun"). A tab whose session the server no longer knows (the
app restarted, or the tab slept past the session's life) cannot start a download: Streamlit rejects
the request and shows only "Invalid session ID". Its click then reruns the page on a new session,
which draws fresh buttons and says what happened; a click in a tab drawn from an older build says
which build the file holds and which the table now shows. That rerun, and any other reader's, used
to delete the file before the browser fetched it: see tracker/download_guard.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import duckdb
import streamlit as st

from tracker import data, download_guard
from tracker.export import file_name, for_excel

log = logging.getLogger(__name__)

EXCEL_LABEL = "CSV for Excel"
EXCEL_HELP = (
    "The same rows as a CSV that Excel opens with Chinese names and curly quotes intact (UTF-8 with a "
    "byte-order mark). Use the plain CSV for pandas, R, DuckDB or a script."
)


def _held_connection(pkg: data.Package) -> duckdb.DuckDBPyConnection | None:
    try:
        return data.store_connection(pkg)
    except (data.PackageMissing, duckdb.Error, OSError):
        return None  # the click opens the store itself (and fails in the log if it cannot)


def csv_maker(
    pkg: data.Package,
    source: data.Rows,
    columns: list[str],
    link: Callable[[str], str] | None = None,
    *,
    excel: bool = False,
    held: duckdb.DuckDBPyConnection | None = None,
) -> Callable[[], bytes]:
    """What the button calls on a click: every row of `source` as CSV bytes (with a BOM for Excel),
    read through the connection this page run used (`held`; looked up when not given)."""
    held = held if held is not None else _held_connection(pkg)

    def make() -> bytes:
        try:
            body = data.csv_bytes(source, columns, link=link, pkg=pkg, connection=held)
        except Exception as exc:  # Streamlit logs the traceback and shows "Failed to generate file for download"
            log.error("CSV download of %s from build %s failed: %s", source.listing.name, pkg.build_id, exc)
            raise
        return for_excel(body) if excel else body

    return make


LOST_SESSION = (
    "This tab had lost its place on the server (the app was restarted, or the tab was idle for long), so "
    "that click could not start the download. The page has been brought up to date: click the button "
    "again (or reload the page)."
)


def rebuilt_notice(shown: str, now: str) -> str:
    return (
        f"The data was rebuilt after this table was drawn: the file holds the rows as they were shown (build "
        f"`{shown}`); the table now shows build `{now}`. Download again for these rows."
    )


def csv_buttons(
    page: str,
    pkg: data.Package,
    source: data.Rows,
    columns: list[str],
    label: str,
    description: str,
    link: Callable[[str], str] | None = None,
) -> None:
    """The plain CSV button (`<page>_download`, first, so tests and people find it where it was) and a
    smaller one for Excel (`<page>_download_excel`); a notice under them when a click came from a tab
    the server had lost or from an older build."""
    download_guard.install()  # the file a click makes must outlive the orphan passes of the next runs
    drawn_key = f"_download_build_{page}"
    drawn = st.session_state.get(drawn_key)  # the build these buttons were last drawn from; None: a new session
    held = _held_connection(pkg)  # both files are read through the connection this page run used
    with st.container(horizontal=True, gap="small"):
        plain = st.download_button(
            label,
            csv_maker(pkg, source, columns, link, held=held),
            file_name=file_name(page, description, pkg.build_id),
            mime="text/csv",
            key=f"{page}_download",
        )
        excel = st.download_button(
            EXCEL_LABEL,
            csv_maker(pkg, source, columns, link, excel=True, held=held),
            file_name=file_name(page, description, pkg.build_id, excel=True),
            mime="text/csv",
            key=f"{page}_download_excel",
            type="tertiary",
            help=EXCEL_HELP,
        )
    st.session_state[drawn_key] = pkg.build_id
    if plain or excel:
        if drawn is None:
            log.info("A CSV click on %s came from a tab the server had lost; the page was redrawn", page)
            st.warning(LOST_SESSION, icon="🔄")
        elif drawn != pkg.build_id:
            st.info(rebuilt_notice(drawn, pkg.build_id), icon="ℹ️")
