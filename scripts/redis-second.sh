#!/usr/bin/env bash
# A second, throw-away redis-server for the Redis hot-swap tests (the app is switched from the
# machine's Redis on 6379 to this one and back). Loopback only, no persistence.
#
#   bash scripts/redis-second.sh start|stop|status
#
# Env: MSP_REDIS2_PORT (default 6380), MSP_REDIS2_DIR (default /tmp/msproject-redis2),
#      MSP_REDIS2_TIMEOUT (seconds for every bounded wait, default 20).
set -euo pipefail

PORT=${MSP_REDIS2_PORT:-6380}
DIR=${MSP_REDIS2_DIR:-/tmp/msproject-redis2}
TIMEOUT=${MSP_REDIS2_TIMEOUT:-20}
HOST=127.0.0.1
PIDFILE=$DIR/redis.pid
LOGFILE=$DIR/redis.log

log() { printf '[redis-second] %s\n' "$*"; }
die() {
  printf '[redis-second] ERROR: %s\n' "$*" >&2
  exit 1
}
die_with_log() {
  if [[ -f $LOGFILE ]]; then
    echo "---- last lines of $LOGFILE ----" >&2
    tail -n 15 "$LOGFILE" >&2
  fi
  die "$@"
}

# The pid counts only if it is a redis-server serving our port (pids get reused).
server_pid() {
  [[ -f $PIDFILE ]] || return 1
  local pid
  pid=$(<"$PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "redis-server.*:$PORT" || return 1
  echo "$pid"
}

answers() { [[ $(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null) == PONG ]]; }

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

start() {
  local pid
  if pid=$(server_pid); then
    answers || die_with_log "redis-server pid $pid is running but does not answer on $HOST:$PORT"
    log "already running (pid $pid, $HOST:$PORT)"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_in_use "$PORT"; then
    die "port $PORT is already in use by another process: $(ss -ltnpH "sport = :$PORT" 2>/dev/null)"
  fi
  mkdir -p "$DIR"
  # save "" and appendonly no: nothing is written to disk, every start is empty.
  redis-server --port "$PORT" --bind "$HOST" --daemonize yes \
    --pidfile "$PIDFILE" --logfile "$LOGFILE" --dir "$DIR" \
    --save "" --appendonly no --protected-mode yes </dev/null ||
    die_with_log "redis-server failed to start"
  local deadline=$((SECONDS + TIMEOUT))
  until answers; do
    ((SECONDS < deadline)) || die_with_log "redis-server did not answer PING on $HOST:$PORT within ${TIMEOUT}s"
    sleep 0.1
  done
  log "up on $HOST:$PORT (pid $(server_pid || echo '?'))"
}

stop() {
  local pid
  if ! pid=$(server_pid); then
    rm -f "$PIDFILE"
    log "not running"
    return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || die_with_log "redis-server pid $pid still running ${TIMEOUT}s after SIGTERM"
    sleep 0.1
  done
  rm -f "$PIDFILE"
  log "stopped (pid $pid)"
}

status() {
  local pid
  if pid=$(server_pid) && answers; then
    log "running (pid $pid, $HOST:$PORT)"
  else
    log "NOT running ($HOST:$PORT)"
    return 1
  fi
}

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  die "redis-server/redis-cli not found; install them with: apt-get install -y redis-server"
fi
[[ $PORT =~ ^[0-9]+$ ]] || die "MSP_REDIS2_PORT '$PORT' is not a number"
[[ $PORT != 6379 ]] || die "port 6379 is the machine's own Redis; choose another"

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
