#!/bin/sh
# One-shot job of the compose `config` service (curl image, busybox sh): publishes the app's
# dynamic config to Nacos.
#  1. Logs in as NACOS_USERNAME. Nacos 2.4 starts with no user at all; on the very first start
#     the admin `nacos` is created through Nacos's own first-admin API
#     (POST /v1/auth/users/admin) with NACOS_PASSWORD, so the console and the app share the
#     password from docker/.env and no well-known default ever exists. That API answers only
#     while no admin exists; until this job has run, anyone who reaches port 8848 could claim
#     it, which is why compose publishes 8848 on 127.0.0.1 only.
#  2. Fills the '${NAME}' placeholders of config.yaml from the environment (escaped for the
#     quoted YAML scalar around them), refusing to publish if one has no value.
#  3. Publishes it, unless the dataId already exists: edits made in the console survive restarts.
#     NACOS_SEED_OVERWRITE=true replaces it anyway.
# Never prints the rendered config, a password, or Nacos's answer to the first-admin call (it
# echoes the password).
set -eu

NACOS_URL=${NACOS_URL:-http://nacos:8848/nacos}
NACOS_USERNAME=${NACOS_USERNAME:-nacos}
NACOS_NAMESPACE=${NACOS_NAMESPACE:-}
NACOS_GROUP=${NACOS_GROUP:-DEFAULT_GROUP}
NACOS_DATA_ID=${NACOS_DATA_ID:-config.yaml}
NACOS_SEED_OVERWRITE=${NACOS_SEED_OVERWRITE:-false}
SOURCE=${CONFIG_SOURCE:-/seed/config.yaml}
WAIT_SECONDS=${NACOS_WAIT_SECONDS:-120}

say() { echo "[config-seed] $*"; }
fail() {
  echo "[config-seed] ERROR: $*" >&2
  exit 1
}

[ -n "${NACOS_PASSWORD:-}" ] || fail "NACOS_PASSWORD is not set"
[ -r "$SOURCE" ] || fail "cannot read $SOURCE"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# login USER PASSWORD: prints the access token. Returns 2 when Nacos refuses the credentials,
# 1 when it cannot be reached or answers anything else.
login() {
  code=$(curl -sS --max-time 10 -o "$work/login" -w '%{http_code}' -X POST "$NACOS_URL/v1/auth/login" \
    --data-urlencode "username=$1" --data-urlencode "password=$2" 2>/dev/null) || code=000
  case $code in
    200)
      token=$(sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' "$work/login")
      [ -n "$token" ] || return 1
      printf '%s' "$token"
      ;;
    401 | 403) return 2 ;;
    *) return 1 ;;
  esac
}

# login_retrying USER PASSWORD SECONDS [retry-refused]: retries while Nacos is not ready; a refusal
# is final unless retry-refused (Nacos caches accounts for some seconds after a password change).
login_retrying() {
  deadline=$(($(date +%s) + $3))
  while :; do
    rc=0
    token=$(login "$1" "$2") || rc=$?
    if [ "$rc" -eq 0 ]; then
      printf '%s' "$token"
      return 0
    fi
    if [ "$rc" -eq 2 ] && [ "${4:-}" != retry-refused ]; then return 2; fi
    [ "$(date +%s)" -lt "$deadline" ] || return "$rc"
    sleep 2
  done
}

rc=0
token=$(login_retrying "$NACOS_USERNAME" "$NACOS_PASSWORD" "$WAIT_SECONDS") || rc=$?
if [ "$rc" -eq 1 ]; then
  fail "Nacos at $NACOS_URL did not answer the login within ${WAIT_SECONDS}s"
