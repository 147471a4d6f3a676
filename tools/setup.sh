#!/usr/bin/env bash
# Installs every Debian package inkan needs to build, test and run.
# Idempotent: when everything is present it only checks and exits (no apt-get call).
set -euo pipefail

# Catch2 v3 comes from bookworm-backports; everything else from bookworm.
PACKAGES=(
  # build
  cmake ninja-build g++ ccache pkg-config git
  # libraries (design.md §3)
  libbotan-2-dev libssl-dev libsqlitecpp-dev libsqlite3-dev libcli11-dev
  libcpp-httplib-dev libmstch-dev nlohmann-json3-dev libzip-dev
  # SMTP for the expiry mail (libcurl's SMTP client); pkcs11.h for CA keys on a token
  libcurl4-openssl-dev libp11-kit-dev
  # the PostgreSQL store backend (issue 22): libpq only; the package then depends on libpq5
  libpq-dev
  # third-party readers used by the tests
  openssl gnutls-bin libnss3-tools openjdk-17-jre-headless python3 python3-cryptography
  curl sqlite3 unzip python3-jsonschema python3-pytest
  # the relying party of the serve suites (docs/integration.md)
  nginx
  # test-only peers: an SMTP sink, a Prometheus text parser, a PKCS#11 token (never on the CA host)
  python3-aiosmtpd python3-prometheus-client softhsm2
  # test-only: the throwaway PostgreSQL 15 the store tests start themselves (initdb and pg_ctl
  # from /usr/lib/postgresql/15/bin, as nobody, on a Unix socket). Never a runtime dependency:
  # a site running several nodes brings its own PostgreSQL server (docs/operations.md).
  postgresql-15
  # browser tests: Debian's Chromium, driven by playwright-core from npm; pdftotext reads back
  # the password slips Chromium prints to PDF
  chromium fonts-ipafont-gothic poppler-utils
  # the Debian package and its checks (tests/packaging): dpkg-shlibdeps, the man page, lintian,
  # systemd-analyze verify, the minimal root of the offline bundle. Never on the CA host.
  dpkg-dev help2man lintian systemd mmdebstrap
)
BACKPORTS=(libcatch2-dev)

missing=()
for p in "${PACKAGES[@]}" "${BACKPORTS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Catch2 from bookworm main is v2; v3 is required.
if dpkg-query -W -f='${Version}' libcatch2-dev 2>/dev/null | grep -q '^2\.'; then
  missing+=(libcatch2-dev)
fi

# Node.js and npm only drive the browser tests. A machine that already has them (e.g. from
# NodeSource, whose nodejs bundles npm) keeps them; otherwise Debian's packages are used.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

browser_deps() {
  # playwright-core only (never a downloaded browser): installed at setup time, not at test time.
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/browser"
  if [ ! -d "$dir/node_modules/playwright-core" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: installing playwright-core for the browser tests"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  browser_deps
  echo "setup: all packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" | $SUDO tee /etc/apt/sources.list.d/inkan-backports.list >/dev/null
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q || echo "setup: apt-get update reported errors; continuing with the lists we have" >&2
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" \
  $(printf '%s\n' "${missing[@]}" | grep -xE 'nodejs|npm' || true)
$SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports "${BACKPORTS[@]}"
browser_deps
echo "setup: done"
