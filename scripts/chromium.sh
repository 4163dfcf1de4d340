#!/usr/bin/env bash
# Sourced by test.sh and bench.sh: install Debian's chromium when it is missing and we are root.
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: chromium is missing and cannot be installed here; browser tests will skip (fail under CI=true)" >&2
  fi
fi
