"""Who may import whom, checked on the source (ast), so a shortcut fails here and not in review.

- contract.py is the shared vocabulary: the standard library only.
- etl/ builds packages: never the app (tracker, views) nor Streamlit.
- tracker/read.py, the read API, is plain Python over DuckDB: tests and the benchmark call it
  without Streamlit.
- views/ are page scripts: they read through the read API and draw through ui and charts; they
  never open the package themselves (tracker.data, tracker.db, duckdb), reach into the ETL, or keep
  the UI's state (session state and the URL belong to tracker.ui / tracker.url_state).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STDLIB = set(sys.stdlib_module_names) | {"__future__"}
VIEW_MAY_IMPORT = {
    "streamlit",
    "pandas",
    "contract",
    "tracker",
    "tracker.read",
    "tracker.ui",
    "tracker.charts",
    "tracker.compare",
    "tracker.fact_view",
}


def imports(path: Path) -> set[str]:
    """Every module a file imports ("from tracker import ui" gives tracker.ui)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if (ROOT / node.module.replace(".", "/") / f"{alias.name}.py").exists()
            )
    return found


def top(module: str) -> str:
    return module.split(".")[0]


def files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_contract_imports_only_the_standard_library():
    assert {m for m in imports(ROOT / "contract.py") if top(m) not in STDLIB} == set()


@pytest.mark.parametrize("path", files("etl"), ids=lambda p: p.name)
def test_etl_never_imports_the_app(path):
    wrong = {m for m in imports(path) if top(m) in {"tracker", "views", "streamlit", "altair"}}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}: the ETL must build without the app"


def test_the_read_api_runs_without_streamlit():
    for name in ("read.py", "filters.py", "compare.py", "db.py", "releases.py"):
        wrong = {m for m in imports(ROOT / "tracker" / name) if top(m) == "streamlit"}
        assert not wrong, f"tracker/{name} imports Streamlit: tests and the benchmark call it bare"


@pytest.mark.parametrize("path", files("views"), ids=lambda p: p.name)
def test_views_use_only_the_read_api_ui_and_charts(path):
    wrong = {m for m in imports(path) if top(m) not in STDLIB and m not in VIEW_MAY_IMPORT}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}; use tracker.read, tracker.ui, tracker.charts"


@pytest.mark.parametrize("path", files("views"), ids=lambda p: p.name)
def test_views_keep_no_ui_state(path):
    """Session state and the URL belong to tracker.ui / url_state: a view that touched them broke
    links when it forgot a step (the URL is written by app.py after every page now)."""
    source = path.read_text()
    for token in ("session_state", "query_params.from_dict", "write_url", "_url_params"):
        assert token not in source, f"{path.relative_to(ROOT)} uses {token}: ask tracker.ui for what it needs"


def test_the_layering_test_sees_a_violation(tmp_path):
    """The checks above would catch a view that opens the package itself."""
    bad = tmp_path / "bad.py"
    bad.write_text("from tracker import data, ui\nimport duckdb\n")
    assert {"tracker.data", "duckdb"} <= imports(bad) - VIEW_MAY_IMPORT