elif [ "$rc" -eq 2 ]; then
  # The first-admin API creates the user `nacos` only.
  [ "$NACOS_USERNAME" = nacos ] || fail "Nacos refused the login of $NACOS_USERNAME"
  code=$(curl -sS --max-time 10 -o "$work/admin" -w '%{http_code}' -X POST "$NACOS_URL/v1/auth/users/admin" \
    --data-urlencode "password=$NACOS_PASSWORD" 2>/dev/null) || code=000
  if [ "$code" = 200 ] && grep -q '"username":"nacos"' "$work/admin"; then
    say "admin user nacos created with NACOS_PASSWORD (Nacos first-admin API)"
  elif grep -q 'have admin user' "$work/admin" 2>/dev/null; then
    fail "Nacos already has an admin whose password is not NACOS_PASSWORD (changed in the console? update docker/.env)"
  else
    fail "creating the Nacos admin failed (HTTP $code)"
  fi
  rm -f "$work/admin"
  token=$(login_retrying nacos "$NACOS_PASSWORD" 60 retry-refused) ||
    fail "cannot log in as nacos with NACOS_PASSWORD after creating the admin"
fi

status=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -G "$NACOS_URL/v1/cs/configs" \
  --data-urlencode "dataId=$NACOS_DATA_ID" --data-urlencode "group=$NACOS_GROUP" \
  --data-urlencode "tenant=$NACOS_NAMESPACE" --data-urlencode "accessToken=$token") ||
  fail "reading $NACOS_DATA_ID from Nacos failed"
case $status in
  200)
    if [ "$NACOS_SEED_OVERWRITE" != true ]; then
      say "$NACOS_DATA_ID ($NACOS_GROUP) already in Nacos; left as is (NACOS_SEED_OVERWRITE=true replaces it)"
      exit 0
    fi
    ;;
  404) ;;
  *) fail "reading $NACOS_DATA_ID from Nacos answered HTTP $status" ;;
esac

rendered=$work/config.yaml
# Replaces each ${NAME} with the environment value, escaped for the quoted YAML scalar around it
# ('...' doubles single quotes; "..." escapes backslash and double quote).
awk '
  function escape(value, quote,    out, i, c) {
    out = ""
    for (i = 1; i <= length(value); i++) {
      c = substr(value, i, 1)
      if (quote == "\x27" && c == "\x27") out = out c c
      else if (quote == "\"" && (c == "\\" || c == "\"")) out = out "\\" c
      else out = out c
    }
    return out
  }
  # Comments pass through untouched (they may mention the placeholder syntax).
  /^[[:space:]]*#/ { print; next }
  {
    line = $0
    out = ""
    while (match(line, /[$][{][A-Za-z_][A-Za-z0-9_]*[}]/)) {
      name = substr(line, RSTART + 2, RLENGTH - 3)
      quote = substr(line, RSTART - 1, 1)
      if ((quote != "\x27" && quote != "\"") || substr(line, RSTART + RLENGTH, 1) != quote) {
        print "[config-seed] ERROR: placeholder ${" name "} must be a whole quoted value" > "/dev/stderr"
        failed = 1
      }
      if (!(name in ENVIRON) || ENVIRON[name] == "") {
        print "[config-seed] ERROR: placeholder ${" name "} has no value in the environment" > "/dev/stderr"
        failed = 1
      }
      if (index(ENVIRON[name], "\n") > 0) {
        print "[config-seed] ERROR: the value of " name " spans lines" > "/dev/stderr"
        failed = 1
      }
      out = out substr(line, 1, RSTART - 1) escape(ENVIRON[name], quote)
      line = substr(line, RSTART + RLENGTH)
    }
    print out line
  }
  END { exit failed }
' "$SOURCE" >"$rendered" || fail "config not published"

result=$(curl -sS --fail --max-time 10 -X POST "$NACOS_URL/v1/cs/configs" \
  --data-urlencode "dataId=$NACOS_DATA_ID" --data-urlencode "group=$NACOS_GROUP" \
  --data-urlencode "tenant=$NACOS_NAMESPACE" --data-urlencode "type=yaml" \
  --data-urlencode "content@$rendered" --data-urlencode "accessToken=$token") ||
  fail "publishing $NACOS_DATA_ID failed"
[ "$result" = true ] || fail "publishing $NACOS_DATA_ID: Nacos answered '$result'"
say "published $NACOS_DATA_ID to group $NACOS_GROUP, namespace '${NACOS_NAMESPACE:-public}'"
