"""CSV downloads: exactly the rows given, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pandas as pd

from tracker.export import file_name, to_csv_bytes


def test_formula_cells_are_neutralised_and_numbers_kept():
    df = pd.DataFrame(
        {
            "title": ['=HYPERLINK("http://evil")', "+1", "-cmd", "@SUM(A1)", "plain", "\tx"],
            "value": [-5.0, 1.0, 5e10, 8_408_400_000.000001, 0.25, None],
            "entity_ids": [["a", "b"], [], ["c"], ["=x"], ["d"], ["e"]],
        }
    )
    rows = list(csv.DictReader(io.StringIO(to_csv_bytes(df).decode())))
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("http://evil")', "'+1", "'-cmd", "'@SUM(A1)", "plain", "'\tx"]
    assert [r["value"] for r in rows] == ["-5", "1", "50000000000", "8408400000", "0.25", ""]  # plain decimals
    assert [r["entity_ids"] for r in rows] == ["a; b", "", "c", "'=x", "d", "e"]


def test_file_name_says_what_it_holds():
    assert (
        file_name("timeline", "entity-smic_from-2024-01-01", "abc123")
        == "tracker_timeline_entity-smic_from-2024-01-01_abc123.csv"
    )
    assert file_name("funding", "../../etc/passwd", "b") == "tracker_funding_..-..-etc-passwd_b.csv"


# --- issue #5: formula neutralisation as a property of the CSV round trip --------------------

import pyarrow as pa  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tracker import export  # noqa: E402

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# Text biased towards the interesting starts: a dangerous character, a quote, a newline, or none.
cell_text = st.one_of(
    st.text(),
    st.tuples(st.sampled_from(DANGEROUS + ("'", '"', "\n", " ", ",", "\x00", "\ufeff", "＝")), st.text()).map("".join),
)


def _roundtrip(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _assert_neutralised(original: str, cell: str) -> None:
    if original.startswith(DANGEROUS):
        assert cell == "'" + original, (original, cell)
    else:
        assert cell == original, (original, cell)
    assert not cell.startswith(DANGEROUS), cell


def test_formula_starts_are_neutralised_after_a_round_trip():
    cells = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", '=HYPERLINK("http://evil","x")', "plain", "'=already"]
    rows = _roundtrip(to_csv_bytes(pd.DataFrame({"title": cells})))
    for original, row in zip(cells, rows, strict=True):
        _assert_neutralised(original, row["title"])


@pytest.mark.fuzz
@PROPERTY
@given(cells=st.lists(cell_text, min_size=1, max_size=8))
def test_any_text_cell_round_trips_as_itself_or_quoted(cells):
    df = pd.DataFrame({"title": cells, "n": range(len(cells)), "ids": [[c, "x"] for c in cells]})
    rows = _roundtrip(to_csv_bytes(df))
    assert len(rows) == len(cells)
    for original, row in zip(cells, rows, strict=True):
        _assert_neutralised(original, row["title"])
        _assert_neutralised(f"{original}; x", row["ids"])


ARROW_STRING_TYPES = {
    "string": lambda cells: pa.array(cells, pa.string()),
    "large_string": lambda cells: pa.array(cells, pa.large_string()),
    "dictionary": lambda cells: pa.array(cells, pa.string()).dictionary_encode(),
    "list": lambda cells: pa.array([[c] for c in cells], pa.list_(pa.string())),
}


@pytest.mark.skipif(not hasattr(export, "arrow_to_csv_bytes"), reason="no Arrow CSV writer in tracker.export")
@pytest.mark.parametrize("kind", ARROW_STRING_TYPES)
@pytest.mark.fuzz
@PROPERTY
@given(cells=st.lists(cell_text, min_size=1, max_size=8))
def test_arrow_csv_neutralises_every_string_column_type(kind, cells):
    table = pa.table({"title": ARROW_STRING_TYPES[kind](cells), "n": pa.array(range(len(cells)), pa.int64())})
    rows = _roundtrip(export.arrow_to_csv_bytes(table))
    assert len(rows) == len(cells)
    for original, row in zip(cells, rows, strict=True):
        _assert_neutralised(original, row["title"])


# --- issue #12: a CSV Excel reads as UTF-8 --------------------------------------------------------


def test_the_csv_for_excel_is_the_plain_csv_after_a_bom():
    """Excel reads a CSV without a byte-order mark in the machine's legacy code page: 华为 and curly quotes
    arrive garbled. The Excel form starts with the UTF-8 BOM; the plain one, for tools, does not."""
    import codecs

    table = pa.table(
        {
            "name": ["华为", "中芯国际", "plain"],
            "title": ["the “Entity List” rule", "it’s ‘curly’", "=1+1"],
            "value": [1.5, None, 2.0],
        }
    )
    plain = export.arrow_to_csv_bytes(table)
    excel = export.for_excel(plain)
    assert not plain.startswith(codecs.BOM_UTF8)
    assert excel.startswith(codecs.BOM_UTF8) and excel[len(codecs.BOM_UTF8) :] == plain
    rows = list(csv.DictReader(io.StringIO(excel.decode("utf-8-sig"), newline="")))
    assert [(r["name"], r["title"], r["value"]) for r in rows] == [
        ("华为", "the “Entity List” rule", "1.5"),
        ("中芯国际", "it’s ‘curly’", ""),
        ("plain", "'=1+1", "2"),
    ]
    # read as plain UTF-8, the mark would sit in the first column's name: why tools get the plain form
    assert next(csv.reader(io.StringIO(excel.decode("utf-8"))))[0] != "name"
    assert next(csv.reader(io.StringIO(plain.decode("utf-8"))))[0] == "name"


def test_the_excel_file_name_says_so():
    assert file_name("timeline", "entity-smic", "abc123", excel=True) == "tracker_timeline_entity-smic_abc123_excel.csv"
