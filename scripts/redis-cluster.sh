#!/usr/bin/env bash
# A three-master Redis Cluster on loopback (ports 7101-7103 by default), for the tests of the
# app's cluster mode. No persistence; node state lives in a scratch directory.
#
#   bash scripts/redis-cluster.sh start|stop|status
#
# Env: MSP_CLUSTER_FIRST_PORT (default 7101), MSP_CLUSTER_DIR (default /tmp/msproject-cluster).
set -euo pipefail

FIRST=${MSP_CLUSTER_FIRST_PORT:-7101}
PORTS=("$FIRST" "$((FIRST + 1))" "$((FIRST + 2))")
DIR=${MSP_CLUSTER_DIR:-/tmp/msproject-cluster}
HOST=127.0.0.1

log() { printf '[redis-cluster] %s\n' "$*"; }

healthy() {
  redis-cli -h "$HOST" -p "${PORTS[0]}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'
}

start() {
  if healthy; then
    log "already running on ports ${PORTS[*]}"
    return 0
  fi
  stop >/dev/null
  rm -rf "$DIR"
  for port in "${PORTS[@]}"; do
    mkdir -p "$DIR/$port"
    redis-server --port "$port" --bind "$HOST" --daemonize yes --cluster-enabled yes \
      --cluster-config-file "$DIR/$port/nodes.conf" --cluster-node-timeout 5000 \
      --pidfile "$DIR/$port/redis.pid" --logfile "$DIR/$port/redis.log" --dir "$DIR/$port" \
      --save "" --appendonly no
  done
  for port in "${PORTS[@]}"; do
    for _ in $(seq 1 100); do
      [[ $(redis-cli -h "$HOST" -p "$port" ping 2>/dev/null) == PONG ]] && break
      sleep 0.1
    done
  done
  redis-cli --cluster create "${PORTS[@]/#/$HOST:}" --cluster-replicas 0 --cluster-yes >"$DIR/create.log"
  for _ in $(seq 1 100); do
    if healthy; then
      log "up on ports ${PORTS[*]}"
      return 0
    fi
    sleep 0.1
  done
  log "cluster did not reach state ok; see $DIR" >&2
  exit 1
}

stop() {
  for port in "${PORTS[@]}"; do
    local pidfile="$DIR/$port/redis.pid"
    if [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill "$(cat "$pidfile")"; fi
  done
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) healthy && log "running on ports ${PORTS[*]}" || { log "not running"; exit 1; } ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
