#!/usr/bin/env bash
# Serve the dashboard on the bundled data at http://localhost:8501 (set-up included), or on the releases
# in object storage with TRACKER_DATA_URL=s3://BUCKET/PREFIX (README: Releases from object storage).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" requirements.txt
if [ -n "${TRACKER_DATA_URL:-}" ]; then
  echo "==> reading releases from ${TRACKER_DATA_URL} (no local build)"
else
  echo "==> building the data package"
  .venv/bin/python -m etl build
fi
echo "==> serving at http://localhost:${PORT:-8501}"
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" "$@"
