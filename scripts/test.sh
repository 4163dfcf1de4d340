#!/usr/bin/env bash
# Run the whole test suite, browser tests included (set-up included). Extra args go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements-dev.txt
source "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"
exec .venv/bin/python -m pytest "$@"
