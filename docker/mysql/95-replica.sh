#!/bin/bash
# First-start init of the REPLICA only (after 90-reset-gtids.sql): waits for the primary, then
# points replication at it with GTID auto-positioning and checks that the I/O thread connects.
# Works whether the image's entrypoint sources or executes it: no `exit` on success.
set -eo pipefail

msp_primary_host=${MYSQL_PRIMARY_HOST:-mysql-primary}
msp_primary_port=${MYSQL_PRIMARY_PORT:-3306}
msp_wait_seconds=${MYSQL_PRIMARY_WAIT_SECONDS:-300}
msp_socket=${SOCKET:-/var/run/mysqld/mysqld.sock}

msp_sql_string() {
  local value=${1//\\/\\\\}
  printf "'%s'" "${value//\'/\'\'}"
}
msp_local() { MYSQL_PWD=$MYSQL_ROOT_PASSWORD mysql --protocol=socket --socket="$msp_socket" -uroot "$@"; }

# The primary is reachable only once its own init is over (its init server skips networking).
msp_deadline=$((SECONDS + msp_wait_seconds))
until MYSQL_PWD=$MYSQL_REPL_PASSWORD mysql -h "$msp_primary_host" -P "$msp_primary_port" -urepl \
  --connect-timeout=3 -e 'SELECT 1' >/dev/null 2>&1; do
  if ((SECONDS >= msp_deadline)); then
    echo "95-replica.sh: primary $msp_primary_host:$msp_primary_port did not accept user repl within ${msp_wait_seconds}s" >&2
    exit 1
  fi
  sleep 2
done

# SOURCE_SSL + GET_SOURCE_PUBLIC_KEY: caching_sha2_password needs one of them to authenticate.
msp_local <<SQL
CHANGE REPLICATION SOURCE TO
  SOURCE_HOST = $(msp_sql_string "$msp_primary_host"),
  SOURCE_PORT = $msp_primary_port,
  SOURCE_USER = 'repl',
  SOURCE_PASSWORD = $(msp_sql_string "$MYSQL_REPL_PASSWORD"),
  SOURCE_AUTO_POSITION = 1,
  SOURCE_SSL = 1,
  GET_SOURCE_PUBLIC_KEY = 1,
  SOURCE_CONNECT_RETRY = 5;
START REPLICA;
SQL

msp_deadline=$((SECONDS + 60))
until [[ $(msp_local -N -e "SELECT SERVICE_STATE FROM performance_schema.replication_connection_status") == ON ]]; do
  if ((SECONDS >= msp_deadline)); then
    echo "95-replica.sh: replication did not connect to $msp_primary_host:" >&2
    msp_local -e 'SHOW REPLICA STATUS\G' >&2 || true
    exit 1
  fi
  sleep 1
done
echo "95-replica.sh: replicating from $msp_primary_host:$msp_primary_port (GTID auto-position)"
