#!/usr/bin/env bash
# Board benchmarks in Chromium (end2end/bench): 5,000 open deals (20,000 in all over the last year, on
# 20,000 demo customers), the release build's first render of /deals and a move seen by a second browser.
# SQLite always; PostgreSQL too when TEST_POSTGRES_URL is set. Builds the release first if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
[ -x target/release/karvon ] || scripts/build-site.sh
target/release/karvon compress-site >/dev/null

run() {
  local url=$1 label=$2
  echo "seeding $label"
  DATABASE_URL="$url" target/release/karvon seed-demo --customers 20000 --deals 20000 >/dev/null
  DATABASE_URL="$url" target/release/karvon admin create --email bench@karvon.uz --password bench-password-1 \
    --name 'Bench Admin' >/dev/null
  (cd end2end && BENCH_DATABASE_URL="$url" BENCH_LABEL="$label" npx playwright test -c playwright.bench.config.ts)
}

. scripts/each-database.sh
each_database karvon_board_bench run
