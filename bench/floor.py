"""Each page's cached rerun against the framework floor, in the same run.

The floor is `../shared/bench/floor.py` (or $TRACKER_FLOOR): one Streamlit page, one search box,
one 200-row table read from the same package. A cached rerun is what a user pays for every widget
click that does not change the data asked for: the page script runs again top to bottom and its
questions are answered from the cache. Both are run through AppTest, alternating page and floor so
a change of machine load falls on both; the ratio of medians is the figure (issue #14 asks for at
most 2x per page).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "timeline", "chip_nodes", "funding", "entities", "sources")


def floor_script() -> Path | None:
    given = os.environ.get("TRACKER_FLOOR")
    path = Path(given) if given else ROOT.parent / "shared" / "bench" / "floor.py"
    return path if path.is_file() else None


def _rerun_s(at) -> float:
    start = time.perf_counter()
    at.run()
    took = time.perf_counter() - start
    assert not at.exception, at.exception
    return took


def open_page(script: Path, page: str | None = None, timeout: int = 120):
    """An AppTest of `script` run once and, for the app, switched to views/<page>.py (no exception)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=timeout)
    at.run()
    if page and page != "overview":
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, at.exception
    return at


def measure(directory: Path, reruns: int = 15) -> dict[str, dict[str, float]] | None:
    """{page: {"median_s", "floor_median_s", "ratio"}}, or None without a floor script."""
    floor = floor_script()
    if floor is None:
        return None
    old = os.environ.get("TRACKER_DATA_DIR")
    os.environ["TRACKER_DATA_DIR"] = str(Path(directory).resolve())
    try:
        base = open_page(floor)
        results = {}
        for page in PAGES:
            at = open_page(ROOT / "app.py", page)
            _rerun_s(at)  # warm: the first rerun fills what the first open did not
            mine, floors = [], []
            for _ in range(reruns):
                mine.append(_rerun_s(at))
                floors.append(_rerun_s(base))
            m, f = statistics.median(mine), statistics.median(floors)
            results[page] = {"median_s": m, "floor_median_s": f, "ratio": m / f}
        return results
    finally:
        if old is None:
            os.environ.pop("TRACKER_DATA_DIR", None)
        else:
            os.environ["TRACKER_DATA_DIR"] = old


def table(results: dict[str, dict[str, float]]) -> tuple[list[str], list[list[str]]]:
    rows = [
        [
            page,
            f"{r['median_s'] * 1000:.0f}",
            f"{r['floor_median_s'] * 1000:.0f}",
            f"{r['ratio']:.1f}×",
            "met" if r["ratio"] <= 2 else "MISSED",
        ]
        for page, r in results.items()
    ]
    return ["page", "cached rerun p50 (ms)", "floor p50 (ms)", "page / floor", "≤ 2× floor"], rows


def main(directory: Path, reruns: int) -> int:
    results = measure(directory, reruns)
    if results is None:
        print("no floor script: put it at ../shared/bench/floor.py or set TRACKER_FLOOR")
        return 2
    header, rows = table(results)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0
