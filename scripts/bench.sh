#!/usr/bin/env bash
# Runs every benchmark executable and keeps the results (text and JSON) in build/bench-results/.
set -euo pipefail
build="${1:-build}"
out="$build/bench-results"
mkdir -p "$out"
for b in "$build"/bench/*_bench; do
  name=$(basename "$b")
  echo "== $name"
  "$b" --benchmark_out="$out/$name.json" --benchmark_out_format=json | tee "$out/$name.txt"
done
echo "results in $out/"
