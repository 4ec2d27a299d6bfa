#!/usr/bin/env bash
# Fetches Tulip Indicators 0.8.4 (the C amalgamation shipped in the npm package tulind 0.8.20,
# LGPL-3.0, Tulip Charts LLC) into third_party/tulip/, for bench/tulip/compare_bench.cpp only:
# the same-run speed reference the indicators issue compares against. tradeloop never links it
# into a library or program, and the repository does not carry it. Idempotent; pinned by
# SHA-256. Without npm or network it says so and exits 0 (the comparison bench is then skipped).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/third_party/tulip"
want=91913ce9772326d906b0ef2ef4b222e1e9479d7d0ef827428ef9f0000953bc8e
[ -f "$dest/tiamalgamation.c" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch_tulip: npm not found: the Tulip comparison bench is skipped"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && npm pack tulind@0.8.20 --silent >/dev/null 2>&1); then
  echo "fetch_tulip: could not download tulind@0.8.20: the Tulip comparison bench is skipped"
  exit 0
fi
got="$(sha256sum "$tmp/tulind-0.8.20.tgz" | cut -d' ' -f1)"
if [ "$got" != "$want" ]; then
  echo "fetch_tulip: tulind-0.8.20.tgz has SHA-256 $got, expected $want: not used" >&2
  exit 1
fi
tar -xzf "$tmp/tulind-0.8.20.tgz" -C "$tmp"
mkdir -p "$dest"
cp "$tmp/package/external/tiamalgamation.c" "$tmp/package/external/indicators.h" "$tmp/package/LICENSE" "$dest/"
echo "fetch_tulip: Tulip Indicators 0.8.4 (LGPL-3.0) in $dest"
