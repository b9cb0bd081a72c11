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

say "building the tests"
cargo test --workspace --exclude frontend --no-run
say "unit, store contract and HTTP tests, the crash tests (the real binary killed and restarted)"
cargo test --workspace --exclude frontend

say "the REST API fuzzed against its OpenAPI document (Schemathesis)"
scripts/fuzz-api.sh

say "the end-to-end tests' mail servers"
cargo build -p tests --bin mailservers

# The end-to-end tests run the release site (split, optimised WASM exactly as shipped) with the dev-profile
# server that `cargo test` just built (target/debug/karvon, the crash tests' binary): a fully optimised
# server took 20 of CI's minutes on two cores, and cargo-leptos's own dev build of it 10 more (the
# workspace's features differ from the server's alone, so little of `cargo test`'s build was reused).
say "release site (the server is cargo test's)"
scripts/build-site.sh --frontend-only
target/debug/karvon compress-site
scripts/wasm-size.sh

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
