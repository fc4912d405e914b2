# Sourced by scripts/run and scripts/test: installs what a fresh machine of
# this kind lacks. Each step checks first, so a warm machine skips it.
# Versions are pinned: wasm-bindgen-cli equal to the wasm-bindgen of
# Cargo.lock, binaryen 132 from npm. The site is built by `build_site` below
# with plain cargo, wasm-bindgen and wasm-opt: compiling cargo-leptos itself
# took 15–25 minutes of every fresh machine's test run.

set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/target/tools"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

ensure_rust_tools() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup first" >&2; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (once; about 8 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

# wasm-opt for release builds, from npm's binaryen: Debian's binaryen 108 produces
# a module that fails to hydrate in Chromium.
ensure_binaryen() {
  if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
    say "Installing binaryen@$BINARYEN_VERSION (wasm-opt) from npm"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  fi
  export PATH="$TOOLS/node_modules/.bin:$PATH"
}

# Installs Debian packages, as root or through sudo.
apt_install() {
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null; then
    say "Installing Debian's Chromium for the browser tests"
    apt_install chromium
  fi
}

# poppler-utils: a PDF reader independent of ours (pdftoppm, pdftotext), with
# which the tests check that the evidence pack's report renders.
ensure_poppler() {
  if ! command -v pdftoppm >/dev/null || ! command -v pdftotext >/dev/null; then
    say "Installing poppler-utils to read the PDF reports in the tests"
    apt_install poppler-utils
  fi
}

ensure_browser_test_packages() {
  local modules="$ROOT/tests/browser/node_modules"
  if [ ! -f "$modules/.package-lock.json" ] || [ "$ROOT/tests/browser/package-lock.json" -nt "$modules/.package-lock.json" ]; then
    say "Installing the browser test packages (Playwright without a browser download)"
    (cd "$ROOT/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
}

# A reachable PostgreSQL on 127.0.0.1:5432, started if it is installed but down.
ensure_lighthouse_packages() {
  local modules="$ROOT/tests/lighthouse/node_modules"
  if [ ! -f "$modules/.package-lock.json" ] || [ "$ROOT/tests/lighthouse/package-lock.json" -nt "$modules/.package-lock.json" ]; then
    say "Installing Lighthouse for the benchmarks (P11)"
    (cd "$ROOT/tests/lighthouse" && npm ci --no-audit --no-fund --silent)
  fi
}
ensure_postgres() {
  export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
  if ! pg_isready -q 2>/dev/null; then
    if [ -d /etc/postgresql ]; then
      say "Starting the local PostgreSQL server"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
      for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
    fi
  fi
  pg_isready -q || { echo "PostgreSQL is not reachable at $PGHOST:$PGPORT (apt-get install -y postgresql)" >&2; exit 1; }
}

# schemathesis (property-based API testing, from PyPI) in a virtualenv of its own.
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  if [ "$("$TOOLS/venv/bin/schemathesis" --version 2>/dev/null | awk '{print $3}')" != "$SCHEMATHESIS_VERSION" ]; then
    say "Installing schemathesis $SCHEMATHESIS_VERSION from PyPI"
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

# The SMTP server of the outbox tests (a real one, on loopback): Python's
# aiosmtpd in the same virtual environment; the tests run
# $HAILONG_TEST_PYTHON -m aiosmtpd.
AIOSMTPD_VERSION=1.4.6
ensure_aiosmtpd() {
  if ! "$TOOLS/venv/bin/python3" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    say "Installing aiosmtpd $AIOSMTPD_VERSION from PyPI (the SMTP server of the outbox tests)"
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install --quiet "aiosmtpd==$AIOSMTPD_VERSION"
  fi
  export HAILONG_TEST_PYTHON="$TOOLS/venv/bin/python3"
}

# Builds the wasm bundle and the site folder the server serves
# (LEPTOS_SITE_ROOT): target/site/pkg/hailong.<hash>.{js,wasm,css}, named
# after a hash of their contents so that browsers may keep them for a year,
# pkg/bundle.txt with that name (the server reads it at start), and the
# files of public/. `build_site release` optimises the wasm with wasm-opt
# and writes .gz and .br copies beside each file, which the server sends
# when a browser accepts them. The server binary is built separately with
# plain cargo.
build_site() {
  local mode="${1:-debug}" profile=dev out=debug
  if [ "$mode" = release ]; then profile=wasm-release out=wasm-release; fi
  say "Building the wasm bundle ($mode)"
  cargo build -p hailong-frontend --lib --target wasm32-unknown-unknown --profile "$profile"
  local site="$ROOT/target/site" pkg="$ROOT/target/site/pkg"
  rm -rf "$site"
  mkdir -p "$pkg"
  wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name hailong \
    "$ROOT/target/wasm32-unknown-unknown/$out/hailong_frontend.wasm"
  mv "$pkg/hailong_bg.wasm" "$pkg/hailong.wasm"
  cp "$ROOT/style/main.css" "$pkg/hailong.css"
  cp -r "$ROOT/public/." "$site/"
  if [ "$mode" = release ]; then
    wasm-opt -Oz "$pkg/hailong.wasm" -o "$pkg/hailong.wasm"
  fi
  local hash
  hash="$(cat "$pkg/hailong.js" "$pkg/hailong.wasm" "$pkg/hailong.css" | sha256sum | cut -c1-16)"
  for kind in js wasm css; do mv "$pkg/hailong.$kind" "$pkg/hailong.$hash.$kind"; done
  printf 'hailong.%s\n' "$hash" > "$pkg/bundle.txt"
  if [ "$mode" = release ]; then
    node -e '
      const fs = require("fs"), zlib = require("zlib"), path = require("path");
      const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
      for (const file of walk(process.argv[1])) {
        const data = fs.readFileSync(file);
        fs.writeFileSync(file + ".gz", zlib.gzipSync(data, { level: 9 }));
        fs.writeFileSync(file + ".br", zlib.brotliCompressSync(data, {
          params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }' "$site"
  fi
}

# Waits until the server at $1 answers /healthz.
wait_for_health() {
  for _ in $(seq 1 120); do
    if curl -fsS "$1/healthz" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "the server at $1 did not become healthy" >&2
  return 1
}

# Waits until something listens on 127.0.0.1:$1 (the SMTP server of the
# browser tests: on a new machine its first start compiles its Python).
wait_for_port() {
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "nothing listens on port $1" >&2
  return 1
}
