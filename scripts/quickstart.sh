#!/usr/bin/env bash
# The README's first command: set everything up, then run the main job (the quick study on the embedded model).
# Idempotent: a second call skips installation and resumes (or, when finished, re-reports) the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/study run quick "$@"
