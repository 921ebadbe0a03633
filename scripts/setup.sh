#!/usr/bin/env bash
# Create .venv, install the toolkit (CPU torch first), fetch and convert the embedded model.
# Idempotent: a second call checks a stamp and returns in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  # CPU torch first, so no dependency pulls a multi-GB CUDA build. Point
  # TORCH_INDEX_URL at a CPU wheel index on machines without a local wheel.
  if ! "$VENV/bin/python" -c "import torch" >/dev/null 2>&1; then
    "$VENV/bin/pip" install --quiet ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} "torch==2.13.0"
  fi
  "$VENV/bin/pip" install --quiet -e ".[api,dev]"
  touch "$stamp"
fi
"$VENV/bin/study" setup
