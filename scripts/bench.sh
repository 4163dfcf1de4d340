#!/usr/bin/env bash
# The benchmark (not part of the test suite): set-up, then python -m bench run with any extra
# arguments (e.g. --sizes 10000,100000 for a quicker run). Writes bench/results/<date>.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements-dev.txt
source "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"
exec .venv/bin/python -m bench run "$@"
