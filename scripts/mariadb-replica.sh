#!/usr/bin/env bash
# A MariaDB primary + read-only replica with real GTID binlog replication, for the integration
# tests of read/write splitting. No Docker: it runs the machine's mariadbd (Debian 12, 10.11) as
# two extra server processes on spare ports, as root, and never touches the system MariaDB or
# port 3306.
#
#   bash scripts/mariadb-replica.sh start          # init (first time), start both, wire, verify
#   bash scripts/mariadb-replica.sh status         # exit 0 only when both answer and replication runs
#   bash scripts/mariadb-replica.sh stop-replica   # kill only the replica server (dead-replica tests)
#   bash scripts/mariadb-replica.sh start-replica  # bring it back; replication resumes from its GTID
#   bash scripts/mariadb-replica.sh hold-replica   # stop applying changes (SQL thread): the replica lags
#   bash scripts/mariadb-replica.sh release-replica  # apply again; it catches up from the relay log
#   bash scripts/mariadb-replica.sh env            # `eval "$(… env)"` exports the connection facts
#   bash scripts/mariadb-replica.sh stop | destroy
#
# Prerequisite: apt-get install -y mariadb-server mariadb-client
# Accounts: root via the unix socket only; repl/replpw (replication); msproject/msproject with ALL
# on `msproject`.* and `msproject\_%`.* (tests create msproject_test_* databases).
set -euo pipefail

BASE=${MSP_REPLICA_DIR:-/tmp/msproject-replica}
PRIMARY_PORT=${MSP_REPLICA_PRIMARY_PORT:-3316}
REPLICA_PORT=${MSP_REPLICA_REPLICA_PORT:-3317}
TIMEOUT=${MSP_REPLICA_TIMEOUT:-60} # seconds, for every bounded wait
RUN_USER=${MSP_REPLICA_RUN_USER:-mysql}
HOST=127.0.0.1
REPL_USER=repl
REPL_PASSWORD=replpw
APP_USER=msproject
APP_PASSWORD=msproject
APP_DB=msproject
# Outside the app's grants, so tests that drop msproject_* databases cannot remove it.
CHECK_DB=msp_replication_check
MARKER_FILE=.msproject-replica

log() { printf '[mariadb-replica] %s\n' "$*"; }
die() {
  printf '[mariadb-replica] ERROR: %s\n' "$*" >&2
  exit 1
}

dir_of() { printf '%s/%s' "$BASE" "$1"; }
socket_of() { printf '%s/%s/mysqld.sock' "$BASE" "$1"; }
port_of() { if [[ $1 == primary ]]; then echo "$PRIMARY_PORT"; else echo "$REPLICA_PORT"; fi; }

# root over the unix socket; --no-defaults so /etc/mysql (port 3306) is never read.
sql() {
  local name=$1
  shift
  mariadb --no-defaults --user=root --socket="$(socket_of "$name")" --connect-timeout=5 "$@"
}

log_tail() {
  local file
  file="$(dir_of "$1")/log/error.log"
  if [[ -f $file ]]; then
    echo "---- last lines of $file ----" >&2
    tail -n 25 "$file" >&2
    echo "----" >&2
  fi
}

