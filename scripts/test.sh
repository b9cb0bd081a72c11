#!/usr/bin/env bash
# Runs every test: unit tests, the store contract and HTTP suites (SQLite always; PostgreSQL too when
# TEST_POSTGRES_URL is set), the REST API fuzzed with Schemathesis, then the Playwright end-to-end suite in Chromium against the release build
# (on SQLite, and on PostgreSQL when TEST_POSTGRES_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests

say() { printf '\033[1;34m[test]\033[0m %s\n' "$*"; }

# The output name cargo-leptos gives the server's build: with it, `cargo test` compiles leptos (and all that
# depends on it) the way the end-to-end build below does, instead of each build redoing the other's.
export LEPTOS_OUTPUT_NAME=karvon

say "unit, store contract and HTTP tests, the crash tests (the real binary killed and restarted)"
cargo test --workspace --exclude frontend

say "the REST API fuzzed against its OpenAPI document (Schemathesis)"
scripts/fuzz-api.sh

say "the end-to-end tests' mail servers"
cargo build -p tests --bin mailservers

# The end-to-end tests run the release site (split, optimised WASM exactly as shipped) with the server
# compiled in the dev profile (project karvon-e2e in Cargo.toml): it reuses what `cargo test` just compiled,
# where a fully optimised server took 20 of CI's minutes on two cores.
say "release site, dev-profile server"
cargo leptos build --release --split --project karvon-e2e
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
