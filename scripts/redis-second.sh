#!/usr/bin/env bash
# A second, throw-away redis-server for the Redis hot-swap tests (the app is switched from the
# machine's Redis on 6379 to this one and back). Loopback only, no persistence.
#
#   bash scripts/redis-second.sh start|stop|status
#
# Env: MSP_REDIS2_PORT (default 6380), MSP_REDIS2_DIR (default /tmp/msproject-redis2),
#      MSP_REDIS2_TIMEOUT (seconds for every bounded wait, default 20).
set -euo pipefail

NAME=redis-second
PORT=${MSP_REDIS2_PORT:-6380}
DIR=${MSP_REDIS2_DIR:-/tmp/msproject-redis2}
TIMEOUT=${MSP_REDIS2_TIMEOUT:-20}
HOST=127.0.0.1
PIDFILE=$DIR/redis.pid
LOGFILE=$DIR/redis.log
# shellcheck source=lib/daemon.sh
source "$(dirname "$0")/lib/daemon.sh"

# The pid counts only if it is a redis-server serving our port (pids get reused).
server_pid() {
  local pid
  pid=$(live_pid) || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "redis-server.*:$PORT" || return 1
  echo "$pid"
}

answers() { [[ $(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null) == PONG ]]; }

start() {
  needs_start || return 0
  mkdir -p "$DIR"
  # save "" and appendonly no: nothing is written to disk, every start is empty.
  redis-server --port "$PORT" --bind "$HOST" --daemonize yes \
    --pidfile "$PIDFILE" --logfile "$LOGFILE" --dir "$DIR" \
    --save "" --appendonly no --protected-mode yes </dev/null ||
    die_with_log "redis-server failed to start"
  wait_until_answering redis-server
  log "up on $HOST:$PORT (pid $(server_pid || echo '?'))"
}

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  die "redis-server/redis-cli not found; install them with: apt-get install -y redis-server"
fi
[[ $PORT =~ ^[0-9]+$ ]] || die "MSP_REDIS2_PORT '$PORT' is not a number"
[[ $PORT != 6379 ]] || die "port 6379 is the machine's own Redis; choose another"
run_command "$@"
