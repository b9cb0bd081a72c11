# Sourced by scripts/test.sh and scripts/bench-board.sh: `each_database NAME FN` calls `FN URL LABEL` on a
# fresh SQLite file, then, when TEST_POSTGRES_URL is set, on a fresh PostgreSQL database `NAME_<pid>`;
# both are removed on exit.
each_database() {
  local name=$1 fn=$2
  EACH_DB_DIR=$(mktemp -d)
  trap 'rm -rf "$EACH_DB_DIR"' EXIT
  "$fn" "sqlite://$EACH_DB_DIR/$name.db" SQLite
  if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    EACH_DB_PG="${name}_$$"
    psql "$TEST_POSTGRES_URL" -qc "CREATE DATABASE $EACH_DB_PG" >/dev/null
    trap 'rm -rf "$EACH_DB_DIR"; psql "$TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $EACH_DB_PG WITH (FORCE)" >/dev/null' EXIT
    "$fn" "${TEST_POSTGRES_URL%/*}/$EACH_DB_PG" PostgreSQL
  fi
}
