#!/usr/bin/env bash
# An S3-protocol test server (s3rver, from the dev dependencies) for the S3 storage adapter's
# tests: loopback only, its data in a throw-away directory. Tests create their own buckets.
#
#   bash scripts/s3rver.sh start|stop|status
#
# Env: MSP_S3_PORT (default 4569), MSP_S3_DIR (default /tmp/msproject-s3rver),
#      MSP_S3_TIMEOUT (seconds for every bounded wait, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${MSP_S3_PORT:-4569}
DIR=${MSP_S3_DIR:-/tmp/msproject-s3rver}
TIMEOUT=${MSP_S3_TIMEOUT:-20}
HOST=127.0.0.1
PIDFILE=$DIR/s3rver.pid
LOGFILE=$DIR/s3rver.log
SERVER=$PWD/node_modules/s3rver/bin/s3rver.js

log() { printf '[s3rver] %s\n' "$*"; }
die() {
  printf '[s3rver] ERROR: %s\n' "$*" >&2
  exit 1
}
die_with_log() {
  if [[ -f $LOGFILE ]]; then
    echo "---- last lines of $LOGFILE ----" >&2
    tail -n 15 "$LOGFILE" >&2
  fi
  die "$@"
}

# The pid counts only if it is an s3rver serving our port (pids get reused).
server_pid() {
  [[ -f $PIDFILE ]] || return 1
  local pid
  pid=$(<"$PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "s3rver.*-p $PORT" || return 1
  echo "$pid"
}

# Any HTTP answer will do: ListBuckets without credentials is a 403 from s3rver.
answers() { curl -s -o /dev/null "http://$HOST:$PORT/" 2>/dev/null; }

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

start() {
  local pid
  if pid=$(server_pid); then
    answers || die_with_log "s3rver pid $pid is running but does not answer on $HOST:$PORT"
    log "already running (pid $pid, $HOST:$PORT)"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_in_use "$PORT"; then
    die "port $PORT is already in use by another process: $(ss -ltnpH "sport = :$PORT" 2>/dev/null)"
  fi
  [[ -f $SERVER ]] || die "s3rver is not installed: run npm ci"
  mkdir -p "$DIR/data"
  # shellcheck source=node-env.sh
  source scripts/node-env.sh
  nohup node "$SERVER" -d "$DIR/data" -a "$HOST" -p "$PORT" --silent </dev/null >"$LOGFILE" 2>&1 &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + TIMEOUT))
  until answers; do
    ((SECONDS < deadline)) || die_with_log "s3rver did not answer on $HOST:$PORT within ${TIMEOUT}s"
    kill -0 "$(<"$PIDFILE")" 2>/dev/null || die_with_log "s3rver exited"
    sleep 0.1
  done
  log "up on $HOST:$PORT (pid $(<"$PIDFILE"))"
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
    ((SECONDS < deadline)) || die_with_log "s3rver pid $pid still running ${TIMEOUT}s after SIGTERM"
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

[[ $PORT =~ ^[0-9]+$ ]] || die "MSP_S3_PORT '$PORT' is not a number"

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
