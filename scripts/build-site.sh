#!/usr/bin/env bash
# Builds the release site (split, optimised WASM, minified JS and CSS in target/site) and, unless
# `--frontend-only` is given, the release server: `cargo leptos build --release --split --project karvon`,
# with wasm-opt's ~230 runs (one per WASM module) made one per core after the build instead of one after
# another inside it (see scripts/wasm-opt/wasm-opt). Extra arguments go to cargo-leptos.
set -euo pipefail
cd "$(dirname "$0")/.."
WASM_OPT=tools/node_modules/.bin/wasm-opt
[ -x "$WASM_OPT" ] || { echo "$WASM_OPT is missing: run scripts/setup.sh" >&2; exit 1; }
WASM_OPT_QUEUE=$(mktemp)
export WASM_OPT_QUEUE
trap 'rm -f "$WASM_OPT_QUEUE"' EXIT
PATH="$PWD/scripts/wasm-opt:$PATH" cargo leptos build --release --split --project karvon "$@"
[ -s "$WASM_OPT_QUEUE" ] || { echo "cargo-leptos ran no wasm-opt: is another one first on PATH?" >&2; exit 1; }
start=$SECONDS
xargs -P "$(nproc)" -L 1 "$WASM_OPT" < "$WASM_OPT_QUEUE"
echo "wasm-opt on $(wc -l < "$WASM_OPT_QUEUE") modules, $(nproc) at a time: $((SECONDS - start)) s"