check_prerequisites() {
  local cmd
  for cmd in mariadbd mariadb mariadb-admin mariadb-install-db flock; do
    command -v "$cmd" >/dev/null ||
      die "$cmd not found; install it with: apt-get install -y mariadb-server mariadb-client"
  done
  [[ $(id -u) == 0 ]] || die "run as root (mariadbd is started as the '$RUN_USER' user)"
  id "$RUN_USER" >/dev/null 2>&1 || die "system user '$RUN_USER' does not exist"
  [[ $BASE == /* ]] || die "MSP_REPLICA_DIR must be an absolute path, got '$BASE'"
  local port
  for port in "$PRIMARY_PORT" "$REPLICA_PORT"; do
    [[ $port =~ ^[0-9]+$ ]] || die "port '$port' is not a number"
    [[ $port != 3306 ]] || die "port 3306 belongs to the system MariaDB; choose another"
  done
  [[ $PRIMARY_PORT != "$REPLICA_PORT" ]] || die "primary and replica ports must differ"
  # sun_path holds 108 bytes; a longer socket path fails at bind with an obscure message.
  ((${#BASE} + 20 < 108)) || die "MSP_REPLICA_DIR is too long for a unix socket path: $BASE"
}

# The pid file alone is not proof: the pid may have been reused after a reboot or a crash.
server_pid() {
  local pidfile pid
  pidfile="$(dir_of "$1")/mysqld.pid"
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--datadir=$(dir_of "$1")/data" || return 1
  echo "$pid"
}

answers() { mariadb-admin --no-defaults --user=root --socket="$(socket_of "$1")" --connect-timeout=2 ping >/dev/null 2>&1; }

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# The marker lets `destroy` prove the directory is ours before deleting it.
ensure_base() {
  if [[ ! -e $BASE ]]; then
    mkdir -p "$BASE"
    touch "$BASE/$MARKER_FILE"
  elif [[ ! -f $BASE/$MARKER_FILE ]]; then
    [[ -z $(ls -A "$BASE") ]] || die "$BASE exists and was not created by this script; set MSP_REPLICA_DIR"
    touch "$BASE/$MARKER_FILE"
  fi
}

init_datadir() {
  local name=$1 dir
  dir=$(dir_of "$name")
  [[ -d $dir/data/mysql ]] && return 0
  mkdir -p "$dir/data" "$dir/log"
  chown -R "$RUN_USER:$RUN_USER" "$dir"
  log "[$name] initialising $dir/data"
  # Bootstrap writes no binlog, so the replica can later start from the primary's first event.
  if ! mariadb-install-db --no-defaults --user="$RUN_USER" --datadir="$dir/data" \
    --skip-test-db --skip-name-resolve >"$dir/log/install-db.log" 2>&1; then
    tail -n 25 "$dir/log/install-db.log" >&2
    rm -rf "$dir/data"
    die "[$name] mariadb-install-db failed (log: $dir/log/install-db.log)"
  fi
}

start_server() {
  local name=$1 port dir
  port=$(port_of "$name")
  dir=$(dir_of "$name")
  if server_pid "$name" >/dev/null; then
    log "[$name] already running (pid $(server_pid "$name"), port $port)"
    wait_until_answers "$name"
    return 0
  fi
  rm -f "$dir/mysqld.pid"
  port_in_use "$port" && die "[$name] port $port is already in use by another process: $(ss -ltnpH "sport = :$port" 2>/dev/null)"

  local role_args=()
  if [[ $name == primary ]]; then
    role_args=(--server-id=1 --log-bin=primary-bin --binlog-format=ROW)
  else
    # slave-net-timeout: notice a vanished primary in seconds, not the default minute.
    role_args=(--server-id=2 --relay-log=replica-relay-bin --read-only=1 --slave-net-timeout=10)
  fi
    local log_lines=0
  [[ -f $dir/log/error.log ]] && log_lines=$(wc -l <"$dir/log/error.log")
  # setsid: the server must outlive the shell (and process group) that started it.
  # Test servers: trade crash durability for speed (flush once a second).
  setsid mariadbd --no-defaults --user="$RUN_USER" \
    --datadir="$dir/data" --port="$port" --bind-address="$HOST" \
    --socket="$(socket_of "$name")" --pid-file="$dir/mysqld.pid" \
    --log-error="$dir/log/error.log" --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --max-connections=500 --innodb-buffer-pool-size=64M \
    --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
    "${role_args[@]}" </dev/null >"$dir/log/stdout.log" 2>&1 9>&- &
  local launched=$!
  local deadline=$((SECONDS + TIMEOUT))
  while ! answers "$name"; do
    # Fatal start-up errors (port taken, bad datadir) end with "Aborting" in the error log.
    if tail -n "+$((log_lines + 1))" "$dir/log/error.log" 2>/dev/null | grep -q 'Aborting'; then
      log_tail "$name"
      die "[$name] mariadbd aborted during start-up"
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$name"
      die "[$name] mariadbd did not answer within ${TIMEOUT}s"
    fi
    sleep 0.2
  done
  log "[$name] up on $HOST:$port (pid $(server_pid "$name" || echo "$launched"))"
}

wait_until_answers() {
  local deadline=$((SECONDS + TIMEOUT))
  until answers "$1"; do
    ((SECONDS < deadline)) || {
      log_tail "$1"
      die "[$1] running but not answering within ${TIMEOUT}s"
    }
    sleep 0.2
  done
}

stop_server() {
  local name=$1 pid
  if ! pid=$(server_pid "$name"); then
    rm -f "$(dir_of "$name")/mysqld.pid"
    log "[$name] not running"
    return 0
  fi
  kill -TERM "$pid" # SIGTERM = clean shutdown
  local deadline=$((SECONDS + TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log_tail "$name"
      die "[$name] pid $pid still running ${TIMEOUT}s after SIGTERM"
    fi
    sleep 0.2
  done
  rm -f "$(dir_of "$name")/mysqld.pid"
  log "[$name] stopped (pid $pid)"
}

# Runs on every start; every statement is idempotent. It runs with log-bin on, so the accounts and
# databases reach the replica through replication rather than being created there by hand.
provision_primary() {
  sql primary <<SQL
CREATE USER IF NOT EXISTS '$REPL_USER'@'$HOST' IDENTIFIED BY '$REPL_PASSWORD';
GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'$HOST';
CREATE DATABASE IF NOT EXISTS \`$APP_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$APP_USER'@'$HOST' IDENTIFIED BY '$APP_PASSWORD';
CREATE USER IF NOT EXISTS '$APP_USER'@'localhost' IDENTIFIED BY '$APP_PASSWORD';
GRANT ALL ON \`$APP_DB\`.* TO '$APP_USER'@'$HOST', '$APP_USER'@'localhost';
GRANT ALL ON \`${APP_DB}\\_%\`.* TO '$APP_USER'@'$HOST', '$APP_USER'@'localhost';
CREATE DATABASE IF NOT EXISTS \`$CHECK_DB\`;
CREATE TABLE IF NOT EXISTS \`$CHECK_DB\`.heartbeat (id TINYINT PRIMARY KEY, marker VARCHAR(64) NOT NULL);
SQL
}

replica_field() { # replica_field <SHOW SLAVE STATUS field>
  sql replica -e 'SHOW SLAVE STATUS\G' 2>/dev/null | awk -F': ' -v k="$1" '$1 ~ "^ *"k"$" { print $2 }'
}

wire_replica() {
  if [[ -z $(sql replica -N -e 'SHOW SLAVE STATUS' 2>/dev/null) ]]; then
    # Fresh replica: empty gtid_slave_pos, so it replays the primary's binlog from its first event.
    sql replica <<SQL
CHANGE MASTER TO MASTER_HOST='$HOST', MASTER_PORT=$PRIMARY_PORT,
  MASTER_USER='$REPL_USER', MASTER_PASSWORD='$REPL_PASSWORD',
  MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
START SLAVE;
SQL
    log "[replica] replication configured from $HOST:$PRIMARY_PORT (GTID slave_pos)"
  elif [[ $(replica_field Slave_IO_Running) != Yes || $(replica_field Slave_SQL_Running) != Yes ]]; then
    sql replica -e 'START SLAVE'
  fi
}

replication_summary() {
  sql replica -e 'SHOW SLAVE STATUS\G' 2>/dev/null |
    grep -E '^ *(Slave_IO_Running|Slave_SQL_Running|Seconds_Behind_Master|Using_Gtid|Gtid_IO_Pos|Last_IO_Error|Last_SQL_Error):' || true
}

# Writes a fresh marker on the primary and waits for it on the replica, which also proves that
# everything written before it has been applied.
verify() {
  local marker started=$SECONDS
  marker="check-$(date +%s%N)"
  sql primary -e "REPLACE INTO \`$CHECK_DB\`.heartbeat (id, marker) VALUES (1, '$marker')"
  local deadline=$((SECONDS + TIMEOUT))
  until [[ $(sql replica -N -e "SELECT marker FROM \`$CHECK_DB\`.heartbeat WHERE id = 1" 2>/dev/null) == "$marker" ]]; do
    if ((SECONDS >= deadline)); then
      replication_summary >&2
      log_tail replica
      die "row written on :$PRIMARY_PORT did not reach :$REPLICA_PORT within ${TIMEOUT}s"
    fi
    sleep 0.1
  done
  [[ $(sql replica -N -e 'SELECT @@read_only') == 1 ]] || die "replica is not read_only"
  log "verified: a row written on :$PRIMARY_PORT is readable on :$REPLICA_PORT ($((SECONDS - started))s)"
}

status() {
  local ok=0 name pid
  for name in primary replica; do
    if pid=$(server_pid "$name") && answers "$name"; then
      log "[$name] running, pid $pid, port $(port_of "$name")"
    else
      log "[$name] NOT running (port $(port_of "$name"))"
      ok=1
    fi
  done
  if answers replica; then
    replication_summary
    [[ $(replica_field Slave_IO_Running) == Yes && $(replica_field Slave_SQL_Running) == Yes ]] || ok=1
  fi
  return $ok
}

print_env() {
  local name value
  for name in MSP_REPLICA_DIR MSP_REPLICA_HOST MSP_REPLICA_PRIMARY_PORT MSP_REPLICA_REPLICA_PORT \
    MSP_REPLICA_USER MSP_REPLICA_PASSWORD MSP_REPLICA_DB MSP_REPLICA_PRIMARY_SOCKET MSP_REPLICA_REPLICA_SOCKET; do
    case $name in
      MSP_REPLICA_DIR) value=$BASE ;;
      MSP_REPLICA_HOST) value=$HOST ;;
      MSP_REPLICA_PRIMARY_PORT) value=$PRIMARY_PORT ;;
      MSP_REPLICA_REPLICA_PORT) value=$REPLICA_PORT ;;
      MSP_REPLICA_USER) value=$APP_USER ;;
      MSP_REPLICA_PASSWORD) value=$APP_PASSWORD ;;
      MSP_REPLICA_DB) value=$APP_DB ;;
      MSP_REPLICA_PRIMARY_SOCKET) value=$(socket_of primary) ;;
      MSP_REPLICA_REPLICA_SOCKET) value=$(socket_of replica) ;;
    esac
    printf 'export %s=%q\n' "$name" "$value"
  done
}

destroy() {
  stop_server replica
  stop_server primary
  [[ -e $BASE ]] || {
    log "nothing to remove at $BASE"
    return 0
  }
  # Only ever delete a directory this script created.
  [[ -f $BASE/$MARKER_FILE ]] || die "$BASE was not created by this script; not removing it"
  rm -rf -- "$BASE"
  log "removed $BASE"
}

# Serialise concurrent invocations (parallel test set-ups) on one lock per base directory.
with_lock() {
  mkdir -p "$(dirname "$BASE")"
  exec 9>"$BASE.lock"
  flock -w "$TIMEOUT" 9 || die "another mariadb-replica.sh holds $BASE.lock"
}

command=${1:-}
case $command in
  env)
    print_env
    exit 0
    ;;
  start | stop | status | destroy | stop-replica | start-replica | hold-replica | release-replica) ;;
  *)
    echo "usage: $0 start|stop|status|destroy|stop-replica|start-replica|hold-replica|release-replica|env" >&2
    exit 2
    ;;
esac

check_prerequisites
with_lock
case $command in
  start)
    ensure_base
    init_datadir primary
    init_datadir replica
    start_server primary
    start_server replica
    provision_primary
    wire_replica
    verify
    ;;
  stop)
    stop_server replica
    stop_server primary
    ;;
  status)
    status
    ;;
  destroy)
    destroy
    ;;
  stop-replica)
    stop_server replica
    ;;
  start-replica)
    [[ -d $(dir_of replica)/data/mysql ]] || die "no replica datadir yet; run '$0 start' first"
    start_server replica
    if server_pid primary >/dev/null; then
      wire_replica
      verify
    else
      log "[primary] not running; the replica will reconnect when it is back"
    fi
    ;;
  hold-replica)
    sql replica -e 'STOP SLAVE SQL_THREAD'
    log "[replica] SQL thread stopped: changes arrive but are not applied"
    ;;
  release-replica)
    sql replica -e 'START SLAVE SQL_THREAD'
    log "[replica] SQL thread started"
    ;;
esac
