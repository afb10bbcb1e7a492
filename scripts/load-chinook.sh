#!/usr/bin/env bash
# Load the Chinook sample database (internal/testdb/fixtures/chinook, MIT) into
# the local PostgreSQL as database `chinook` and into MariaDB/MySQL as database
# `Chinook`, replacing them if they exist. For manual checks and benchmarks:
#
#   scripts/load-chinook.sh            # both
#   scripts/load-chinook.sh postgres   # or: mysql
#   DATABASE_ENGINE=postgresql DATABASE_HOST=127.0.0.1 DATABASE_USER=postgres \
#     DATABASE_NAME=chinook BEARER_AUTH_KEY=secret go run ./cmd/jetbridge serve
#
# Connection: PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres) and
# MYSQL_HOST/MYSQL_TCP_PORT/MYSQL_USER (default 127.0.0.1:3306, root); passwords
# through PGPASSWORD / MYSQL_PWD or the clients' option files.
set -euo pipefail

dir="$(cd "$(dirname "$0")/.." && pwd)/internal/testdb/fixtures/chinook"
what="${1:-all}"
case "$what" in
  all | postgres | postgresql | mysql | mariadb) ;;
  *) echo "usage: $0 [all|postgres|mysql]" >&2; exit 2 ;;
esac

count() { # run a client query, print its single value
  "$@" 2>/dev/null | tr -d '[:space:]'
}

load_postgres() {
  local host="${PGHOST:-127.0.0.1}" port="${PGPORT:-5432}" user="${PGUSER:-postgres}" start
  command -v psql >/dev/null || { echo "psql not found" >&2; return 1; }
  start=$(date +%s%N)
  # The file drops and creates database chinook, then \c's into it.
  PGCLIENTENCODING=UTF8 PGOPTIONS="-c client_min_messages=warning" psql -h "$host" -p "$port" -U "$user" -d postgres -X -q \
    -v ON_ERROR_STOP=1 -f "$dir/Chinook_PostgreSql.sql" >/dev/null
  echo "PostgreSQL $host:$port database chinook: $(count psql -h "$host" -p "$port" -U "$user" -d chinook -X -tAc 'SELECT count(*) FROM track') tracks, loaded in $(( ($(date +%s%N) - start) / 1000000 )) ms"
}

load_mysql() {
  local host="${MYSQL_HOST:-127.0.0.1}" port="${MYSQL_TCP_PORT:-3306}" user="${MYSQL_USER:-root}" client start
  client=$(command -v mariadb || command -v mysql) || { echo "mariadb/mysql client not found" >&2; return 1; }
  start=$(date +%s%N)
  # The file drops and creates database Chinook and USEs it. NO_BACKSLASH_ESCAPES
  # keeps the '\' in a few track names, as PostgreSQL and SQLite read them.
  "$client" -h "$host" -P "$port" -u "$user" --protocol=tcp --default-character-set=utf8mb4 \
    --init-command="SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'NO_BACKSLASH_ESCAPES')" \
    < "$dir/Chinook_MySql.sql"
  echo "MariaDB/MySQL $host:$port database Chinook: $(count "$client" -h "$host" -P "$port" -u "$user" --protocol=tcp -N -e 'SELECT count(*) FROM Chinook.Track') tracks, loaded in $(( ($(date +%s%N) - start) / 1000000 )) ms"
}

case "$what" in
  all) load_postgres; load_mysql ;;
  postgres | postgresql) load_postgres ;;
  mysql | mariadb) load_mysql ;;
esac
