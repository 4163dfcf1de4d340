"""CSV downloads that are safe to open in a spreadsheet."""

from __future__ import annotations

import codecs
import io
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text cell that a spreadsheet would read as a formula with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        value = "; ".join(map(str, value))
    return neutralise(value)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The rows exactly as given; lists joined with '; ', formula-like text neutralised, numbers in
    plain decimals."""
    out = df.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if pd.api.types.is_float_dtype(dtype):
            out[column] = plain_decimals(pa.array(out[column], from_pandas=True)).to_pandas()
        elif not (
            pd.api.types.is_numeric_dtype(dtype)
            or pd.api.types.is_datetime64_any_dtype(dtype)
            or pd.api.types.is_bool_dtype(dtype)
        ):
            out[column] = out[column].map(_cell)
    # CRLF rows (RFC 4180): with "\n" alone, Python's csv writer leaves a cell holding a bare "\r"
    # unquoted, and a reader that ends rows at "\r" (spreadsheets do) starts a new row there, so
    # "a\r=HYPERLINK(...)" would arrive as a cell beginning with "=".
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def file_name(page: str, description: str, build_id: str, excel: bool = False) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.+-]+", "-", description)[:80].strip("-") or "all"
    return f"tracker_{page}_{safe}_{build_id}{'_excel' if excel else ''}.csv"


EXCEL_BOM = codecs.BOM_UTF8


def for_excel(csv: bytes) -> bytes:
    """The same UTF-8 CSV with a byte-order mark first. Excel reads a CSV without one in the
    machine's legacy code page, so 华为 and curly quotes arrive garbled; with it, as UTF-8. Tools
    (pandas, DuckDB, csv readers) take the plain form, where a BOM would end up in the first
    column's name."""
    return EXCEL_BOM + csv


_FORMULA_PATTERN = "^[=+\\-@\t\r]"


MAX_DECIMAL = 1e30  # decimal128(38, 6) holds 32 digits before the point
MAX_SCALE = 6
SIGNIFICANT = 15  # a double holds 15-17: the 16th and 17th are the noise in 8408400000.000001


def plain_decimals(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Doubles as plain decimal text, never 5e+10 or 8408400000.000001: rounded to 15 significant
    digits (at most 6 decimals), trailing zeros dropped; null stays null."""
    values = pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
    missing = np.isnan(values)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(values)))
    decimals = np.clip(SIGNIFICANT - 1 - np.nan_to_num(magnitude, nan=0, neginf=0, posinf=0), 0, MAX_SCALE).astype(
        np.int8
    )
    huge = np.abs(np.nan_to_num(values)) >= MAX_DECIMAL
    fits = pa.array(np.where(huge, 0.0, values), mask=missing)
    # casting to a decimal rounds to its scale: one cast per scale present, each value takes its own
    present = np.unique(decimals[~missing]) if (~missing).any() else np.array([0])
    texts = [pc.cast(pc.cast(fits, pa.decimal128(38, int(d))), pa.string()) for d in present]
    text = pc.choose(pa.array(np.searchsorted(present, decimals).clip(0, len(present) - 1)), *texts)
    text = pc.replace_substring_regex(text, r"(\.\d*?)0+$", r"\1")
    text = pc.replace_substring_regex(text, r"\.$", "")
    if huge.any():  # beyond any real amount; written as Python would rather than refused
        text = pa.array([repr(float(v)) if h else t for v, h, t in zip(values, huge, text.to_pylist())], pa.string())
    return text


def _safe_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_floating(column.type):
        return pa.chunked_array([plain_decimals(column)])
    if pa.types.is_dictionary(column.type):  # a DuckDB ENUM, say: neutralise the values, not the codes
        column = pc.cast(column, column.type.value_type)
    if pa.types.is_string_view(column.type):  # the CSV writer cannot write string views
        column = pc.cast(column, pa.string())
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        column = pc.binary_join(pc.cast(column, pa.list_(pa.string())), "; ")
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        risky = pc.fill_null(pc.match_substring_regex(column, _FORMULA_PATTERN), False)
        quote, empty = pa.scalar("'", column.type), pa.scalar("", column.type)  # large_string needs its own scalars
        column = pc.if_else(risky, pc.binary_join_element_wise(quote, column, empty), column)
    return column


def arrow_to_csv_bytes(table: pa.Table) -> bytes:
    """Like to_csv_bytes, for an Arrow table straight from DuckDB: the same neutralising, in
    vectorised compute kernels, so 100k rows take a fraction of a second."""
    safe = pa.table([_safe_column(c) for c in table.columns], names=table.column_names)
    sink = io.BytesIO()
    pacsv.write_csv(safe, sink, pacsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue()
