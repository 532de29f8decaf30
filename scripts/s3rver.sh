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

NAME=s3rver
PORT=${MSP_S3_PORT:-4569}
DIR=${MSP_S3_DIR:-/tmp/msproject-s3rver}
TIMEOUT=${MSP_S3_TIMEOUT:-20}
HOST=127.0.0.1
PIDFILE=$DIR/s3rver.pid
LOGFILE=$DIR/s3rver.log
SERVER=$PWD/node_modules/s3rver/bin/s3rver.js
# shellcheck source=lib/daemon.sh
source scripts/lib/daemon.sh

# The pid counts only if it is an s3rver serving our port (pids get reused).
server_pid() {
  local pid
  pid=$(live_pid) || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "s3rver.*-p $PORT" || return 1
  echo "$pid"
}

# Any HTTP answer will do: ListBuckets without credentials is a 403 from s3rver.
answers() { curl -s -o /dev/null "http://$HOST:$PORT/" 2>/dev/null; }

still_alive() { kill -0 "$(<"$PIDFILE")" 2>/dev/null || die_with_log "s3rver exited"; }

start() {
  needs_start || return 0
  [[ -f $SERVER ]] || die "s3rver is not installed: run npm ci"
  mkdir -p "$DIR/data"
  # shellcheck source=node-env.sh
  source scripts/node-env.sh
  nohup node "$SERVER" -d "$DIR/data" -a "$HOST" -p "$PORT" --silent </dev/null >"$LOGFILE" 2>&1 &
  echo $! >"$PIDFILE"
  wait_until_answering s3rver still_alive
  log "up on $HOST:$PORT (pid $(<"$PIDFILE"))"
}

[[ $PORT =~ ^[0-9]+$ ]] || die "MSP_S3_PORT '$PORT' is not a number"
run_command "$@"
