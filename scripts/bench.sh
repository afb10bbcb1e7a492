#!/usr/bin/env bash
# Run the benchmark harness (scripts/bench): make sure PostgreSQL and MariaDB
# run, then measure the bridge against the baseline. Arguments go to the
# harness; MariaDB is included unless BENCH_MYSQL is set to "" explicitly.
#
#   scripts/bench.sh                      # full run (a few minutes)
#   scripts/bench.sh -short               # < 90 s, as CI runs it
#   scripts/bench.sh -markdown perf.md    # also write the table as Markdown
#   BENCH_MYSQL= scripts/bench.sh         # PostgreSQL only
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

bash scripts/ci-services.sh
mysql_dsn="${BENCH_MYSQL-root@tcp(127.0.0.1:3306)/}"
args=()
if [ -n "$mysql_dsn" ]; then
  args+=(-mysql "$mysql_dsn")
fi
exec go run ./scripts/bench "${args[@]}" "$@"
