"""CSV downloads: exactly the rows given, safe in a spreadsheet."""
from __future__ import annotations

import csv
import io

import pandas as pd

from tracker.export import file_name, to_csv_bytes


def test_formula_cells_are_neutralised_and_numbers_kept():
    df = pd.DataFrame({
        "title": ["=HYPERLINK(\"http://evil\")", "+1", "-cmd", "@SUM(A1)", "plain", "\tx"],
        "value": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0],
        "entity_ids": [["a", "b"], [], ["c"], ["=x"], ["d"], ["e"]],
    })
    rows = list(csv.DictReader(io.StringIO(to_csv_bytes(df).decode())))
    assert [r["title"] for r in rows] == ["'=HYPERLINK(\"http://evil\")", "'+1", "'-cmd", "'@SUM(A1)", "plain", "'\tx"]
    assert rows[0]["value"] == "-5.0"
    assert [r["entity_ids"] for r in rows] == ["a; b", "", "c", "'=x", "d", "e"]


def test_file_name_says_what_it_holds():
    assert file_name("timeline", "entity-smic_from-2024-01-01", "abc123") == \
        "tracker_timeline_entity-smic_from-2024-01-01_abc123.csv"
    assert file_name("funding", "../../etc/passwd", "b") == "tracker_funding_..-..-etc-passwd_b.csv"
