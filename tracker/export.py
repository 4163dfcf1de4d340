"""CSV downloads that are safe to open in a spreadsheet."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

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
    """The rows exactly as given; lists joined with '; ', formula-like text neutralised."""
    out = df.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)
                or pd.api.types.is_bool_dtype(dtype)):
            out[column] = out[column].map(_cell)
    return out.to_csv(index=False).encode("utf-8")


def file_name(page: str, description: str, build_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.+-]+", "-", description)[:80].strip("-") or "all"
    return f"tracker_{page}_{safe}_{build_id}.csv"
