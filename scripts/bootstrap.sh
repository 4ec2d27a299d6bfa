#!/usr/bin/env bash
# Installs every Debian and npm dependency of tradeloop, idempotently.
# Run as root or with sudo. Packages already present are skipped; nothing is downloaded
# when everything is there, so `make test` and `make demo` can call it every time.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"

# Build toolchain, libraries (DESIGN.md §5), test tools, and the headless browser for report tests.
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  libfast-float-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libtomlplusplus-dev libsqlite3-dev sqlite3 zlib1g-dev
  libcairo2-dev libeigen3-dev
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm may come from another source than Debian (with npm bundled); only install
# Debian's when the commands are absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "bootstrap: all Debian packages present"
fi

# Browser-side chart libraries for the HTML report, pinned by web/package-lock.json.
if [ -f "$here/web/package.json" ]; then
  if [ ! -d "$here/web/node_modules" ] || [ "$here/web/package-lock.json" -nt "$here/web/node_modules/.package-lock.json" ]; then
    echo "bootstrap: installing npm packages in web/"
    (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error)
  else
    echo "bootstrap: npm packages present"
  fi
fi
