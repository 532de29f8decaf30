#!/usr/bin/env bash
# A Redis Sentinel watching the second Redis (scripts/redis-second.sh, port 6380) as master
# "msproject", for the tests of the app's sentinel mode. Loopback only; the sentinel's state
# file lives in a scratch directory.
#
#   bash scripts/redis-sentinel.sh start|stop|status
#
# Env: MSP_SENTINEL_PORT (default 26380), MSP_REDIS2_PORT (default 6380),
#      MSP_SENTINEL_DIR (default /tmp/msproject-sentinel).
set -euo pipefail

PORT=${MSP_SENTINEL_PORT:-26380}
MASTER_PORT=${MSP_REDIS2_PORT:-6380}
DIR=${MSP_SENTINEL_DIR:-/tmp/msproject-sentinel}
HOST=127.0.0.1
NAME=msproject

log() { printf '[redis-sentinel] %s\n' "$*"; }

answers() { [[ $(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null) == PONG ]]; }

knows_master() {
  redis-cli -h "$HOST" -p "$PORT" sentinel get-master-addr-by-name "$NAME" 2>/dev/null | grep -qx "$MASTER_PORT"
}

start() {
  if answers && knows_master; then
    log "already running on $HOST:$PORT, watching $NAME at $HOST:$MASTER_PORT"
    return 0
  fi
  [[ $(redis-cli -h "$HOST" -p "$MASTER_PORT" ping 2>/dev/null) == PONG ]] ||
    { log "the Redis on $MASTER_PORT must run first (scripts/redis-second.sh start)" >&2; exit 1; }
  mkdir -p "$DIR"
  # A sentinel rewrites its config file: give it a fresh one each start.
  cat >"$DIR/sentinel.conf" <<CONF
port $PORT
bind $HOST
daemonize yes
pidfile $DIR/sentinel.pid
logfile $DIR/sentinel.log
dir $DIR
sentinel monitor $NAME $HOST $MASTER_PORT 1
sentinel down-after-milliseconds $NAME 5000
CONF
  redis-server "$DIR/sentinel.conf" --sentinel
  for _ in $(seq 1 100); do
    if answers && knows_master; then
      log "up on $HOST:$PORT, watching $NAME at $HOST:$MASTER_PORT"
      return 0
    fi
    sleep 0.1
  done
  log "did not come up; see $DIR/sentinel.log" >&2
  tail -n 15 "$DIR/sentinel.log" >&2 || true
  exit 1
}

stop() {
  if [[ -f $DIR/sentinel.pid ]] && kill -0 "$(cat "$DIR/sentinel.pid")" 2>/dev/null; then
    kill "$(cat "$DIR/sentinel.pid")"
    log "stopped"
  else
    log "not running"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) answers && knows_master && log "running, watching $NAME" || { log "not running"; exit 1; } ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
