#!/usr/bin/env bash
# Start PostgreSQL and MariaDB on this machine when they are not running, and
# wait until both accept connections. Used by .ci/run and scripts/bench.
set -euo pipefail

pg_ready() { psql -U postgres -h 127.0.0.1 -tAc 'SELECT 1' >/dev/null 2>&1; }
my_ready() { mariadb -u root -h 127.0.0.1 -e 'SELECT 1' >/dev/null 2>&1; }

if ! pg_ready; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! my_ready; then
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
fi
for i in $(seq 1 60); do
  if pg_ready && my_ready; then break; fi
  sleep 1
done
pg_ready || { echo "PostgreSQL is not reachable at 127.0.0.1:5432 as postgres" >&2; exit 1; }
my_ready || { echo "MariaDB is not reachable at 127.0.0.1:3306 as root" >&2; exit 1; }
echo "PostgreSQL and MariaDB are up"
