# Shared by the scripts that run one throw-away test server in the background (s3rver.sh,
# redis-second.sh). Before sourcing, a script sets NAME, HOST, PORT, TIMEOUT, PIDFILE and
# LOGFILE; after, it defines server_pid (the pid, only if it is our server on our port),
# answers (it serves) and start, then calls `run_command "$@"`.

log() { printf '[%s] %s\n' "$NAME" "$*"; }
die() {
  printf '[%s] ERROR: %s\n' "$NAME" "$*" >&2
  exit 1
}
die_with_log() {
  if [[ -f $LOGFILE ]]; then
    echo "---- last lines of $LOGFILE ----" >&2
    tail -n 15 "$LOGFILE" >&2
  fi
  die "$@"
}

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# A pid from PIDFILE that is alive (whose command line the caller still has to check).
live_pid() {
  [[ -f $PIDFILE ]] || return 1
  local pid
  pid=$(<"$PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# Waits (bounded) until the server answers; `extra_check` runs between tries.
wait_until_answering() {
  local what=$1 extra_check=${2:-true}
  local deadline=$((SECONDS + TIMEOUT))
  until answers; do
    ((SECONDS < deadline)) || die_with_log "$what did not answer on $HOST:$PORT within ${TIMEOUT}s"
    $extra_check
    sleep 0.1
  done
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
    ((SECONDS < deadline)) || die_with_log "$NAME pid $pid still running ${TIMEOUT}s after SIGTERM"
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

# Refuses a start while the port is taken by another process; otherwise returns 1 when our
# server already runs (and answers), 0 when it must be started.
needs_start() {
  local pid
  if pid=$(server_pid); then
    answers || die_with_log "$NAME pid $pid is running but does not answer on $HOST:$PORT"
    log "already running (pid $pid, $HOST:$PORT)"
    return 1
  fi
  rm -f "$PIDFILE"
  if port_in_use "$PORT"; then
    die "port $PORT is already in use by another process: $(ss -ltnpH "sport = :$PORT" 2>/dev/null)"
  fi
}

run_command() {
  case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
      echo "usage: $0 start|stop|status" >&2
      exit 2
      ;;
  esac
}
