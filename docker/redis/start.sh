#!/bin/sh
# Entrypoint of the compose `redis` service: writes the ACL file (the default user with the
# SHA-256 of REDIS_PASSWORD, so neither the file nor `ps` shows the password), then starts Redis
# through the image's own entrypoint, which drops to the redis user.
set -eu

[ -n "${REDIS_PASSWORD:-}" ] || {
  echo "redis start: REDIS_PASSWORD is not set" >&2
  exit 1
}
umask 077
mkdir -p /run/redis-acl
hash=$(printf '%s' "$REDIS_PASSWORD" | sha256sum | cut -d ' ' -f 1)
printf 'user default on #%s ~* &* +@all\n' "$hash" >/run/redis-acl/users.acl
chown -R redis:redis /run/redis-acl
unset REDIS_PASSWORD
exec docker-entrypoint.sh redis-server /usr/local/etc/redis/redis.conf
