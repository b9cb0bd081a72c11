#!/usr/bin/env bash
# The WASM shell's budget: the module every first visit downloads (target/site/pkg/karvon.wasm, split, after
# wasm-opt) must stay under 250 KB gzip. Run after `cargo leptos build --release --split` and
# `karvon compress-site` (which writes the .gz copy at the level served). Prints the shell's sizes and the
# split modules' total; fails over budget, e.g. when the splitter leaves every module's data in the shell
# again (see SPLIT_SLACK in frontend/src/lib.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
PKG=${KARVON_SITE_ROOT:-target/site}/pkg
BUDGET=${WASM_SHELL_BUDGET:-250000}

size() { stat -c %s "$1"; }
shell=$PKG/karvon.wasm
[ -f "$shell.gz" ] || { echo "no $shell.gz: run karvon compress-site first" >&2; exit 1; }
raw=$(size "$shell"); gz=$(size "$shell.gz"); br=$(size "$shell.br")
n=0; split_gz=0
for f in "$PKG"/*.wasm; do
  [ "$f" = "$shell" ] && continue
  n=$((n + 1)); split_gz=$((split_gz + $(size "$f.gz")))
done
printf 'WASM shell: %d bytes raw, %d gzip, %d brotli (budget %d gzip); %d split modules, %d bytes gzip in all\n' \
  "$raw" "$gz" "$br" "$BUDGET" "$n" "$split_gz"
if [ "$gz" -gt "$BUDGET" ]; then
  echo "the WASM shell is over its budget of $BUDGET bytes gzip" >&2
  exit 1
fi
