#!/usr/bin/env bash
# Serve the dashboard on the bundled data at http://localhost:8501 (set-up included).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements.txt
echo "==> building the data package"
.venv/bin/python -m etl build
echo "==> serving at http://localhost:${PORT:-8501}"
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" "$@"
