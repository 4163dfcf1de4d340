"""Waits scaled to the machine: a timing never decides whether a test passes (issue #12).

Every wait in the suite (a Playwright wait, an AppTest run, the server's start, a subprocess) is a
hang guard: it exists so that a real hang ends the test, never to check speed. Each one is written
as `guard(seconds)`, where `seconds` is generous for an idle 2-core machine (several times the
slowest run seen there), and the result is that times TIME_SCALE:

* `TRACKER_TEST_TIME_SCALE=<number>` fixes the factor (e.g. 4 on a machine known to be slow);
* unset, it is read from the machine at each call: the higher of the 1- and 5-minute load
  averages per core, at least 1 and at most MAX_SCALE. Read at each call, a load that builds up
  during the run lengthens the waits started after it.

Speed is reported, not asserted: see tests/browser/test_concurrency.py and the benchmark (bench/).
"""

from __future__ import annotations

import os

ENV = "TRACKER_TEST_TIME_SCALE"
MAX_SCALE = 10.0


def time_scale() -> float:
    """The factor every hang guard is multiplied by (see the module docstring)."""
    fixed = os.environ.get(ENV)
    if fixed:
        value = float(fixed)
        if not value > 0:
            raise ValueError(f"{ENV} must be a positive number, not {fixed!r}")
        return value
    try:
        load = max(os.getloadavg()[:2])
    except OSError:  # no load average on this platform
        return 1.0
    return min(MAX_SCALE, max(1.0, load / (os.cpu_count() or 1)))


def guard(seconds: float) -> float:
    """A hang guard of `seconds` (as on an idle machine), scaled to this one, in seconds."""
    return seconds * time_scale()


def guard_ms(seconds: float) -> float:
    """The same in milliseconds, as Playwright takes its timeouts."""
    return guard(seconds) * 1000


def describe() -> str:
    """One line for the test report's header."""
    if os.environ.get(ENV):
        return f"time scale {time_scale():g} ({ENV})"
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        one = five = float("nan")
    return (
        f"time scale {time_scale():.2f} (load average {one:.2f}/{five:.2f} on {os.cpu_count()} cores; "
        f"set {ENV} to fix it)"
    )
