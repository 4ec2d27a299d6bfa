#!/usr/bin/env bash
# The main job on the bundled real data (README "make demo").
set -euo pipefail
cli="${1:-build/bin/tradeloop}"
data=examples/data
echo "== tradeloop data info (bundled BTC 1-minute data)"
"$cli" data info "$data/nautilus_BTC-PERP-1m.csv"
echo
echo "== tradeloop data validate"
"$cli" data validate "$data/nautilus_BTC-PERP-1m.csv"
