#!/usr/bin/env bash
# Idempotent set-up shared by scripts/run.sh and scripts/test.sh: every step is skipped when already done,
# so a second run on a ready machine costs seconds. See ../shared/TOOLCHAIN.md for why each pin matters.
#   scripts/setup.sh            build tools (wasm target, cargo-leptos, wasm-bindgen, wasm-opt)
#   scripts/setup.sh --tests    also Chromium and Playwright for the end-to-end tests
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if [ "${1:-}" = "--tests" ] && ! command -v chromium >/dev/null; then
  say "installing Chromium (Debian package)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
fi

# Real mail servers for the mail client's tests (see ../shared/MAILTEST.md): Dovecot IMAP + LMTP and the
# aiosmtpd SMTP server, run by the test harness itself (no system service is started).
if [ "${1:-}" = "--tests" ] && { [ ! -x /usr/sbin/dovecot ] || [ ! -d /usr/lib/python3/dist-packages/aiosmtpd ] \
    || ! dpkg -s dovecot-lmtpd >/dev/null 2>&1; }; then
  say "installing Dovecot and aiosmtpd (Debian packages)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q dovecot-imapd dovecot-lmtpd python3-aiosmtpd openssl
fi

# pdftotext / pdftoppm: the documents' tests read the text of the PDFs Karvon prints (poppler-utils).
if [ "${1:-}" = "--tests" ] && ! command -v pdftotext >/dev/null; then
  say "installing poppler-utils (Debian package)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q poppler-utils
fi

# pg_dump / pg_restore for `karvon backup` / `restore` on PostgreSQL and their test.
if [ "${1:-}" = "--tests" ] && ! command -v pg_dump >/dev/null; then
  say "installing the PostgreSQL client tools (Debian package)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql-client
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# 0.3.11 needs rustc 1.96; 0.3.10 is the same code. no_downloads: it must use the tools on PATH.
if ! cargo leptos --version 2>/dev/null | grep -qx 'cargo-leptos 0.3.10'; then
  say "installing cargo-leptos 0.3.10 (about 10 minutes on 2 cores)"
  cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
WB=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WB"; then
  say "installing wasm-bindgen-cli $WB"
  cargo install wasm-bindgen-cli --version "$WB"
fi

# wasm-opt from npm's binaryen (Debian's wasm-opt 108 silently breaks hydration), in tools/: scripts/build-site.sh
# runs it, one module per core.
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  say "installing wasm-opt (npm binaryen)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = "--tests" ]; then
  if [ ! -x end2end/node_modules/.bin/playwright ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing Playwright (no browser download: the system Chromium is used)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
