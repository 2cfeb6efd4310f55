#!/usr/bin/env bash
# Re-run everything fitted or measured on the national Match model, in order, and rewrite the files
# that record it (commit them afterwards):
#   1. the 2025 calibration (only with --with-2025: it is the fit the backtest predicts from);
#   2. the 2026 calibration (the default model)   -> data/market/calibration_2026.yaml, docs/reference/calibration-2026.md
#   3. the backtest fit 2025 -> predict 2026      -> docs/reference/backtest-2025-2026.md
#   4. the reference pages (market-model.md, cli.md) and the odds pages (the how-to's example odds,
#      docs/reference/odds-funnel-calibration.md).
# About 15-25 minutes on 2 cores.  Usage: scripts/refresh_market.sh [--with-2025] [--workers N]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
WORKERS=2
WITH_2025=0
while [ $# -gt 0 ]; do
  case "$1" in
    --with-2025) WITH_2025=1 ;;
    --workers) WORKERS="$2"; shift ;;
    *) echo "unknown option $1 (use --with-2025, --workers N)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$WITH_2025" = 1 ]; then
  "$PY" -m imgpath market calibrate --year 2025 --iterations 30 --check-runs 20 --workers "$WORKERS" \
    --report docs/reference/calibration-2025.md
fi
"$PY" -m imgpath market calibrate --year 2026 --iterations 30 --check-runs 20 --workers "$WORKERS" \
  --report docs/reference/calibration-2026.md
"$PY" -m imgpath market backtest --fit 2025 --predict 2026 --runs 20 --workers "$WORKERS" \
  --report docs/reference/backtest-2025-2026.md
"$PY" scripts/gen_docs.py
"$PY" scripts/refresh_odds_docs.py --fit
