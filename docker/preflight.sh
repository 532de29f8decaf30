#!/bin/sh
# One-shot job of the compose `preflight` service: every service holding a secret waits for it.
# Refuses the placeholders of docker/.env.example, well-known defaults, and values the stack
# cannot carry unescaped (MySQL option files, the Redis ACL file, quoted YAML). Names the
# variables at fault, never their values. scripts/check-docker.mjs runs it against
# .env.example (must refuse every secret) and against generated values (must pass).
set -u

SECRETS='MYSQL_ROOT_PASSWORD MYSQL_PASSWORD MYSQL_REPL_PASSWORD NACOS_DB_PASSWORD NACOS_PASSWORD
  REDIS_PASSWORD JWT_ACCESS_SECRET JWT_REFRESH_SECRET IDS_SECRET NACOS_AUTH_TOKEN NACOS_AUTH_IDENTITY_KEY
  NACOS_AUTH_IDENTITY_VALUE GRAFANA_ADMIN_PASSWORD MINIO_ROOT_PASSWORD MINIO_APP_SECRET_KEY'

problems=0
refuse() {
  echo "preflight: $1" >&2
  problems=$((problems + 1))
}
value_of() { eval "printf '%s' \"\${$1:-}\""; }

for name in $SECRETS; do
  value=$(value_of "$name")
  case $value in
    '')
      refuse "$name is empty"
      continue
      ;;
    *[Cc][Hh][Aa][Nn][Gg][Ee]-[Mm][Ee]*)
      refuse "$name still holds the placeholder from docker/.env.example"
      continue
      ;;
    # Defaults published by Nacos, its images and Grafana.
    nacos | admin | password | serverIdentity | security | minioadmin | \
      SecretKey012345678901234567890123456789012345678901234567890123456789 | \
      VGhpc0lzTXlDdXN0b21TZWNyZXRLZXkwMTIzNDU2Nzg=)
      refuse "$name is a well-known default"
      continue
      ;;
    *[!A-Za-z0-9._~+/=-]*)
      refuse "$name may hold only letters, digits and . _ ~ + / = -"
      continue
      ;;
  esac
  [ "${#value}" -ge 16 ] || refuse "$name is shorter than 16 characters"
done

# CHANGE REPLICATION SOURCE TO refuses a SOURCE_PASSWORD longer than 32 characters.
repl=$(value_of MYSQL_REPL_PASSWORD)
[ "${#repl}" -le 32 ] || refuse "MYSQL_REPL_PASSWORD is longer than 32 characters (MySQL's limit for replication)"

for name in JWT_ACCESS_SECRET JWT_REFRESH_SECRET IDS_SECRET; do
  value=$(value_of "$name")
  [ "${#value}" -ge 32 ] || refuse "$name is shorter than 32 characters"
done
[ "$(value_of JWT_ACCESS_SECRET)" != "$(value_of JWT_REFRESH_SECRET)" ] ||
  refuse "JWT_ACCESS_SECRET and JWT_REFRESH_SECRET must differ"

# Nacos reads the identity key as an HTTP header name.
case $(value_of NACOS_AUTH_IDENTITY_KEY) in
  *[!A-Za-z0-9_-]*) refuse "NACOS_AUTH_IDENTITY_KEY may hold only letters, digits, - and _ (a header name)" ;;
esac

# Nacos signs its tokens with this key: Base64 of at least 32 bytes.
token=$(value_of NACOS_AUTH_TOKEN)
if bytes=$(printf '%s' "$token" | base64 -d 2>/dev/null | wc -c); then
  [ "$bytes" -ge 32 ] || refuse "NACOS_AUTH_TOKEN must be Base64 of at least 32 bytes"
else
  refuse "NACOS_AUTH_TOKEN is not Base64"
fi

if [ "$problems" -gt 0 ]; then
  echo "preflight: $problems problem(s); set real values in docker/.env (see docker/README.md)" >&2
  exit 1
fi
echo "preflight: docker/.env holds no placeholder or default"
