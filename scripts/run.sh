#!/usr/bin/env bash
# Builds Karvon (release) and starts it at http://127.0.0.1:3000 on an embedded SQLite database in ./data.
# Configuration: see README (DATABASE_URL for PostgreSQL, KARVON_ADDR, ...). Extra arguments go to `karvon`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-site.sh
target/release/karvon compress-site     # .br and .gz copies of the WASM, JS and CSS, served as they are
exec target/release/karvon "$@"
