#!/usr/bin/env bash
# Makes sure the services the tests need are up: MariaDB on 3306 and Redis on 6379 (started
# with the commands from README.md when they are down), the MariaDB primary + replica pair and
# the second Redis used by hot-swap tests.
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'echo "services: could not start every service the tests need (see the line above); no test was run" >&2' ERR

wait_for() { # wait_for <what> <command...>
  local what=$1; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "services: $what did not come up" >&2
  return 1
}

if ! mariadb-admin --no-defaults -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; then
  echo "services: starting MariaDB on 3306"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for "MariaDB on 3306" mariadb-admin --no-defaults -h127.0.0.1 -P3306 -uroot ping
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "services: starting Redis on 6379"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for "Redis on 6379" redis-cli -h 127.0.0.1 -p 6379 ping
fi

# HAProxy, for the test of several instances behind a balancer (Debian's package).
if ! command -v haproxy >/dev/null 2>&1; then
  echo "services: installing HAProxy"
  (apt-get update -qq && apt-get install -y -qq haproxy) >/dev/null
fi

bash scripts/mariadb-replica.sh start
bash scripts/redis-second.sh start
bash scripts/redis-sentinel.sh start
bash scripts/redis-cluster.sh start
bash scripts/s3rver.sh start
