#!/usr/bin/env bash
# Runs every test: unit tests, the store contract and HTTP suites (SQLite always; PostgreSQL too when
# TEST_POSTGRES_URL is set), the REST API fuzzed with Schemathesis, then the Playwright end-to-end suite in Chromium against the release build
# (on SQLite, and on PostgreSQL when TEST_POSTGRES_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests

# Each step says when it starts (minutes into this script), so a slow CI run shows where its time went.
say() { printf '\033[1;34m[test %d:%02d]\033[0m %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

# The output name cargo-leptos gives the server's build: with it, `cargo test` compiles leptos (and all that
# depends on it) the way the end-to-end build below does, instead of each build redoing the other's.
export LEPTOS_OUTPUT_NAME=karvon

# This builds the end-to-end tests' two binaries as well (Cargo builds a package's binaries for its
# integration tests): target/debug/karvon, the server, and target/debug/mailservers, their IMAP and SMTP
# servers. Built alone (`cargo build -p ...`) they cost minutes more: the workspace's features differ.
say "building the tests"
cargo test --workspace --exclude frontend --no-run
for bin in karvon mailservers; do
  [ -x "target/debug/$bin" ] || { echo "cargo test did not build target/debug/$bin" >&2; exit 1; }
done
# The end-to-end tests run the release site (split, optimised WASM exactly as shipped) with the dev-profile
# server that `cargo test` just built (target/debug/karvon, the crash tests' binary): a fully optimised
# server took 20 of CI's minutes on two cores, and cargo-leptos's own dev build of it 10 more (the
# workspace's features differ from the server's alone, so little of `cargo test`'s build was reused).
# The site (~15 minutes: the WASM's one-codegen-unit LTO build, wasm-opt on ~230 modules, brotli and
# zopfli) builds in the background, niced, while the tests and the fuzzing run beside it: they leave a
# core idle much of the time. Its output is shown once it is done.
say "release site, in the background (the server is cargo test's)"
setsid -w nice -n 10 bash -c 'scripts/build-site.sh --frontend-only && target/debug/karvon compress-site && scripts/wasm-size.sh' \
  > target/site-build.log 2>&1 &
SITE_PID=$!
trap 'kill -- -$SITE_PID 2>/dev/null || true' EXIT

say "unit, store contract and HTTP tests, the crash tests (the real binary killed and restarted)"
cargo test --workspace --exclude frontend

say "the REST API fuzzed against its OpenAPI document (Schemathesis)"
scripts/fuzz-api.sh

say "waiting for the release site"
if ! wait "$SITE_PID"; then
  cat target/site-build.log
  echo "the release site did not build" >&2
  exit 1
fi
grep -v '^warning: unknown name subsection' target/site-build.log | tail -n 12
trap - EXIT

run_e2e() {
  local db_url=$1 label=$2
  say "end-to-end tests on $label"
  (cd end2end && E2E_DATABASE_URL="$db_url" KARVON_E2E_BIN=target/debug/karvon npx playwright test)
}

. scripts/each-database.sh
each_database karvon_e2e run_e2e
if [ -z "${TEST_POSTGRES_URL:-}" ]; then
  printf '\033[1;33m[test]\033[0m %s\n' "TEST_POSTGRES_URL is not set: every PostgreSQL variant was IGNORED (see the 'ignored' counts above), and the end-to-end suite ran on SQLite only"
fi
say "all tests passed"
