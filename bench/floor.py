"""Each page's cached rerun against the framework floor, in the same run.

The floor is `../shared/bench/floor.py` (or $TRACKER_FLOOR): one Streamlit page, one search box,
one 200-row table read from the same package. A cached rerun is what a user pays for every widget
click that does not change the data asked for: the page script runs again top to bottom and its
questions are answered from the cache. Both are run through AppTest, alternating page and floor so
a change of machine load falls on both; the ratio of medians is the figure (issue #14 asks for at
most 2x per page). AppTest compiles the scripts on every run, which a server does once: the last
column is the same ratio with the bytecode kept, for the page and the floor alike.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from pathlib import Path
from unittest import mock

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


@contextlib.contextmanager
def bytecode_kept():
    """AppTest compiles the scripts again on every run (a new ScriptCache per run); a server compiles
    each script once. Inside this, every AppTest run shares one cache, as the server's sessions do:
    the page and the floor alike then pay only for running their script."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    with (
        mock.patch.object(app_test, "ScriptCache", lambda: shared),
        mock.patch.object(local_script_runner, "ScriptCache", lambda: shared),
    ):
        yield


def _ratios(floor: Path, reruns: int) -> dict[str, tuple[float, float]]:
    """{page: (page median s, floor median s)}: each page's cached reruns alternated with the floor's."""
    base = open_page(floor)
    results = {}
    for page in PAGES:
        at = open_page(ROOT / "app.py", page)
        _rerun_s(at)  # warm: the first rerun fills what the first open did not
        mine, floors = [], []
        for _ in range(reruns):
            mine.append(_rerun_s(at))
            floors.append(_rerun_s(base))
        results[page] = (statistics.median(mine), statistics.median(floors))
    return results


def measure(directory: Path, reruns: int = 25) -> dict[str, dict[str, float]] | None:
    """{page: {"median_s", "floor_median_s", "ratio", "kept_ratio"}}, or None without a floor script.
    `ratio` is AppTest as it is (the issue's measure); `kept_ratio` the same with the scripts' bytecode
    kept between runs, as a server keeps it (bytecode_kept)."""
    floor = floor_script()
    if floor is None:
        return None
    old = os.environ.get("TRACKER_DATA_DIR")
    os.environ["TRACKER_DATA_DIR"] = str(Path(directory).resolve())
    try:
        plain = _ratios(floor, reruns)
        with bytecode_kept():
            kept = _ratios(floor, reruns)
        return {
            page: {"median_s": m, "floor_median_s": f, "ratio": m / f, "kept_ratio": kept[page][0] / kept[page][1]}
            for page, (m, f) in plain.items()
        }
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
            f"{r['kept_ratio']:.1f}×",
        ]
        for page, r in results.items()
    ]
    header = ["page", "cached rerun p50 (ms)", "floor p50 (ms)", "page / floor", "≤ 2× floor"]
    return header + ["page / floor, bytecode kept (as a server)"], rows


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
