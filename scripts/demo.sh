#!/usr/bin/env bash
# `make demo`: the main job on the bundled real data, end to end.
#   1. inspect and validate a real BTC 1-minute file, resample it to 15 minutes;
#   2. backtest the user guide's example strategy (EMA crossover + RSI filter, 2 % stop,
#      4 % target, 2 % risk per trade) with an HTML tearsheet and a PNG dashboard;
#   3. optimise an SMA crossover on daily GOOG data (grid) and validate it walk-forward.
set -euo pipefail
cli="${1:-build/bin/tradeloop}"
data=examples/data
out="${DEMO_DIR:-build/demo}"
mkdir -p "$out"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Data: what is in the bundled BTC-PERP 1-minute file"
"$cli" data info "$data/nautilus_BTC-PERP-1m.csv"
step "Data: validation"
"$cli" data validate "$data/nautilus_BTC-PERP-1m.csv"
step "Data: resample to 15-minute bars"
"$cli" data resample "$data/nautilus_BTC-PERP-1m.csv" --timeframe 15m --output "$out/btc_perp_15m.csv"

step "Backtest: the guide's ma_crossover on BTC-PERP 15m (fees 0.1 %, slippage 0.05 %)"
"$cli" backtest --data "$out/btc_perp_15m.csv" --strategy ma_crossover \
  --set initial_capital=10000 --set sizing=risk --set risk_per_trade=0.02 \
  --set stop_loss_pct=0.02 --set take_profit_pct=0.04 \
  --set commission_pct=0.001 --set slippage_pct=0.0005 \
  --trades "$out/trades.csv" --equity "$out/equity.csv" \
  --report "$out/report.html" --png "$out/dashboard.png"

step "Optimise: sma_cross on GOOG daily, grid of fast x slow, objective Sharpe ratio"
"$cli" optimize --data "$data/backtestingpy_GOOG-1d.csv" --strategy sma_cross \
  --range fast=5:50:5 --range slow=20:200:20 --constraint 'fast<slow' \
  --method grid --objective sharpe_ratio --output "$out/optimize.csv" --html "$out/optimize.html"

step "Walk-forward: 5 rolling splits, 80 % in-sample"
"$cli" walkforward --data "$data/backtestingpy_GOOG-1d.csv" --strategy sma_cross \
  --range fast=5:50:5 --range slow=20:200:20 --constraint 'fast<slow' \
  --splits 5 --train-ratio 0.8 --objective sharpe_ratio \
  --output "$out/walkforward.csv" --html "$out/walkforward.html"

step "Done"
echo "Backtest report:     $(realpath "$out/report.html")"
echo "PNG dashboard:       $(realpath "$out/dashboard.png")"
echo "Optimisation report: $(realpath "$out/optimize.html")"
echo "Walk-forward report: $(realpath "$out/walkforward.html")"
