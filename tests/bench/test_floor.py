"""`python -m bench floor`: every page against the framework floor, as AppTest runs it and with the
scripts' bytecode kept as a server keeps it. Figures are not asserted (machines are noisy); what the
benchmark reports, and that keeping the bytecode really compiles each script once, are."""

from __future__ import annotations

import builtins
from pathlib import Path

from streamlit.runtime.scriptrunner import script_cache
from streamlit.testing.v1 import AppTest

from bench import floor

FLOOR = """import os
import duckdb
import streamlit as st

B = os.environ["TRACKER_DATA_DIR"]
q = st.text_input("Search")
st.dataframe(duckdb.connect().execute(
    f"select title, fact_id from '{B}/facts.parquet' where title ilike '%' || $q || '%' limit 200", {"q": q}).df())
"""


def test_floor_reports_both_ratios_for_every_page(package_dir, tmp_path, monkeypatch):
    script = tmp_path / "floor.py"
    script.write_text(FLOOR)
    monkeypatch.setenv("TRACKER_FLOOR", str(script))
    results = floor.measure(package_dir, reruns=2)
    assert results is not None and list(results) == list(floor.PAGES)
    for r in results.values():
        assert r["median_s"] > 0 and r["floor_median_s"] > 0
        assert r["ratio"] == r["median_s"] / r["floor_median_s"]
        assert r["kept_ratio"] > 0
    header, rows = floor.table(results)
    assert header[-1] == "page / floor, bytecode kept (as a server)"
    assert [row[0] for row in rows] == list(floor.PAGES)
    assert all(row[4] in ("met", "MISSED") for row in rows)


def test_no_floor_script_is_said(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TRACKER_FLOOR", str(tmp_path / "absent.py"))
    assert floor.main(tmp_path, 1) == 2
    assert "no floor script" in capsys.readouterr().out


def test_bytecode_kept_compiles_each_script_once(tmp_path, monkeypatch):
    script = tmp_path / "page.py"
    script.write_text("import streamlit as st\nst.write('hello')\n")
    compiled: list[str] = []
    real = builtins.compile

    def counting(source, path: str, *args, **kwargs):
        compiled.append(Path(path).name)
        return real(source, path, *args, **kwargs)

    monkeypatch.setattr(script_cache, "compile", counting, raising=False)  # shadows the builtin there
    at = AppTest.from_file(str(script))
    for _ in range(3):
        at.run()
    assert compiled.count("page.py") == 3  # AppTest as it is: once per run
    compiled.clear()
    with floor.bytecode_kept():
        at = AppTest.from_file(str(script))
        for _ in range(3):
            at.run()
    assert compiled.count("page.py") == 1
