"""Opening the app as a user does: a link (with URL parameters) to a page."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def open_app(page: str, params: dict | None = None, timeout: int = 60) -> AppTest:
    """Run app.py as a link to `page` (overview, timeline, ...) with `params` would; no exception allowed.

    Reads the package named by TRACKER_DATA_DIR (set it with monkeypatch)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
