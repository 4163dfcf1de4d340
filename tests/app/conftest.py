"""Opening the app as a user does: a link (with URL parameters) to a page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.timing import guard

# AppTest fails a run that takes longer than its timeout: a hang guard, scaled to the machine (tests/timing.py)
RUN_GUARD_S = 60


def app_test() -> AppTest:
    """app.py under AppTest, every run of it guarded by a scaled timeout."""
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=guard(RUN_GUARD_S))


def open_app(page: str, params: dict | None = None) -> AppTest:
    """Run app.py as a link to `page` (overview, timeline, ...) with `params` would; no exception allowed.

    Reads the package named by TRACKER_DATA_DIR (set it with monkeypatch)."""
    at = app_test()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
