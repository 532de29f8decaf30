#!/bin/bash
# One-shot job of the compose `replica-setup` service, run on every `docker compose up`: checks
# that the replica replicates from the primary (GTID auto-positioning, both threads running) and
# repairs what is not, then makes the replica super_read_only. Safe to run any number of times:
#   docker compose -f docker/compose.yaml run --rm replica-setup
set -euo pipefail
# shellcheck source=client.sh
. /opt/msproject/mysql/client.sh

primary_host=${MYSQL_PRIMARY_HOST:-mysql-primary}
primary_port=${MYSQL_PRIMARY_PORT:-3306}
replica_host=${MYSQL_REPLICA_HOST:-mysql-replica}
wait_seconds=${MYSQL_WAIT_SECONDS:-300}

fail() {
  echo "replica-setup: $*" >&2
  exit 1
}

: "${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD is not set}"
: "${MYSQL_REPL_PASSWORD:?MYSQL_REPL_PASSWORD is not set}"
# CHANGE REPLICATION SOURCE TO refuses a SOURCE_PASSWORD longer than 32 characters.
((${#MYSQL_REPL_PASSWORD} <= 32)) || fail "MYSQL_REPL_PASSWORD is longer than 32 characters"

replica() { msp_mysql root "$MYSQL_ROOT_PASSWORD" -h "$replica_host" --connect-timeout=3 -N "$@"; }

# Both servers accept connections only once their first-start init is over.
deadline=$((SECONDS + wait_seconds))
until msp_mysql repl "$MYSQL_REPL_PASSWORD" -h "$primary_host" -P "$primary_port" \
  --connect-timeout=3 -e 'SELECT 1' >/dev/null 2>&1 && replica -e 'SELECT 1' >/dev/null 2>&1; do
  ((SECONDS < deadline)) || fail "$primary_host (as repl) or $replica_host (as root) did not answer within ${wait_seconds}s"
  sleep 2
done

state() {
  replica -e "SELECT CONCAT_WS(' ', s.SERVICE_STATE, a.SERVICE_STATE, c.HOST, c.PORT, c.AUTO_POSITION)
    FROM performance_schema.replication_connection_configuration c
    JOIN performance_schema.replication_connection_status s USING (CHANNEL_NAME)
    JOIN performance_schema.replication_applier_status a USING (CHANNEL_NAME)
    WHERE CHANNEL_NAME = ''"
}

wanted="ON ON $primary_host $primary_port 1"
current=$(state)
if [[ $current == "$wanted" ]]; then
  echo "replica-setup: already replicating from $primary_host:$primary_port"
else
  echo "replica-setup: replication is '${current:-not configured}'; (re)wiring it to $primary_host:$primary_port"
  # SOURCE_SSL + GET_SOURCE_PUBLIC_KEY: caching_sha2_password needs one of them to authenticate.
  replica <<SQL
STOP REPLICA;
CHANGE REPLICATION SOURCE TO
  SOURCE_HOST = $(msp_sql_string "$primary_host"),
  SOURCE_PORT = $primary_port,
  SOURCE_USER = 'repl',
  SOURCE_PASSWORD = $(msp_sql_string "$MYSQL_REPL_PASSWORD"),
  SOURCE_AUTO_POSITION = 1,
  SOURCE_SSL = 1,
  GET_SOURCE_PUBLIC_KEY = 1,
  SOURCE_CONNECT_RETRY = 5;
START REPLICA;
SQL
  deadline=$((SECONDS + 60))
  until [[ $(state) == "$wanted" ]]; do
    if ((SECONDS >= deadline)); then
      replica -e "SELECT CONCAT('connection: ', LAST_ERROR_MESSAGE) FROM performance_schema.replication_connection_status
        UNION ALL SELECT CONCAT('applier: ', LAST_ERROR_MESSAGE) FROM performance_schema.replication_applier_status_by_worker
        WHERE LAST_ERROR_NUMBER <> 0" >&2 || true
      fail "replication from $primary_host did not start (errors above)"
    fi
    sleep 1
  done
  echo "replica-setup: replicating from $primary_host:$primary_port (GTID auto-position)"
fi

# Not even accounts with SUPER may write on the replica; replication itself still applies.
# PERSIST: it survives restarts. Not a server flag: the image's first-start init must write.
replica -e 'SET PERSIST super_read_only = ON'
echo "replica-setup: super_read_only is on"
