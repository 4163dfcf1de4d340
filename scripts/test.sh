#!/usr/bin/env bash
# Run the whole test suite, browser tests included (set-up included). Extra args go to pytest.
# Reports the slowest tests and the wall time with the machine's load: timings are reported, never asserted.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements-dev.txt
source "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "unknown"; }
setup_s=$SECONDS
echo "==> set-up took ${setup_s} s; load average $(load) on $(nproc 2>/dev/null || echo '?') cores"
echo "==> ruff (lint and format) and mypy"
# one command a line: under set -e a failure inside an a && b && c chain would not stop the run
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m mypy
echo "==> checks took $((SECONDS - setup_s)) s"
status=0
.venv/bin/python -m pytest --durations=15 "$@" || status=$?
echo "==> scripts/test.sh took ${SECONDS} s in all (set-up ${setup_s} s); load average now $(load)"
exit "$status"
